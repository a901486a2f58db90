"""Answering a survey: reading what was typed, checking it, and storing it once.

What a respondent typed travels as *raw* values (field name → list of strings, exactly
as a form posts them), so that a page with errors can show everything back unchanged and
a draft can keep it. ``parse`` turns raw values into typed answers and errors; the API
converts its JSON into raw values first, so both go through the same checks.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import privacy, ratelimit, tokens
from .authoring import is_accepting
from .errors import N_, DomainError, Malformed, NotAccepting, NotEligible, Throttled, ValidationFailed
from .models import (
    Anonymity,
    Answer,
    Audience,
    Channel,
    Invitation,
    Participation,
    PendingResponse,
    Question,
    Response,
    ResponseDraft,
    Survey,
    SurveyState,
    SurveyVersion,
    Unit,
    User,
    survey_units,
    utcnow,
)
from .questions import Raw, kind_of
from .text import check_readable, nfc_multiline
from .timeutil import local_today


def raw_from_form(version: SurveyVersion, form) -> Raw:
    """Pick this survey's fields out of a posted form (a MultiDict or a dict of lists)."""
    raw: Raw = {}
    for question in version.questions:
        for name in kind_of(question).field_names(question):
            values = form.getlist(name) if hasattr(form, "getlist") else form.get(name, [])
            if values:
                raw[name] = [nfc_multiline(v) if "\n" in v else v.strip() for v in values]
    return raw


def raw_from_json(version: SurveyVersion, answers: dict[str, Any]) -> Raw:
    """The API's {question key: value} as raw form values."""
    if not isinstance(answers, dict):
        raise Malformed(N_("Câu trả lời phải là một đối tượng JSON {mã câu hỏi: giá trị}."))
    by_key = {q.key: q for q in version.questions}
    unknown = set(answers) - set(by_key) - {f"{k}__other" for k in by_key}
    if unknown:
        raise Malformed(N_("Không có câu hỏi mã %(keys)s."), keys=", ".join(sorted(unknown)))
    raw: Raw = {}
    for key, value in answers.items():
        if key.endswith("__other"):
            raw[f"q_{key}"] = [str(value)]
        else:
            raw.update(kind_of(by_key[key]).raw_from_json(by_key[key], value))
    return raw


def _condition_met(question: Question, operands: dict[str, list[str]]) -> bool:
    """Whether the question's skip logic shows it, given the earlier answers' operands (key → values)."""
    condition = question.options.get("show_if")
    if not condition:
        return True
    return any(v in condition["any_of"] for v in operands.get(condition["question"], []))


def visible_questions(version: SurveyVersion, values: dict[str, Any]) -> list[Question]:
    """Questions shown given earlier answers; hiding cascades (a question hidden hides those depending on it)."""
    shown, seen = [], {}
    for question in version.questions:
        if _condition_met(question, seen):
            shown.append(question)
            if question.key in values:
                seen[question.key] = kind_of(question).operands(values[question.key])
    return shown


def visible_pages(version: SurveyVersion, values: dict[str, Any]) -> list[int]:
    return sorted({q.page for q in visible_questions(version, values)})


@dataclass
class Parsed:
    values: dict[str, Any] = field(default_factory=dict)  # key → typed value (text answers: str)
    others: dict[str, str] = field(default_factory=dict)  # key → "other, please say" text
    errors: dict[str, DomainError] = field(default_factory=dict)


def _check_readable(names: list[str], raw: Raw) -> None:
    for name in names:
        for value in raw.get(name, []):
            check_readable(value)


def parse(version: SurveyVersion, raw: Raw, pages: set[int] | None = None) -> Parsed:
    """Typed answers and per-question errors for the visible questions (on ``pages`` if given)."""
    parsed, operands = Parsed(), {}
    for question in version.questions:
        qtype = kind_of(question)
        if not qtype.asks or not _condition_met(question, operands):
            continue
        reported = pages is None or question.page in pages
        try:
            _check_readable(qtype.field_names(question), raw)
            value, other = qtype.parse(question, raw)
        except DomainError as error:
            if reported:
                parsed.errors[question.key] = error
            continue
        if value is None:
            if question.required and reported:
                parsed.errors[question.key] = DomainError(N_("Vui lòng trả lời câu hỏi này."))
            continue
        parsed.values[question.key], operands[question.key] = value, qtype.operands(value)
        if other:
            parsed.others[question.key] = other
    return parsed


def _surveyed(unit: Unit | None, survey: Survey) -> bool:
    return unit is not None and any(unit.path.startswith(u.path) for u in survey.units)


def check_eligible(
    survey: Survey, *, respondent: User | None, invitation: Invitation | None, unit: Unit | None
) -> None:
    if survey.audience == Audience.STAFF:
        if respondent is None or respondent.unit is None:
            raise NotEligible(N_("Khảo sát này dành cho cán bộ; vui lòng đăng nhập."))
        if not _surveyed(respondent.unit, survey):
            raise NotEligible(N_("Khảo sát này không dành cho đơn vị của anh/chị."))
    elif survey.audience == Audience.CITIZENS:
        if not _surveyed(unit, survey):
            raise NotEligible(N_("Vui lòng chọn xã, phường nơi ông/bà sinh sống."))
    elif invitation is None or invitation.survey_id != survey.id:
        raise NotEligible(N_("Khảo sát này chỉ trả lời được qua đường dẫn mời riêng."))


def may_answer(user: User, survey: Survey) -> bool:
    """Whether ``survey`` is an open staff survey addressed to ``user``'s unit (or a unit above it)."""
    return survey.audience == Audience.STAFF and survey.state == SurveyState.OPEN and _surveyed(user.unit, survey)


def answerable_surveys(session: Session, user: User) -> list[Survey]:
    """The open staff surveys addressed to ``user``'s unit or a unit above it, closing first first."""
    if user.unit is None:
        return []
    own_and_above = [*user.unit.ancestor_ids(), user.unit.id]
    return list(
        session.scalars(
            select(Survey)
            .join(survey_units, survey_units.c.survey_id == Survey.id)
            .where(
                Survey.state == SurveyState.OPEN,
                Survey.audience == Audience.STAFF,
                survey_units.c.unit_id.in_(own_and_above),
            )
            .distinct()
            .order_by(Survey.closes_at)
        )
    )


def answered(session: Session, user: User, surveys: list[Survey]) -> set[int]:
    """Which of ``surveys`` ``user`` has answered (by id)."""
    return set(
        session.scalars(
            select(Participation.survey_id).where(
                Participation.user_id == user.id, Participation.survey_id.in_([s.id for s in surveys])
            )
        )
    )


# ---- public links: telling people from robots, with no third-party service ----------------------


class Challenge:
    """The sum a public link may ask before storing an answer. The expected answer travels
    signed in the form, so no server keeps any state between showing and checking it."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt="survey-challenge")

    def new(self) -> tuple[int, int, str]:
        """Two numbers to add, and the signed token the answer is checked against."""
        a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
        return a, b, self._serializer.dumps(a + b)

    def passed(self, token: str, answer: str) -> bool:
        try:
            expected = self._serializer.loads(token)
        except BadSignature:
            return False
        return answer.strip() == str(expected)


@dataclass
class PublicGuard:
    """What a public link's form carries to tell people from robots, and the limit it is held to."""

    address: str  # the sender's network address: submissions are counted per address
    secret: str
    submits_per_hour: int
    honeypot: str = ""  # a field people never see
    challenge_token: str = ""
    challenge_answer: str = ""

    @property
    def robot(self) -> bool:
        """The hidden field was filled in: a robot. Say thanks and store nothing."""
        return bool(self.honeypot)

    def check(self, session: Session, survey: Survey, now: datetime) -> None:
        if survey.challenge_enabled and not Challenge(self.secret).passed(self.challenge_token, self.challenge_answer):
            raise DomainError(N_("Câu trả lời kiểm tra chưa đúng, vui lòng thử lại."), field="_challenge")
        if not ratelimit.hit(
            session, f"public-submit:{self.address}", limit=self.submits_per_hour, window=timedelta(hours=1), now=now
        ):
            raise Throttled(N_("Đã có quá nhiều câu trả lời gửi từ địa chỉ mạng này. Vui lòng thử lại sau ít phút."))


def submit_response(
    session: Session,
    survey: Survey,
    raw: Raw,
    *,
    idempotency_key: str,
    channel: Channel = Channel.WEB,
    respondent: User | None = None,
    invitation: Invitation | None = None,
    unit: Unit | None = None,
    guard: PublicGuard | None = None,
    consent: str | None = None,
    now: datetime | None = None,
) -> tuple[Response | PendingResponse, bool]:
    """Store a response once; returns it and whether it is new. The caller commits.

    An anonymous survey's response is not readable yet: it waits as a ``PendingResponse`` until
    ``surveys.release`` releases it in a batch of at least k.

    The same ``idempotency_key`` again from the same person or link (a double click, a
    retried request) returns the response already stored; another person's key is their own.
    Nothing else happens here: tagging and summaries run later. A new response carries
    ``receipt``: a code for the respondent alone, to follow what their answer led to; only
    its hash is stored. Through a public link, ``guard`` holds what tells a person from a
    robot; it is checked before anything is stored. A survey that keeps who answered takes
    nothing without consent to its privacy notice: given earlier, or now as ``consent`` (the
    hash of the notice agreed to; ``surveys.privacy``)."""
    key = idempotency_digest(survey, idempotency_key, respondent=respondent, invitation=invitation)
    existing = _by_key(session, survey, key)
    if existing is not None:
        return existing, False
    now = now or utcnow()
    if not is_accepting(survey, now):
        raise NotAccepting(N_("Khảo sát hiện không nhận câu trả lời."))
    check_eligible(survey, respondent=respondent, invitation=invitation, unit=unit)
    if guard is not None:
        guard.check(session, survey, now)
    parsed = _answers_to_store(survey, raw, invitation)
    privacy.check_consent(session, survey, consent, respondent=respondent, invitation=invitation)
    attributed = unit or (respondent.unit if respondent else None) or (invitation.unit if invitation else None)
    if survey.anonymity == Anonymity.ANONYMOUS:
        response = _new_pending(survey, parsed, key, attributed, now)
    else:
        response = _new_response(survey, parsed, key, channel, respondent, invitation, attributed, now)
    stored = _store(session, response, respondent, invitation, now)
    if stored is not response:
        return stored, False
    discard_draft(session, survey, draft_owner(respondent=respondent, invitation=invitation))
    return response, True


def _answers_to_store(survey: Survey, raw: Raw, invitation: Invitation | None) -> Parsed:
    parsed = parse(survey.current_version, raw)
    if parsed.errors:
        raise ValidationFailed(parsed.errors)
    if not parsed.values:
        raise DomainError(N_("Chưa có câu hỏi nào được trả lời."))
    if invitation is not None and invitation.used_at is not None:
        raise DomainError(N_("Đường dẫn mời này đã được dùng để trả lời."))
    return parsed


def _with_receipt(response: Response | PendingResponse) -> Response | PendingResponse:
    """Hand the respondent a code to follow what their answer led to; only its hash is stored."""
    response.receipt = tokens.new_code()
    response.receipt_hash = tokens.hash_token(response.receipt)
    return response


def _answer_fields(version: SurveyVersion, parsed: Parsed) -> list[tuple[Question, Any, str | None]]:
    """(question, value, text) of each answer to store: free text in ``text``, and the "other" text."""
    by_key = {q.key: q for q in version.questions}
    fields = []
    for question_key, value in parsed.values.items():
        question = by_key[question_key]
        if kind_of(question).free_text:
            fields.append((question, None, value))
        else:
            fields.append((question, value, parsed.others.get(question_key)))
    return fields


def _new_response(
    survey: Survey,
    parsed: Parsed,
    key: str,
    channel: Channel,
    respondent: User | None,
    invitation: Invitation | None,
    unit: Unit | None,
    now: datetime,
) -> Response:
    """The (confidential or identified) response with its answers, readable at once."""
    response = Response(
        survey=survey,
        version=survey.current_version,
        channel=channel,
        idempotency_key=key,
        submitted_on=local_today(now),
        unit=unit,
        respondent=respondent,
        invitation_id=invitation.id if invitation else None,
        submitted_at=now,
    )
    for question, value, text in _answer_fields(survey.current_version, parsed):
        response.answers.append(Answer(question=question, value=value, text=text))
    return _with_receipt(response)


def _new_pending(survey: Survey, parsed: Parsed, key: str, unit: Unit | None, now: datetime) -> PendingResponse:
    """An anonymous response waiting for its batch: no person, no invitation, no channel, only the day
    it came in (to know how long its cell has waited); deleted when released."""
    pending = PendingResponse(
        survey=survey,
        version_id=survey.current_version.id,
        unit_id=unit.id if unit else None,
        queued_on=local_today(now),
        idempotency_key=key,
        answers=[
            {"question_id": question.id, "value": value, "text": text}
            for question, value, text in _answer_fields(survey.current_version, parsed)
        ],
    )
    return _with_receipt(pending)


def _store(
    session: Session,
    response: Response | PendingResponse,
    respondent: User | None,
    invitation: Invitation | None,
    now: datetime,
) -> Response | PendingResponse:
    """Add the response, and who answered (apart from it); the response already stored when the
    same request raced in twice."""
    try:
        with session.begin_nested():
            session.add(response)
            if respondent is not None or invitation is not None:
                session.add(
                    Participation(
                        survey_id=response.survey.id,
                        user_id=respondent.id if respondent else None,
                        invitation_id=invitation.id if invitation else None,
                        responded_on=local_today(now),
                    )
                )
            if invitation is not None:
                invitation.used_at = now
            session.flush()
    except IntegrityError:
        # Either the same request raced in twice, or this person has already answered.
        existing = _by_key(session, response.survey, response.idempotency_key)
        if existing is not None:
            return existing
        raise DomainError(N_("Anh/chị đã trả lời khảo sát này rồi. Xin cảm ơn!")) from None
    return response


def idempotency_digest(
    survey: Survey, idempotency_key: str, *, respondent: User | None, invitation: Invitation | None
) -> str:
    """What is stored for an idempotency key: keyed to its scope (the person, the invitation,
    or the survey's public link), so one person's key never finds another's response. Keyed
    with the server secret, so the database alone cannot join an anonymous response to the
    person whose scope it was."""
    key = (idempotency_key or "").strip()[:64]
    if len(key) < 8:
        raise DomainError(N_("Thiếu mã chống gửi trùng; vui lòng tải lại trang."))
    scope = draft_owner(respondent=respondent, invitation=invitation) or "link"
    return tokens.keyed_hash("idempotency", str(survey.id), scope, key)


def find_by_receipt(session: Session, receipt: str) -> Response | PendingResponse | None:
    """The response of a follow code, as written down or typed (receipts from before codes were
    written in groups are found as they were handed out): released, or still waiting for its batch."""
    hashes = {tokens.hash_token(receipt), tokens.hash_token(tokens.normalise_code(receipt))}
    return session.scalar(select(Response).where(Response.receipt_hash.in_(hashes))) or session.scalar(
        select(PendingResponse).where(PendingResponse.receipt_hash.in_(hashes))
    )


def _by_key(session: Session, survey: Survey, key: str) -> Response | PendingResponse | None:
    # A key moves with its response from the queue to the released responses: both are looked at.
    return session.scalar(
        select(Response).where(Response.survey_id == survey.id, Response.idempotency_key == key)
    ) or session.scalar(
        select(PendingResponse).where(PendingResponse.survey_id == survey.id, PendingResponse.idempotency_key == key)
    )


def has_participated(
    session: Session, survey: Survey, *, respondent: User | None = None, invitation: Invitation | None = None
) -> bool:
    if respondent is not None:
        where = Participation.user_id == respondent.id
    elif invitation is not None:
        where = Participation.invitation_id == invitation.id
    else:
        return False
    return session.scalar(select(Participation.id).where(Participation.survey_id == survey.id, where)) is not None


# ---- save and resume ----------------------------------------------------------------------------


def draft_owner(
    *, respondent: User | None = None, invitation: Invitation | None = None, resume_hash: str | None = None
) -> str | None:
    if respondent is not None:
        return f"user:{respondent.id}"
    if invitation is not None:
        return f"invitation:{invitation.id}"
    return f"resume:{resume_hash}" if resume_hash else None


def save_draft(session: Session, survey: Survey, owner: str, raw: Raw, page: int) -> None:
    draft = load_draft(session, survey, owner)
    if draft is None:
        draft = ResponseDraft(survey_id=survey.id, owner_key=owner)
        session.add(draft)
    draft.values, draft.page, draft.updated_at = raw, page, utcnow()


def load_draft(session: Session, survey: Survey, owner: str | None) -> ResponseDraft | None:
    if owner is None:
        return None
    return session.scalar(
        select(ResponseDraft).where(ResponseDraft.survey_id == survey.id, ResponseDraft.owner_key == owner)
    )


def discard_draft(session: Session, survey: Survey, owner: str | None) -> None:
    draft = load_draft(session, survey, owner)
    if draft is not None:
        session.delete(draft)
