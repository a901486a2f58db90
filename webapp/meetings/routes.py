"""Meetings and desks: record one, add its opinions by hand or from a file, read them."""

from flask import Response as HttpResponse
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from surveys import access, meetings
from surveys.models import AnswerTag, Channel, Meeting, Opinion, Unit

from ..boundary import submitted
from ..extensions import db
from ..forms import unit_choices
from ..nlp_tagger import taxonomy
from ..security import get_permitted, offered, permission_required
from . import bp
from .forms import MeetingForm, OpinionForm, OpinionImportForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/meetings/")
@permission_required("meetings.read")
def index():
    counts = (
        select(Opinion.meeting_id, func.count().label("n")).group_by(Opinion.meeting_id).subquery()
    )  # opinions per meeting, in the same query as the list
    rows = db.session.execute(
        select(Meeting, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.meeting_id == Meeting.id)
        .where(meetings.meetings_clause(access.readable_units_clause(current_user)))
        .options(joinedload(Meeting.unit), joinedload(Meeting.survey))
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .limit(200)
    ).all()
    return render_template("meetings/index.html", rows=rows)


def _recording_units() -> dict[int, Unit]:
    clause = access.units_clause(current_user, "meetings.record")
    return {
        u.id: u for u in db.session.scalars(select(Unit).where(clause, Unit.is_active).order_by(Unit.path).limit(3000))
    }


@bp.route("/meetings/new", methods=["GET", "POST"])
@permission_required("meetings.record")
def new():
    form = MeetingForm()
    units = _recording_units()
    form.unit_id.choices = unit_choices(units.values())
    if submitted(form):
        meeting = meetings.record_meeting(
            db.session,
            kind=Channel(form.kind.data),
            held_on=form.held_on.data,
            place=form.place.data,
            chair=form.chair.data,
            attendance=form.attendance.data,
            note=form.note.data or "",
            unit=offered(units, form.unit_id.data),
            actor=current_user,
        )
        flash(_("Đã ghi nhận buổi tiếp nhận ý kiến. Hãy nhập các ý kiến."), "success")
        return redirect(url_for(".detail", meeting_id=meeting.id))
    return render_template("meetings/new.html", form=form)


def _opinion_form() -> tuple[OpinionForm, dict[int, Unit]]:
    form = OpinionForm()
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.is_active).order_by(Unit.path).limit(3000))}
    form.concerned_unit_id.choices = unit_choices(units.values(), first=SelectChoice(0, _("— Chính đơn vị tổ chức —")))
    return form, units


def _render_detail(meeting: Meeting, opinion_form: OpinionForm | None = None, import_form=None, status: int = 200):
    records = access.can(current_user, "meetings.record", meeting)
    rows = db.session.execute(
        select(Opinion, AnswerTag)
        .outerjoin(AnswerTag, AnswerTag.answer_id == Opinion.answer_id)
        .where(Opinion.meeting_id == meeting.id)
        .options(joinedload(Opinion.answer), joinedload(Opinion.concerned_unit))
        .order_by(Opinion.number)
    ).all()
    if records:
        opinion_form = opinion_form or _opinion_form()[0]
        import_form = import_form or OpinionImportForm()
    page = render_template(
        "meetings/detail.html",
        meeting=meeting,
        rows=rows,
        records=records,
        opinion_form=opinion_form if records else None,
        import_form=import_form if records else None,
        topics=taxonomy(current_app),
    )
    return page, status


@bp.route("/meetings/<int:meeting_id>")
@permission_required("meetings.read")
def detail(meeting_id: int):
    return _render_detail(get_permitted(Meeting, meeting_id, "meetings.read"))


@bp.route("/meetings/<int:meeting_id>/opinions", methods=["POST"])
@permission_required("meetings.record")
def add_opinion(meeting_id: int):
    """One opinion typed from the minutes; the page keeps what was typed when it is refused."""
    meeting = get_permitted(Meeting, meeting_id, "meetings.record")
    form, units = _opinion_form()
    if not submitted(form):
        return _render_detail(meeting, opinion_form=form, status=422 if form.errors else 200)
    unit = offered(units, form.concerned_unit_id.data) if form.concerned_unit_id.data else None
    item = meetings.OpinionInput(
        form.text.data, speaker=form.speaker.data if form.consent.data else None, concerned_unit=unit
    )
    report = meetings.add_opinions(db.session, meeting, [item], current_user)
    flash(_("Đã ghi ý kiến.") if report.added else _("Ý kiến này đã được ghi trước đó."), "success")
    return redirect(url_for(".detail", meeting_id=meeting.id) + "#opinions")


@bp.route("/meetings/<int:meeting_id>/import", methods=["POST"])
@permission_required("meetings.record")
def import_opinions(meeting_id: int):
    """Opinions from the XLSX template or from DOCX minutes (one per numbered paragraph)."""
    meeting = get_permitted(Meeting, meeting_id, "meetings.record")
    form = OpinionImportForm()
    if not submitted(form, about=form.file):
        return _render_detail(meeting, import_form=form, status=422 if form.errors else 200)
    data = form.file.data.read()
    is_docx = form.file.data.filename.lower().endswith(".docx")
    items = meetings.read_docx(data) if is_docx else meetings.read_xlsx(db.session, data)
    report = meetings.add_opinions(db.session, meeting, items, current_user)
    flash(_("Đã nhập %(n)s ý kiến; %(d)s ý kiến trùng đã bỏ qua.", n=report.added, d=report.duplicates), "success")
    return redirect(url_for(".detail", meeting_id=meeting.id) + "#opinions")


@bp.route("/meetings/template.xlsx")
@permission_required("meetings.record")
def template():
    return HttpResponse(
        meetings.xlsx_template(),
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": "attachment; filename=mau-y-kien.xlsx"},
    )
