"""Answering: staff signed in, citizens through a public link, invitees through a personal one.

Pages work without JavaScript. Answers of the other pages travel as hidden fields, so a
page with errors shows everything back exactly as typed; nothing is stored until the
respondent submits (or chooses to save and resume later).
"""
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import abort, current_app, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup
from sqlalchemy import select

from surveys import answering, authoring, ratelimit, tokens
from surveys.answering import Raw
from surveys.errors import N_, DomainError
from surveys.models import RESIDENTIAL_KINDS, Audience, Invitation, Survey, SurveyState, Unit, User, utcnow
from surveys.org import subtree_clause

from ..extensions import db
from . import bp


@dataclass
class Respondent:
    """Who is answering, as far as the platform may know."""

    user: User | None = None
    invitation: Invitation | None = None
    public: bool = False

    def draft_owner(self, resume_code: str | None = None) -> str | None:
        resume_hash = tokens.hash_token(resume_code) if resume_code else None
        return answering.draft_owner(respondent=self.user, invitation=self.invitation, resume_hash=resume_hash)


@bp.route("/answer/<int:survey_id>", methods=["GET", "POST"])
@login_required
def staff(survey_id: int):
    survey = db.session.get(Survey, survey_id)
    if survey is None or survey.audience != Audience.STAFF:
        abort(404)
    try:
        answering.check_eligible(survey, respondent=current_user, invitation=None, unit=None)
    except DomainError:
        abort(403)
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


def _challenge_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="survey-challenge")


NUMBER_WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _new_challenge() -> tuple[str, str]:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    return _("%(a)s cộng %(b)s bằng mấy? (ghi bằng số)", a=NUMBER_WORDS[a], b=NUMBER_WORDS[b]), \
        _challenge_serializer().dumps(a + b)


def _challenge_passed() -> bool:
    try:
        expected = _challenge_serializer().loads(request.form.get("challenge_token", ""))
    except BadSignature:
        return False
    return request.form.get("challenge_answer", "").strip() == str(expected)


def _answer(survey: Survey, who: Respondent):
    version = survey.current_version
    if request.method == "GET" and request.args.get("done"):
        return render_template("answering/thanks.html", survey=survey, receipt=request.args.get("receipt"))
    if not authoring.is_accepting(survey):
        ended = survey.state in (SurveyState.CLOSED, SurveyState.ARCHIVED) or (
            survey.closes_at is not None and survey.closes_at <= utcnow())
        return render_template("answering/unavailable.html", survey=survey, ended=ended), 410 if ended else 200
    if answering.has_participated(db.session, survey, respondent=who.user, invitation=who.invitation) and \
            request.method == "GET":
        return render_template("answering/already.html", survey=survey)

    resume_code = request.values.get("resume") or None
    units = _citizen_units(survey) if who.public else []
    errors: dict[str, DomainError] = {}
    if request.method == "GET":
        draft = answering.load_draft(db.session, survey, who.draft_owner(resume_code))
        raw: Raw = dict(draft.values) if draft else {}
        page = draft.page if draft else 0  # 0: the introduction
        state = {"idempotency_key": uuid.uuid4().hex, "unit_id": raw.pop("_unit_id", [""])[0]}
    else:
        raw = answering.raw_from_form(version, request.form)
        state = {"idempotency_key": request.form.get("idempotency_key", ""), "unit_id": request.form.get("unit_id", "")}
        page = int(request.form.get("page", "0") or 0)
        action = request.form.get("action", "next")
        if who.public and request.form.get("website"):
            # The honeypot was filled: a robot. Say thanks and store nothing.
            return redirect(request.path + "?done=1")
        parsed = answering.parse(version, raw, pages={page})
        pages = answering.visible_pages(version, parsed.values) or [1]
        unit = _chosen_unit(units, state["unit_id"]) if who.public else None
        if action == "save":
            code = resume_code or (tokens.new_token(12) if who.public else None)
            answering.save_draft(db.session, survey, who.draft_owner(code), raw | {"_unit_id": [state["unit_id"]]},
                                 max(page, 1))
            db.session.commit()
            return render_template("answering/saved.html", survey=survey, resume_code=code if who.public else None)
        if action == "back":
            page = max([p for p in pages if p < page], default=0)
        elif page == 0:
            if who.public and unit is None:
                errors["_unit"] = DomainError(N_("Vui lòng chọn xã, phường nơi bạn sinh sống."))
            else:
                page = pages[0]
        elif parsed.errors:
            errors = parsed.errors
        elif page < pages[-1]:
            page = min(p for p in pages if p > page)
        else:
            if who.public and survey.challenge_enabled and not _challenge_passed():
                errors["_challenge"] = DomainError(N_("Câu trả lời kiểm tra chưa đúng, vui lòng thử lại."))
            elif who.public and not ratelimit.hit(db.session, f"public-submit:{request.remote_addr}",
                                                  limit=current_app.config["PUBLIC_SUBMITS_PER_HOUR"],
                                                  window=timedelta(hours=1)):
                db.session.commit()
                abort(429)
            else:
                return _submit(survey, who, raw, state, unit, resume_code)
    return _render_page(survey, who, raw, state, page, errors, resume_code)


def _render_page(survey: Survey, who: Respondent, raw: Raw, state: dict, page: int,
                 errors: dict[str, DomainError], resume_code: str | None):
    version = survey.current_version
    parsed_all = answering.parse(version, raw)
    pages = answering.visible_pages(version, parsed_all.values) or [1]
    page = page if page == 0 or page in pages else min([p for p in pages if p >= page], default=pages[-1])
    challenge = _new_challenge() if who.public and survey.challenge_enabled and page == pages[-1] else None
    questions = [q for q in version.questions if q.page == page]
    on_page = {q.key for q in questions}
    hidden = {name: values for name, values in raw.items() if name.split("__")[0][2:] not in on_page}
    return render_template(
        "answering/page.html", survey=survey, who=who, page=page, pages=pages, questions=questions, raw=raw,
        errors=errors, hidden=hidden, state=state, units=_citizen_units(survey) if who.public else [],
        challenge=challenge, k=current_app.config["K_ANONYMITY"], resume_code=resume_code,
        shown={q.key for q in answering.visible_questions(version, parsed_all.values)},
    ), 422 if errors else 200


def _submit(survey: Survey, who: Respondent, raw: Raw, state: dict, unit: Unit | None, resume_code: str | None):
    try:
        response, created = answering.submit_response(
            db.session, survey, raw, idempotency_key=state["idempotency_key"], respondent=who.user,
            invitation=who.invitation, unit=unit,
        )
        if resume_code:
            answering.discard_draft(db.session, survey, who.draft_owner(resume_code))
    except answering.ValidationFailed as failure:
        db.session.rollback()
        first_page = min(q.page for q in survey.current_version.questions if q.key in failure.errors)
        return _render_page(survey, who, raw, state, first_page, failure.errors, resume_code)
    except DomainError as error:
        db.session.rollback()
        page = int(request.form.get("page", "1") or 1)
        return _render_page(survey, who, raw, state, page, {"_form": error}, resume_code)
    db.session.commit()
    return redirect(request.path + "?done=1")


def _citizen_units(survey: Survey) -> list[Unit]:
    """The communes and wards a citizen can say they live in."""
    return list(db.session.scalars(
        select(Unit).where(subtree_clause(survey.units), Unit.kind.in_(RESIDENTIAL_KINDS), Unit.is_active)
        .order_by(Unit.name)))


def _chosen_unit(units: list[Unit], unit_id: str) -> Unit | None:
    return next((u for u in units if str(u.id) == unit_id), None)


@bp.app_template_filter("checked")
def checked(raw: Raw, name: str, value: str) -> Markup:
    return Markup(" checked") if value in raw.get(name, []) else Markup("")
