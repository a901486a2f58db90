"""Personal data (Law 91/2025/QH15): what the platform holds about the person signed in ("Dữ liệu
cá nhân của tôi"), to read, download as JSON or CSV, and to make requests about; for the
administrator, those requests with their deadlines, the register of processing activities and the
incident log, each exportable as CSV or XLSX (formula-safe, like every export)."""

import json
from collections.abc import Iterator
from typing import Any

from flask import Response as HttpResponse
from flask import abort, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import case, select

from surveys import data_subjects, exports, privacy_records
from surveys.models import DataRequest, Incident, RequestKind
from surveys.people import ROLE_LABELS
from surveys.timeutil import format_date, format_datetime, local_today

from ..boundary import redirect_on_refusal, submitted
from ..extensions import db
from ..labels import AUDIT_ACTION_LABELS, REQUEST_KIND_LABELS, REQUEST_STATUS_LABELS
from ..security import get_permitted, permission_required
from . import bp
from .forms import DataRequestForm, IncidentForm, OutcomeForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(rows: Iterator[list[Any]], kind: str, name: str) -> HttpResponse:
    """``rows`` (a header first) as a CSV or XLSX attachment ``name``.csv/.xlsx, streamed."""
    disposition = {"Content-Disposition": f"attachment; filename={name}.{kind}"}
    if kind == "csv":
        return HttpResponse(
            stream_with_context(exports.csv_chunks(rows)), mimetype="text/csv; charset=utf-8", headers=disposition
        )
    output = exports.xlsx_file(rows)

    def chunks():
        with output:
            while chunk := output.read(64 * 1024):
                yield chunk

    return HttpResponse(chunks(), headers=disposition, mimetype=XLSX)


def shown(field: str, value: Any) -> str:
    """A held value as people read it: names for actions, kinds, statuses and roles; dd/mm/yyyy."""
    labels = {"action": AUDIT_ACTION_LABELS, "kind": REQUEST_KIND_LABELS, "status": REQUEST_STATUS_LABELS}
    text = data_subjects.cell_text(value)
    if field in labels:
        return str(labels[field].get(text, text))
    if field == "roles" and text:
        return ", ".join(_(ROLE_LABELS.get(role, role)) for role in text.split(", "))
    return text


# ---- one's own data -----------------------------------------------------------------------------


@bp.route("/me/data", methods=["GET", "POST"])
@login_required
def my_data():
    form = DataRequestForm()
    if submitted(form):
        filed = data_subjects.file_request(
            db.session,
            current_user,
            RequestKind(form.kind.data),
            form.details.data,
            hours=current_app.config["PRIVACY_REQUEST_HOURS"],
        )
        flash(
            _("Đã gửi yêu cầu. Quản trị hệ thống trả lời trước %(due)s.", due=format_datetime(filed.due_at)), "success"
        )
        return redirect(url_for(".my_data"))
    return render_template(
        "privacy/my_data.html", sections=data_subjects.holdings(db.session, current_user), form=form, shown=shown
    )


@bp.route("/me/data.<any(json, csv):kind>")
@login_required
def my_data_export(kind: str):
    """Everything held about the person: JSON as stored, or CSV (one value a line) as read."""
    sections = data_subjects.holdings(db.session, current_user)
    if kind == "json":
        body = json.dumps(data_subjects.as_json(sections), ensure_ascii=False, indent=2)
        headers = {"Content-Disposition": "attachment; filename=du-lieu-ca-nhan.json"}
        return HttpResponse(body, mimetype="application/json", headers=headers)
    with force_locale("vi"):
        rows = list(data_subjects.csv_rows(sections, shown))
    return download(iter(rows), "csv", "du-lieu-ca-nhan")


# ---- requests, for the administrator ------------------------------------------------------------


@bp.route("/admin/privacy/requests")
@permission_required("privacy.manage")
def requests():
    """Open requests first, the nearest deadline first; then those handled, newest first."""
    still_open = case((DataRequest.status.in_(data_subjects.OPEN_STATUSES), 0), else_=1)
    listed = db.session.scalars(
        select(DataRequest).order_by(still_open, DataRequest.due_at, DataRequest.id.desc())
    ).all()
    return render_template("privacy/requests.html", requests=listed, overdue=data_subjects.is_overdue)


@bp.route("/admin/privacy/requests/<int:request_id>")
@permission_required("privacy.manage")
def request_detail(request_id: int):
    filed = get_permitted(DataRequest, request_id, "privacy.manage")
    sections = data_subjects.holdings(db.session, filed.user) if filed.user else []
    return render_template(
        "privacy/request.html",
        filed=filed,
        sections=sections,
        form=OutcomeForm(),
        overdue=data_subjects.is_overdue(filed),
        shown=shown,
    )


@bp.post("/admin/privacy/requests/<int:request_id>/<any(acknowledge, complete, refuse):action>")
@permission_required("privacy.manage")
@redirect_on_refusal(".request_detail", "request_id")
def act_on_request(request_id: int, action: str):
    filed = get_permitted(DataRequest, request_id, "privacy.manage")
    form = OutcomeForm()
    if not form.validate_on_submit():
        abort(400)
    if action == "acknowledge":
        data_subjects.acknowledge(db.session, filed, current_user)
    elif action == "complete":
        data_subjects.complete(db.session, filed, current_user, form.outcome.data)
    else:
        data_subjects.refuse(db.session, filed, current_user, form.outcome.data)
    flash(_("Đã cập nhật yêu cầu."), "success")
    return redirect(url_for(".request_detail", request_id=filed.id))


# ---- register and incidents ---------------------------------------------------------------------


@bp.route("/admin/privacy/register")
@permission_required("privacy.manage")
def register():
    return render_template(
        "privacy/register.html", header=privacy_records.REGISTER_HEADER, activities=privacy_records.register(db.session)
    )


@bp.route("/admin/privacy/register.<any(csv, xlsx):kind>")
@permission_required("privacy.manage")
def register_export(kind: str):
    return download(privacy_records.register_rows(db.session), kind, "so-dang-ky-hoat-dong-xu-ly")


def _facts(form: IncidentForm) -> privacy_records.IncidentFacts:
    return privacy_records.IncidentFacts(
        found_on=form.found_on.day,
        description=form.description.data or "",
        data_affected=form.data_affected.data or "",
        people_affected=form.people_affected.data or 0,
        measures=form.measures.data or "",
        authority_notified_on=form.authority_notified_on.day,
        people_notified_on=form.people_notified_on.day,
    )


@bp.route("/admin/privacy/incidents", methods=["GET", "POST"])
@permission_required("privacy.manage")
def incidents():
    form = IncidentForm()
    if submitted(form):
        privacy_records.record_incident(db.session, _facts(form), current_user, local_today())
        flash(_("Đã ghi nhận sự cố."), "success")
        return redirect(url_for(".incidents"))
    return render_template(
        "privacy/incidents.html",
        incidents=privacy_records.incidents(db.session),
        form=form,
        today=local_today(),
        overdue=privacy_records.notification_overdue,
    )


@bp.route("/admin/privacy/incidents/<int:incident_id>", methods=["GET", "POST"])
@permission_required("privacy.manage")
def incident_form(incident_id: int):
    incident = get_permitted(Incident, incident_id, "privacy.manage")
    form = IncidentForm(obj=incident if request.method == "GET" else None)
    if request.method == "GET":
        for name in ("found_on", "authority_notified_on", "people_notified_on"):
            getattr(form, name).data = format_date(getattr(incident, name))
    if submitted(form):
        privacy_records.update_incident(db.session, incident, _facts(form), current_user, local_today())
        flash(_("Đã lưu sự cố."), "success")
        return redirect(url_for(".incidents"))
    return render_template("privacy/incident_form.html", incident=incident, form=form)


@bp.route("/admin/privacy/incidents.<any(csv, xlsx):kind>")
@permission_required("privacy.manage")
def incidents_export(kind: str):
    return download(privacy_records.incident_rows(db.session), kind, "nhat-ky-su-co-du-lieu-ca-nhan")
