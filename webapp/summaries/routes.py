"""The archive of weekly summaries, each readable on a phone and downloadable as DOCX and XLSX."""

from flask import Response as HttpResponse
from flask import current_app, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from surveys import access, reports
from surveys.models import WeeklySummary
from surveys.results import Bar
from surveys.timeutil import local_today

from ..extensions import db
from ..forms import page_arg
from ..security import get_permitted, permission_required
from . import bp

PAGE_SIZE = 30


def readable_summary(summary_id: int) -> WeeklySummary:
    return get_permitted(WeeklySummary, summary_id, "summaries.read")


@bp.route("/")
@permission_required("summaries.read")
def index():
    query = select(WeeklySummary).where(access.readable_summaries_clause(current_user))
    page = page_arg()
    items = db.session.scalars(
        query.order_by(WeeklySummary.week.desc(), WeeklySummary.scope_key)
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template("summaries/index.html", items=items[:PAGE_SIZE], page=page, has_more=len(items) > PAGE_SIZE)


@bp.route("/<int:summary_id>")
@permission_required("summaries.read")
def show(summary_id: int):
    summary = readable_summary(summary_id)
    # Those who may raise a recommendation get a link per topic to do so.
    may_raise = access.can(current_user, "recommendations.raise")
    raise_link = (lambda topic: url_for("followup.new", summary=summary.id, topic=topic)) if may_raise else None
    return render_template("summaries/show.html", summary=summary, data=summary.data, raise_link=raise_link)


def _filename(summary: WeeklySummary, extension: str) -> str:
    return f"tom-tat-{summary.week}-{summary.scope_key.replace(':', '-')}.{extension}"


@bp.route("/<int:summary_id>.docx")
@permission_required("summaries.read")
def docx(summary_id: int):
    summary = readable_summary(summary_id)
    head = reports.letterhead(summary.committee or summary.unit, default_place=current_app.config["REPORT_PLACE"])
    content = reports.summary_docx(
        summary.data, head=head, today=local_today(), link=url_for(".show", summary_id=summary.id, _external=True)
    )
    return HttpResponse(
        content,
        headers={"Content-Disposition": f"attachment; filename={_filename(summary, 'docx')}"},
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@bp.route("/<int:summary_id>.xlsx")
@permission_required("summaries.read")
def xlsx(summary_id: int):
    summary = readable_summary(summary_id)
    return HttpResponse(
        reports.summary_xlsx(summary.data),
        headers={"Content-Disposition": f"attachment; filename={_filename(summary, 'xlsx')}"},
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.app_template_global()
def trend_bars(trend: list[dict]) -> list[Bar]:
    return [Bar(point["week"], point["week"], point["responses"]) for point in trend]
