"""Recommendations: raising them, moving them through the workflow, overdue lists,
and the public "you said — we did" pages."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from surveys import access, answering, recommendations, results, tokens
from surveys.models import (
    CLOSED_STATUSES,
    Answer,
    PendingResponse,
    Recommendation,
    RecommendationKind,
    Response,
    SourceKind,
    Survey,
    SurveyState,
    Unit,
    WeeklySummary,
)
from surveys.text import parse_id
from surveys.timeutil import local_today

from ..boundary import redirect_on_refusal, submitted
from ..extensions import db
from ..forms import unit_choices
from ..nlp_tagger import taxonomy
from ..security import get_permitted, offered, permission_required
from . import bp
from .forms import ActionForm, RecommendationForm

PAGE_SIZE = 50


def readable(recommendation_id: int) -> Recommendation:
    return get_permitted(Recommendation, recommendation_id, "recommendations.read")


def _receiving_units() -> list[Unit]:
    """Where a recommendation may be addressed: units one acts for, or the area one supervises (the Front)."""
    clause = access.raising_units_clause(current_user)
    return list(db.session.scalars(select(Unit).where(clause, Unit.is_active).order_by(Unit.path).limit(2000)))


@bp.route("/recommendations/")
@permission_required("recommendations.read")
def index():
    today = local_today()
    view = request.args.get("view", "open")
    query = (
        select(Recommendation)
        .where(access.readable_recommendations_clause(current_user))
        .options(joinedload(Recommendation.owner_unit), joinedload(Recommendation.handling_unit))
    )  # the list shows one
    if view == "overdue":
        query = query.where(recommendations.overdue_clause(today))
    elif view == "due_soon":
        query = query.where(recommendations.due_soon_clause(today))
    elif view == "open":
        query = query.where(Recommendation.status.not_in(CLOSED_STATUSES))
    items = db.session.scalars(
        query.order_by(Recommendation.reply_due.is_(None), Recommendation.reply_due, Recommendation.id).limit(PAGE_SIZE)
    ).all()
    return render_template(
        "followup/index.html", items=items, view=view, today=today, is_overdue=recommendations.is_overdue
    )


def _source_answers() -> tuple[Survey | None, list[Answer]]:
    """The survey and the answers chosen on its results page (?survey=…&answer=…), all within scope."""
    survey = db.session.get(Survey, parse_id(request.values.get("survey")) or 0)
    if survey is None:
        return None, []
    if not access.can(current_user, "results.read", survey):
        abort(403)
    ids = [i for i in map(parse_id, request.values.getlist("answer")) if i is not None]
    answers = list(
        db.session.scalars(
            select(Answer)
            .join(Response, Response.id == Answer.response_id)
            .where(Answer.id.in_(ids), results.response_scope(db.session, current_user, survey))
        )
    )
    if len(answers) != len(set(ids)):
        abort(403)
    return survey, answers


def _source_summary() -> WeeklySummary | None:
    """The weekly summary a topic was raised from (?summary=…&topic=…)."""
    summary = db.session.get(WeeklySummary, parse_id(request.values.get("summary")) or 0)
    if summary is not None and not access.can(current_user, "summaries.read", summary):
        abort(403)
    return summary


def _describe_source(
    form: RecommendationForm, survey: Survey | None, answers: list[Answer], summary: WeeklySummary | None
) -> None:
    """Fill in where the recommendation comes from, for the person to check."""
    topic = form.topic.data = request.args.get("topic", "")
    if answers:
        form.source_kind.data = SourceKind.ANSWERS.value
        form.source_detail.data = _("%(n)s ý kiến trong khảo sát “%(title)s”", n=len(answers), title=survey.title)
    elif summary is not None:
        label = f": {taxonomy(current_app).label(topic)}" if topic else ""
        form.source_kind.data = SourceKind.SUMMARY.value
        form.source_detail.data = (
            _("Tóm tắt tuần %(week)s — %(scope)s", week=summary.week, scope=summary.scope_name) + label
        )


@bp.route("/recommendations/new", methods=["GET", "POST"])
@permission_required("recommendations.raise")
def new():
    """From chosen answers (?survey=…&answer=…), a summary topic (?summary=…&topic=…) or by hand."""
    survey, answers = _source_answers()
    summary = _source_summary()
    form = RecommendationForm()
    units = {u.id: u for u in _receiving_units()}
    form.owner_unit_id.choices = unit_choices(units.values())
    form.topic.choices = [SelectChoice("", _("— Chưa xác định —"))] + [
        SelectChoice(t.key, t.label) for t in taxonomy(current_app).topics
    ]
    if request.method == "GET":
        if access.supervises(current_user):
            form.source_kind.data = SourceKind.ORGANISATION.value
        _describe_source(form, survey, answers, summary)
    if submitted(form):
        owner = offered(units, form.owner_unit_id.data)
        recommendation = recommendations.create(
            db.session,
            title=form.title.data,
            content=form.content.data,
            kind=RecommendationKind(form.kind.data),
            source_kind=SourceKind(form.source_kind.data),
            source_detail=form.source_detail.data,
            owner_unit=owner,
            actor=current_user,
            today=local_today(),
            topic=form.topic.data or None,
            survey=survey,
            answers=answers,
            summary_id=summary.id if summary else None,
            is_public=form.is_public.data,
            forward_working_days=current_app.config["RECOMMENDATION_FORWARD_WORKING_DAYS"],
            reply_days=current_app.config["RECOMMENDATION_REPLY_DAYS"],
        )
        flash(_("Đã tiếp nhận kiến nghị."), "success")
        return redirect(url_for(".detail", recommendation_id=recommendation.id))
    return render_template("followup/new.html", form=form, survey=survey, answers=answers, summary=summary)


def _action_form(recommendation: Recommendation) -> ActionForm:
    """The form behind every workflow step; only built where a step can be taken."""
    form = ActionForm()
    units = db.session.scalars(select(Unit).where(Unit.is_active).order_by(Unit.path).limit(3000))
    form.unit_id.choices = unit_choices(units, first=SelectChoice(0, _("— Chọn đơn vị —")))
    if request.method == "GET":
        form.due.data = recommendation.reply_due
    return form


@bp.route("/recommendations/<int:recommendation_id>")
@permission_required("recommendations.read")
def detail(recommendation_id: int):
    recommendation = readable(recommendation_id)
    allowed = (
        [
            action
            for action, (sources, _target) in recommendations.TRANSITIONS.items()
            if recommendation.status in sources
        ]
        if access.can(current_user, "recommendations.act", recommendation)
        else []
    )
    return render_template(
        "followup/detail.html",
        item=recommendation,
        actions=allowed,
        form=_action_form(recommendation) if allowed else None,
        overdue=recommendations.is_overdue(recommendation, local_today()),
        topics=taxonomy(current_app),
    )


@bp.route("/recommendations/<int:recommendation_id>/<action>", methods=["POST"])
@permission_required("recommendations.act")
@redirect_on_refusal(".detail", "recommendation_id")
def act(recommendation_id: int, action: str):
    recommendation = get_permitted(Recommendation, recommendation_id, "recommendations.act")
    form = _action_form(recommendation)
    if not form.validate_on_submit():
        flash(_("Dữ liệu không hợp lệ; vui lòng kiểm tra lại."), "error")
        return redirect(url_for(".detail", recommendation_id=recommendation.id))
    unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
    recommendations.act(
        db.session,
        recommendation,
        action,
        current_user,
        note=form.note.data or "",
        unit=unit,
        forwarded_to=form.forwarded_to.data or "",
        due=form.due.data,
        public=form.public.data,
        today=local_today(),
    )
    flash(_("Đã cập nhật kiến nghị."), "success")
    return redirect(url_for(".detail", recommendation_id=recommendation.id))


# ---- public pages -------------------------------------------------------------------------------


@bp.route("/surveys/<int:survey_id>/public")
def public(survey_id: int):
    survey = db.session.get(Survey, survey_id)
    if survey is None or survey.state == SurveyState.DRAFT:
        abort(404)
    if not access.can(current_user, "followups.public", survey):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        abort(403)
    items = recommendations.public_for_survey(db.session, survey)
    topics = taxonomy(current_app)
    grouped: dict[str, list[Recommendation]] = {}
    for item in items:
        grouped.setdefault(topics.label(item.topic) if item.topic else _("Chủ đề khác"), []).append(item)
    return render_template("followup/public.html", survey=survey, grouped=grouped)


@bp.route("/follow/<receipt>")
def follow(receipt: str):
    response = answering.find_by_receipt(db.session, receipt)
    if response is None:
        abort(404)
    # An anonymous answer still waiting for its batch has fed nothing yet.
    waiting = isinstance(response, PendingResponse)
    items = [] if waiting else recommendations.for_receipt(db.session, response)
    return render_template("followup/follow.html", survey=response.survey, items=items, waiting=waiting)


@bp.route("/follow")
def enter_code():
    """Where a code written down on paper is typed in; it leads to that answer's follow page."""
    typed = request.args.get("code", "")
    if typed:
        response = answering.find_by_receipt(db.session, typed)
        if response is not None:
            return redirect(url_for("followup.follow", receipt=tokens.normalise_code(typed) or typed))
    return render_template("followup/enter_code.html", typed=typed), 404 if typed else 200


@bp.route("/my/opinions")
@login_required
def mine():
    """The page "Ý kiến của tôi": a signed-in person's own answers to surveys that are not anonymous, and
    what each led to (an anonymous answer names nobody, so only its code finds it)."""
    answered = recommendations.for_respondent(db.session, current_user)
    return render_template("followup/mine.html", answered=answered)
