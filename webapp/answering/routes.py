"""Answering: staff signed in, citizens through a public link, invitees through a personal one.

Pages work without JavaScript. Answers of the other pages travel as hidden fields, so a
page with errors shows everything back exactly as typed; nothing is stored until the
respondent submits (or chooses to save and resume later).
"""

import uuid
from dataclasses import dataclass

from flask import abort, current_app, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from surveys import answering, authoring, privacy, tokens
from surveys.answering import Raw
from surveys.errors import N_, DomainError, ValidationFailed
from surveys.models import RESIDENTIAL_KINDS, Audience, Invitation, Survey, SurveyState, Unit, User, utcnow
from surveys.org import subtree_clause
from surveys.questions import kind_of

from ..boundary import refusal
from ..extensions import db
from . import bp

FOLLOW_KEY = "follow_code"  # the session entry carrying a new response's follow code to the thank-you page
NUMBER_WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


@dataclass
class Respondent:
    """Who is answering, as far as the platform may know."""

    user: User | None = None
    invitation: Invitation | None = None
    public: bool = False

    def draft_owner(self, resume_code: str | None = None) -> str | None:
        resume_hash = tokens.hash_token(resume_code) if resume_code else None
        return answering.draft_owner(respondent=self.user, invitation=self.invitation, resume_hash=resume_hash)


@dataclass
class Posted:
    """One posted page: every answer as typed (this page's and the hidden others'), and where the respondent is."""

    raw: Raw
    state: dict  # the idempotency key and, through a public link, the commune or ward chosen
    page: int
    action: str  # next, back, save or submit
    resume_code: str | None

    @classmethod
    def from_request(cls, survey: Survey) -> "Posted":
        form = request.form
        return cls(
            raw=answering.raw_from_form(survey.current_version, form),
            state={
                "idempotency_key": form.get("idempotency_key", ""),
                "unit_id": form.get("unit_id", ""),
                "consent": form.get("consent", ""),
            },
            page=_page_number(form.get("page", "")),
            action=form.get("action", "next"),
            resume_code=request.values.get("resume") or None,
        )


def _page_number(value: str) -> int:
    """The page posted; anything that is not a small number is the introduction (page 0)."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 3 else 0


@bp.route("/answer/<int:survey_id>", methods=["GET", "POST"])
@login_required
def staff(survey_id: int):
    survey = db.session.get(Survey, survey_id)
    if survey is None or survey.audience != Audience.STAFF:
        abort(404)
    answering.check_eligible(survey, respondent=current_user, invitation=None, unit=None)
    return _answer(survey, Respondent(user=current_user))


@bp.route("/s/<token>", methods=["GET", "POST"])
def public(token: str):
    survey = db.session.scalar(select(Survey).where(Survey.public_token == token))
    if survey is None or survey.audience != Audience.CITIZENS:
        abort(404)
    return _answer(survey, Respondent(public=True))


@bp.route("/i/<token>", methods=["GET", "POST"])
def invited(token: str):
    invitation = authoring.find_invitation(db.session, token)
    if invitation is None:
        abort(404)
    return _answer(invitation.survey, Respondent(invitation=invitation))


def _answer(survey: Survey, who: Respondent):
    if request.method == "GET" and request.args.get("done"):
        return _thanks(survey)
    if not authoring.is_accepting(survey):
        ended = survey.state in (SurveyState.CLOSED, SurveyState.ARCHIVED) or (
            survey.closes_at is not None and survey.closes_at <= utcnow()
        )
        return render_template("answering/unavailable.html", survey=survey, ended=ended), 410 if ended else 200
    if request.method == "GET":
        if answering.has_participated(db.session, survey, respondent=who.user, invitation=who.invitation):
            return render_template("answering/already.html", survey=survey)
        return _start(survey, who, request.args.get("resume") or None)
    posted = Posted.from_request(survey)
    if (error := refusal()) is not None:
        return _show_refusal(survey, who, posted, error)
    guard = _public_guard() if who.public else None
    if guard is not None and guard.robot:
        return redirect(request.path + "?done=1")
    if posted.action == "save":
        return _save(survey, who, posted)
    return _turn_page(survey, who, posted, guard)


def _start(survey: Survey, who: Respondent, resume_code: str | None):
    """The first page, or the page a saved draft stopped at."""
    draft = answering.load_draft(db.session, survey, who.draft_owner(resume_code))
    raw: Raw = dict(draft.values) if draft else {}
    page = draft.page if draft else 0  # 0: the introduction
    state = {"idempotency_key": uuid.uuid4().hex, "unit_id": raw.pop("_unit_id", [""])[0], "consent": ""}
    return _render_page(survey, who, Posted(raw, state, page, "next", resume_code), page, {})


def _public_guard() -> answering.PublicGuard:
    form, config = request.form, current_app.config
    return answering.PublicGuard(
        address=request.remote_addr or "",
        secret=config["SECRET_KEY"],
        submits_per_hour=config["PUBLIC_SUBMITS_PER_HOUR"],
        honeypot=form.get("website", ""),
        challenge_token=form.get("challenge_token", ""),
        challenge_answer=form.get("challenge_answer", ""),
    )


def _save(survey: Survey, who: Respondent, posted: Posted):
    """Keep what was typed; citizens get a private code to come back with."""
    code = posted.resume_code or (tokens.new_token(12) if who.public else None)
    answering.save_draft(
        db.session,
        survey,
        who.draft_owner(code),
        posted.raw | {"_unit_id": [posted.state["unit_id"]]},
        max(posted.page, 1),
    )
    return render_template("answering/saved.html", survey=survey, resume_code=code if who.public else None)


def _turn_page(survey: Survey, who: Respondent, posted: Posted, guard: answering.PublicGuard | None):
    """Back, on to the next page once this one is right, or submit from the last."""
    version = survey.current_version
    parsed = answering.parse(version, posted.raw, pages={posted.page})
    pages = answering.visible_pages(version, parsed.values) or [1]
    unit = _chosen_unit(_citizen_units(survey), posted.state["unit_id"]) if who.public else None
    page, errors = posted.page, {}
    if posted.action == "back":
        page = max([p for p in pages if p < page], default=0)
    elif page == 0:
        if who.public and unit is None:
            errors["_unit"] = DomainError(N_("Vui lòng chọn xã, phường nơi ông/bà sinh sống."))
        else:
            _agree(survey, who, posted.state["consent"])
            page = pages[0]
    elif parsed.errors:
        errors = parsed.errors
    elif page < pages[-1]:
        page = min(p for p in pages if p > page)
    else:
        response, new = answering.submit_response(
            db.session,
            survey,
            posted.raw,
            idempotency_key=posted.state["idempotency_key"],
            respondent=who.user,
            invitation=who.invitation,
            unit=unit,
            guard=guard,
            consent=posted.state["consent"],
        )
        if posted.resume_code:
            answering.discard_draft(db.session, survey, who.draft_owner(posted.resume_code))
        if new:  # a replayed submission leaves the code its first request handed over
            session[FOLLOW_KEY] = {"survey_id": survey.id, "code": response.receipt}
        return redirect(request.path + "?done=1")
    return _render_page(survey, who, posted, page, errors)


def _agree(survey: Survey, who: Respondent, agreed: str) -> None:
    """Consent to the privacy notice, given on the first page: a person's or an invitation's is
    recorded now, in this request's transaction, apart from the answers to come; a public link's,
    which names nobody, with the response."""
    if not who.public:
        privacy.give_consent(db.session, survey, agreed, user=who.user, invitation=who.invitation)
    elif privacy.requires_consent(survey) and agreed != privacy.notice_hash(survey):
        raise privacy.ConsentRequired()


def _thanks(survey: Survey):
    """The thank-you page, with the follow code handed over once: the redirect carried it in the
    session (never in the address, where histories and logs would keep it); a reload no longer shows it."""
    follow = session.pop(FOLLOW_KEY, None)
    code = follow["code"] if isinstance(follow, dict) and follow.get("survey_id") == survey.id else None
    return render_template("answering/thanks.html", survey=survey, code=code)


def _show_refusal(survey: Survey, who: Respondent, posted: Posted, error: DomainError):
    """The page again after a refused submission: with each question's message, or the one message.
    Without consent, the first page with the notice, every answer kept in the form."""
    if isinstance(error, privacy.ConsentRequired):
        return _render_page(survey, who, posted, 0, {"_consent": error})
    if isinstance(error, ValidationFailed):
        first = min(q.page for q in survey.current_version.questions if q.key in error.errors)
        return _render_page(survey, who, posted, first, error.errors)
    return _render_page(survey, who, posted, posted.page, {error.field or "_form": error})


def _new_challenge() -> tuple[str, str]:
    a, b, token = answering.Challenge(current_app.config["SECRET_KEY"]).new()
    return _("%(a)s cộng %(b)s bằng mấy? (ghi bằng số)", a=NUMBER_WORDS[a], b=NUMBER_WORDS[b]), token


def _render_page(survey: Survey, who: Respondent, posted: Posted, page: int, errors: dict[str, DomainError]):
    version, raw = survey.current_version, posted.raw
    parsed_all = answering.parse(version, raw)
    pages = answering.visible_pages(version, parsed_all.values) or [1]
    page = page if page == 0 or page in pages else min([p for p in pages if p >= page], default=pages[-1])
    challenge = _new_challenge() if who.public and survey.challenge_enabled and page == pages[-1] else None
    questions = [q for q in version.questions if q.page == page]
    on_page = {q.key for q in questions}
    hidden = {name: values for name, values in raw.items() if name.split("__")[0][2:] not in on_page}
    return render_template(
        "answering/page.html",
        survey=survey,
        who=who,
        page=page,
        pages=pages,
        questions=questions,
        raw=raw,
        errors=errors,
        hidden=hidden,
        state=posted.state,
        units=_citizen_units(survey) if who.public else [],
        challenge=challenge,
        k=current_app.config["K_ANONYMITY"],
        resume_code=posted.resume_code,
        shown={q.key for q in answering.visible_questions(version, parsed_all.values)},
        notice=privacy.notice_text(survey).split("\n") if privacy.requires_consent(survey) else None,
        notice_hash=privacy.notice_hash(survey),
    ), 422 if errors else 200


def _citizen_units(survey: Survey) -> list[Unit]:
    """The communes and wards a citizen can say they live in."""
    return list(
        db.session.scalars(
            select(Unit)
            .where(subtree_clause(survey.units), Unit.kind.in_(RESIDENTIAL_KINDS), Unit.is_active)
            .order_by(Unit.name)
        )
    )


def _chosen_unit(units: list[Unit], unit_id: str) -> Unit | None:
    """The commune or ward chosen; a survey for one of them never asks."""
    if len(units) == 1:
        return units[0]
    return next((u for u in units if str(u.id) == unit_id), None)


@bp.app_template_global()
def question_template(question) -> str:
    """The template, under answering/questions/, that draws this question's kind."""
    return kind_of(question).template


@bp.app_template_filter("checked")
def checked(raw: Raw, name: str, value: str) -> Markup:
    return Markup(" checked") if value in raw.get(name, []) else Markup("")
