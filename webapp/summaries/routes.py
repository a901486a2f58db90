"""The archive of weekly summaries, each readable on a phone and downloadable as DOCX and XLSX."""
from flask import Response as HttpResponse
from flask import current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from surveys import access, reports, summaries
from surveys.models import Role, Unit, WeeklySummary
from surveys.results import Bar
from surveys.timeutil import local_today

from ..extensions import db
from ..security import get_permitted, roles_required
from . import bp

READERS = (Role.UNIT_HEAD, Role.COMMITTEE_MEMBER, Role.INSPECTOR, Role.AUTHOR)
PAGE_SIZE = 30


def readable_summary(summary_id: int) -> WeeklySummary:
    return get_permitted(WeeklySummary, summary_id, summaries.can_read)


@bp.route("/")
@roles_required(*READERS)
def index():
    query = select(WeeklySummary)
    if not access.is_admin(current_user):
        committees = [a.committee_id for a in current_user.roles
                      if a.role == Role.COMMITTEE_MEMBER and a.committee_id is not None]
        units = select(Unit.id).where(access.readable_units_clause(current_user))
        query = query.where(or_(WeeklySummary.unit_id.in_(units), WeeklySummary.committee_id.in_(committees)))
    page = max(int(request.args.get("page", "1") or 1), 1)
    items = db.session.scalars(query.order_by(WeeklySummary.week.desc(), WeeklySummary.scope_key)
                               .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("summaries/index.html", items=items[:PAGE_SIZE], page=page,
                           has_more=len(items) > PAGE_SIZE)


@bp.route("/<int:summary_id>")
@roles_required(*READERS)
def show(summary_id: int):
    summary = readable_summary(summary_id)
    # Those who may raise a recommendation get a link per topic to do so.
    may_raise = current_user.has_role(Role.ADMIN, Role.UNIT_HEAD, Role.AUTHOR)
    raise_link = (lambda topic: url_for("followup.new", summary=summary.id, topic=topic)) if may_raise else None
    return render_template("summaries/show.html", summary=summary, data=summary.data, raise_link=raise_link)


def _filename(summary: WeeklySummary, extension: str) -> str:
    return f"tom-tat-{summary.week}-{summary.scope_key.replace(':', '-')}.{extension}"


@bp.route("/<int:summary_id>.docx")
@roles_required(*READERS)
def docx(summary_id: int):
    summary = readable_summary(summary_id)
    head = reports.letterhead(summary.committee or summary.unit, default_place=current_app.config["REPORT_PLACE"])
    content = reports.summary_docx(summary.data, head=head, today=local_today(),
                                   link=url_for(".show", summary_id=summary.id, _external=True))
    return HttpResponse(content, headers={"Content-Disposition": f"attachment; filename={_filename(summary, 'docx')}"},
                        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@bp.route("/<int:summary_id>.xlsx")
@roles_required(*READERS)
def xlsx(summary_id: int):
    summary = readable_summary(summary_id)
    return HttpResponse(reports.summary_xlsx(summary.data),
                        headers={"Content-Disposition": f"attachment; filename={_filename(summary, 'xlsx')}"},
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.app_template_global()
def trend_bars(trend: list[dict]) -> list[Bar]:
    return [Bar(point["week"], point["week"], point["responses"]) for point in trend]
