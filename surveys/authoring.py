"""Writing surveys: create, edit questions (versioned once answers exist), publish,
close, invite, and the recurring instances of a pulse survey."""

import calendar
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, object_session

from . import audit, definitions, tokens
from .errors import N_, DomainError
from .models import (
    DEFAULT_RETENTION_DAYS,
    RESIDENTIAL_KINDS,
    Anonymity,
    Audience,
    Invitation,
    PendingResponse,
    Recurrence,
    Response,
    Survey,
    SurveyState,
    SurveyVersion,
    Unit,
    User,
    utcnow,
)
from .questions import kind_of
from .text import nfc, nfc_multiline
from .timeutil import VN_TZ, local_today

# How long, after a survey closes, its answers may stay linked to the people who gave them.
MIN_RETENTION_DAYS, MAX_RETENTION_DAYS = 1, 3650


def create_survey(
    session: Session,
    *,
    title: str,
    introduction: str = "",
    audience: Audience,
    anonymity: Anonymity,
    owner_unit: Unit,
    units: list[Unit],
    author: User | None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    recurrence: Recurrence = Recurrence.NONE,
    challenge_enabled: bool = False,
    questions: list[dict[str, Any]] | None = None,
    purpose: str = "",
    retention_days: int = DEFAULT_RETENTION_DAYS,
) -> Survey:
    survey = Survey(owner_unit=owner_unit, created_by=author, versions=[SurveyVersion(number=1)])
    # Added once its settings are checked: a query they make must not flush a survey with no title.
    _apply_settings(
        survey,
        title=title,
        introduction=introduction,
        audience=audience,
        anonymity=anonymity,
        units=units,
        opens_at=opens_at,
        closes_at=closes_at,
        recurrence=recurrence,
        challenge_enabled=challenge_enabled,
        purpose=purpose,
        retention_days=retention_days,
    )
    session.add(survey)
    if questions:
        definitions.build_questions(survey.current_version, definitions.clean_questions(questions))
    session.flush()
    audit.record(session, author, "survey.create", survey, title=survey.title)
    return survey


def create_from_definition(
    session: Session, data: Any, *, owner_unit: Unit, units: list[Unit], author: User | None
) -> Survey:
    cleaned = definitions.clean_definition(data)
    return create_survey(
        session,
        title=cleaned["title"],
        introduction=cleaned["introduction"],
        audience=Audience(cleaned["audience"]),
        anonymity=Anonymity(cleaned["anonymity"]),
        recurrence=Recurrence(cleaned["recurrence"]),
        owner_unit=owner_unit,
        units=units,
        author=author,
        questions=cleaned["questions"],
    )


def _apply_settings(
    survey: Survey,
    *,
    title,
    introduction,
    audience,
    anonymity,
    units,
    opens_at,
    closes_at,
    recurrence,
    challenge_enabled,
    purpose,
    retention_days,
) -> None:
    title = nfc(title)
    if not title:
        raise DomainError(N_("Khảo sát cần có tiêu đề."))
    if opens_at and closes_at and closes_at <= opens_at:
        raise DomainError(N_("Thời điểm đóng phải sau thời điểm mở."))
    if audience == Audience.CITIZENS and any(u.kind not in RESIDENTIAL_KINDS for u in units):
        raise DomainError(N_("Khảo sát người dân chỉ chọn được xã, phường, đặc khu."))
    if survey.id is not None and survey.anonymity != anonymity and has_responses(survey):
        raise DomainError(N_("Không thể đổi chế độ ẩn danh khi khảo sát đã có câu trả lời."))
    if not MIN_RETENTION_DAYS <= retention_days <= MAX_RETENTION_DAYS:
        raise DomainError(
            N_("Thời gian lưu thông tin định danh phải từ %(min)s đến %(max)s ngày sau khi khảo sát đóng."),
            min=MIN_RETENTION_DAYS,
            max=MAX_RETENTION_DAYS,
        )
    survey.title, survey.introduction = title, nfc_multiline(introduction)
    survey.audience, survey.anonymity, survey.recurrence = audience, anonymity, recurrence
    survey.units = list(units)
    survey.opens_at, survey.closes_at = opens_at, closes_at
    survey.challenge_enabled = challenge_enabled
    survey.purpose, survey.retention_days = nfc_multiline(purpose), retention_days


def update_settings(session: Session, survey: Survey, actor: User, **settings: Any) -> None:
    if survey.state == SurveyState.ARCHIVED:
        raise DomainError(N_("Khảo sát đã lưu trữ, không sửa được."))
    _apply_settings(survey, **settings)
    audit.record(session, actor, "survey.update", survey, title=survey.title)


def has_responses(survey: Survey, version: SurveyVersion | None = None) -> bool:
    """Whether anyone answered (the survey, or that version): released or still waiting for release."""
    session = object_session(survey)
    for model in (Response, PendingResponse):
        where = model.version_id == version.id if version else model.survey_id == survey.id
        if session.scalar(select(exists().where(where))):
            return True
    return False


def editable_version(session: Session, survey: Survey) -> SurveyVersion:
    """The version edits go to: the current one, or a copy once the current one has answers."""
    current = survey.current_version
    if not has_responses(survey, current):
        return current
    copy = SurveyVersion(number=current.number + 1)
    survey.versions.append(copy)
    definitions.build_questions(
        copy, [definitions.question_to_dict(q) | {"help_text": q.help_text} for q in current.questions]
    )
    session.flush()
    return copy


def question_dicts(survey: Survey) -> list[dict[str, Any]]:
    return [definitions.question_to_dict(q) | {"help_text": q.help_text} for q in survey.current_version.questions]


def replace_questions(
    session: Session, survey: Survey, items: list[dict[str, Any]], actor: User | None, action: str = "survey.questions"
) -> None:
    """Validate the whole list, then write it into the editable version."""
    cleaned = definitions.clean_questions(items)
    version = editable_version(session, survey)
    definitions.build_questions(version, cleaned)
    session.flush()
    audit.record(session, actor, action, survey, version=version.number, questions=len(cleaned))


def save_question(
    session: Session, survey: Survey, data: dict[str, Any], actor: User, *, original_key: str | None = None
) -> None:
    """Add a question at the end, or replace the one keyed ``original_key``."""
    items = question_dicts(survey)
    if original_key is None:
        items.append(data)
    else:
        index = next((i for i, q in enumerate(items) if q["key"] == original_key), None)
        if index is None:
            raise DomainError(N_("Không tìm thấy câu hỏi."))
        items[index] = data
    replace_questions(session, survey, items, actor)


def delete_question(session: Session, survey: Survey, key: str, actor: User) -> None:
    items = [q for q in question_dicts(survey) if q["key"] != key]
    if any(q.get("show_if", {}).get("question") == key for q in items):
        raise DomainError(N_("Câu hỏi khác đang phụ thuộc vào câu này; hãy bỏ điều kiện đó trước."))
    replace_questions(session, survey, items, actor)


def move_question(session: Session, survey: Survey, key: str, offset: int, actor: User) -> None:
    items = question_dicts(survey)
    index = next((i for i, q in enumerate(items) if q["key"] == key), None)
    target = (index or 0) + offset
    if index is None or not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    # Pages must not go backwards after a move: a moved question takes its new neighbour's page.
    for i in range(1, len(items)):
        items[i]["page"] = max(items[i]["page"], items[i - 1]["page"])
    replace_questions(session, survey, items, actor)


def next_question_key(survey: Survey) -> str:
    taken = {q.key for version in survey.versions for q in version.questions}
    number = len(survey.current_version.questions) + 1
    while f"q{number}" in taken:
        number += 1
    return f"q{number}"


def publish(session: Session, survey: Survey, actor: User | None, now: datetime | None = None) -> None:
    if survey.state not in (SurveyState.DRAFT, SurveyState.CLOSED):
        raise DomainError(N_("Khảo sát đang mở hoặc đã lưu trữ."))
    start_series(survey, now)
    if not any(kind_of(q).asks for q in survey.current_version.questions):
        raise DomainError(N_("Khảo sát cần ít nhất một câu hỏi trước khi mở."))
    if survey.audience != Audience.INVITED and not survey.units:
        raise DomainError(N_("Hãy chọn đơn vị hoặc xã, phường được khảo sát."))
    if survey.closes_at and survey.closes_at <= (now or utcnow()):
        raise DomainError(N_("Thời điểm đóng đã qua; hãy đặt lại trước khi mở."))
    if survey.audience == Audience.CITIZENS and not survey.public_token:
        survey.public_token = tokens.new_token()
    survey.state, survey.closed_at = SurveyState.OPEN, None
    audit.record(session, actor, "survey.publish", survey)


def close(session: Session, survey: Survey, actor: User | None) -> None:
    if survey.state != SurveyState.OPEN:
        raise DomainError(N_("Khảo sát không ở trạng thái đang mở."))
    # The retention period of the links to respondents runs from here (surveys.privacy).
    survey.state, survey.closed_at = SurveyState.CLOSED, utcnow()
    audit.record(session, actor, "survey.close", survey)


def archive(session: Session, survey: Survey, actor: User) -> None:
    if survey.state == SurveyState.OPEN:
        raise DomainError(N_("Hãy đóng khảo sát trước khi lưu trữ."))
    survey.state = SurveyState.ARCHIVED
    audit.record(session, actor, "survey.archive", survey)


def is_accepting(survey: Survey, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (
        survey.state == SurveyState.OPEN
        and (survey.opens_at is None or survey.opens_at <= now)
        and (survey.closes_at is None or now < survey.closes_at)
    )


def invitees(text: str) -> list[tuple[str, str]]:
    """(name, e-mail) per line of "Full name, e-mail" or just a name; blank lines are skipped."""
    people = []
    for line in (line.strip() for line in (text or "").splitlines()):
        if not line:
            continue
        name, _comma, email = line.rpartition(",")
        people.append((name.strip(), email.strip()) if "@" in email else (line, ""))
    return people


def create_invitations(
    session: Session, survey: Survey, people: list[tuple[str, str]], actor: User, unit: Unit | None = None
) -> list[tuple[Invitation, str]]:
    """One personal one-time link per (name, e-mail); returns each invitation with its token,
    which exists only here (the database keeps its hash)."""
    created = []
    for full_name, email in people:
        token = tokens.new_token()
        invitation = Invitation(
            survey=survey,
            token_hash=tokens.hash_token(token),
            full_name=nfc(full_name) or None,
            email=nfc(email).lower() or None,
            unit=unit,
        )
        session.add(invitation)
        created.append((invitation, token))
    session.flush()
    audit.record(session, actor, "survey.invite", survey, count=len(created))
    return created


def find_invitation(session: Session, token: str) -> Invitation | None:
    return session.scalar(select(Invitation).where(Invitation.token_hash == tokens.hash_token(token)))


# ---- the lifecycle the scheduler drives ---------------------------------------------------------


def period_bounds(recurrence: Recurrence, day: date) -> tuple[date, date]:
    """First day of the period holding ``day`` and the first day of the next."""
    if recurrence == Recurrence.WEEKLY:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=7)
    start = day.replace(day=1)
    return start, start + timedelta(days=calendar.monthrange(day.year, day.month)[1])


def _local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=VN_TZ).astimezone(UTC)


def advance_lifecycle(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Close surveys past their closing time and open each recurring survey's instance for the
    current period. Safe to run any number of times."""
    now = now or utcnow()
    counts = {"closed": 0, "created": 0}
    for survey in session.scalars(
        select(Survey).where(Survey.state == SurveyState.OPEN, Survey.closes_at.is_not(None), Survey.closes_at <= now)
    ):
        close(session, survey, None)
        counts["closed"] += 1
    series_roots = session.scalars(
        select(Survey).where(
            Survey.recurrence != Recurrence.NONE,
            Survey.series_id.is_(None),
            Survey.state.in_([SurveyState.OPEN, SurveyState.CLOSED]),
            Survey.period_start.is_not(None),
        )
    ).all()
    today = local_today(now)
    for root in series_roots:
        start, end = period_bounds(root.recurrence, today)
        latest = session.scalar(
            select(func.max(Survey.period_start)).where((Survey.series_id == root.id) | (Survey.id == root.id))
        )
        if latest is not None and latest >= start:
            continue
        source = session.scalars(
            select(Survey)
            .where((Survey.series_id == root.id) | (Survey.id == root.id))
            .order_by(Survey.period_start.desc())
        ).first()
        instance = create_survey(
            session,
            title=root.title,
            introduction=root.introduction,
            audience=root.audience,
            anonymity=root.anonymity,
            owner_unit=root.owner_unit,
            units=list(root.units),
            author=None,
            opens_at=_local_midnight(start),
            closes_at=_local_midnight(end),
            recurrence=root.recurrence,
            challenge_enabled=root.challenge_enabled,
            questions=question_dicts(source),
            purpose=root.purpose,
            retention_days=root.retention_days,
        )
        instance.series_id, instance.period_start = root.id, start
        publish(session, instance, None, now)
        counts["created"] += 1
    return counts


def start_series(survey: Survey, now: datetime | None = None) -> None:
    """Make a recurring survey the first instance of its series, covering the current period."""
    if survey.recurrence == Recurrence.NONE or survey.period_start is not None:
        return
    start, end = period_bounds(survey.recurrence, local_today(now))
    survey.period_start = start
    survey.opens_at = survey.opens_at or _local_midnight(start)
    survey.closes_at = _local_midnight(end)
