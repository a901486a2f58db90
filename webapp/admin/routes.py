"""Administration: units, committees, people, staff-list import, the holiday calendar, mail that
could not be sent and the audit log (administrators only)."""

from flask import Response as HttpResponse
from flask import abort, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from vietnam_provinces import Province
from wtforms import SelectChoice

from surveys import audit, exports, mail, org, people, workdays
from surveys.models import (
    ApiToken,
    Committee,
    CommitteeKind,
    OutboxEmail,
    PublicHoliday,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
    User,
)
from surveys.timeutil import format_date, local_today

from ..boundary import redirect_on_refusal, submitted
from ..extensions import db
from ..forms import EmptyForm, page_arg, unit_choices
from ..labels import AUDIT_ACTION_GROUPS, AUDIT_ACTION_LABELS
from ..nlp_tagger import taxonomy
from ..security import permission_required
from . import bp
from .audit_view import AuditPresenter
from .forms import (
    NO_PARENT,
    AuditFilterForm,
    CommitteeForm,
    DivisionImportForm,
    HolidayForm,
    RoleForm,
    StaffImportForm,
    UnitForm,
    UserForm,
)

PAGE_SIZE = 50


@bp.before_request
@permission_required("admin")
def _administrators_only():
    """Every page of this blueprint is for administrators."""


def _all_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).order_by(Unit.path)))


def _tree_order(units: list[Unit]) -> list[Unit]:
    """Units in tree order with siblings by name (paths sort by id, not by name)."""
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    known = {u.id for u in units}
    ordered: list[Unit] = []

    def walk(parent_id):
        for unit in sorted(children.get(parent_id, []), key=lambda u: u.name):
            ordered.append(unit)
            walk(unit.id)

    for unit in units:  # roots, and units whose parent is filtered out
        if (unit.parent_id is None or unit.parent_id not in known) and unit not in ordered:
            ordered.append(unit)
            walk(unit.id)
    return ordered


def _unit_choices(blank_label: str | None = None) -> list[SelectChoice]:
    return unit_choices(_tree_order(_all_units()), first=SelectChoice(NO_PARENT, blank_label) if blank_label else None)


def _province_choices() -> list[SelectChoice]:
    return sorted((SelectChoice(int(p.code), p.name) for p in Province.iter_all()), key=lambda c: c.label)


def _get(model, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


@bp.route("/")
def index():
    counts = {
        "units": db.session.scalar(select(func.count(Unit.id))),
        "committees": db.session.scalar(select(func.count(Committee.id))),
        "users": db.session.scalar(select(func.count(User.id))),
        "failed_mail": mail.count_failed(db.session),
    }
    return render_template("admin/index.html", counts=counts)


# ---- units ------------------------------------------------------------------------------


@bp.route("/units")
def units():
    query = request.args.get("q", "").strip()
    statement = select(Unit).order_by(Unit.path)
    if query:
        statement = statement.where(or_(Unit.name.ilike(f"%{query}%"), Unit.code.ilike(f"%{query}%")))
    import_form = DivisionImportForm()
    import_form.province_code.choices = _province_choices()
    return render_template(
        "admin/units.html",
        units=_tree_order(list(db.session.scalars(statement))),
        query=query,
        import_form=import_form,
    )


@bp.route("/units/new", methods=["GET", "POST"])
@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
def unit_form(unit_id: int | None = None):
    unit = _get(Unit, unit_id) if unit_id else None
    form = UnitForm(obj=unit, parent_id=(unit.parent_id or NO_PARENT) if unit else NO_PARENT)
    form.parent_id.choices = _unit_choices(_("(Không có — cấp cao nhất)"))
    if unit:
        del form.code  # a code is an identity other systems refer to; it does not change
    if submitted(form):
        parent = db.session.get(Unit, form.parent_id.data) if form.parent_id.data else None
        if unit:
            org.update_unit(
                db.session,
                unit,
                name=form.name.data,
                kind=UnitKind(form.kind.data),
                parent=parent,
                is_active=form.is_active.data,
                actor=current_user,
                report=form.report_settings(),
            )
        else:
            unit = org.create_unit(
                db.session,
                code=form.code.data,
                name=form.name.data,
                kind=UnitKind(form.kind.data),
                parent=parent,
                actor=current_user,
                report=form.report_settings(),
            )
        flash(_("Đã lưu đơn vị %(name)s.", name=unit.name), "success")
        return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=unit, place=current_app.config["REPORT_PLACE"])


@bp.post("/units/import-divisions")
def import_divisions():
    form = DivisionImportForm()
    form.province_code.choices = _province_choices()
    if form.validate_on_submit():
        root = org.import_divisions(db.session, form.province_code.data, actor=current_user)
        flash(_("Đã nhập %(name)s và các xã, phường trực thuộc.", name=root.name), "success")
    return redirect(url_for("admin.units"))


# ---- committees -------------------------------------------------------------------------


@bp.route("/committees")
def committees():
    items = db.session.scalars(
        select(Committee).options(selectinload(Committee.overseen_units)).order_by(Committee.name)
    ).all()
    return render_template("admin/committees.html", committees=items)


@bp.route("/committees/new", methods=["GET", "POST"])
@bp.route("/committees/<int:committee_id>/edit", methods=["GET", "POST"])
def committee_form(committee_id: int | None = None):
    committee = _get(Committee, committee_id) if committee_id else None
    form = CommitteeForm(obj=committee)
    if committee and request.method == "GET":
        form.overseen_ids.data = [u.id for u in committee.overseen_units]
    choices = _unit_choices()
    form.unit_id.choices = form.overseen_ids.choices = choices
    if committee:
        del form.code
    if submitted(form):
        unit = _get(Unit, form.unit_id.data)
        overseen = list(db.session.scalars(select(Unit).where(Unit.id.in_(form.overseen_ids.data))))
        values = dict(
            name=form.name.data,
            kind=CommitteeKind(form.kind.data),
            unit=unit,
            overseen=overseen,
            report=form.report_settings(),
        )
        if committee:
            org.update_committee(db.session, committee, actor=current_user, **values)
        else:
            committee = org.create_committee(db.session, code=form.code.data, actor=current_user, **values)
        flash(_("Đã lưu cấp ủy %(name)s.", name=committee.name), "success")
        return redirect(url_for("admin.committees"))
    return render_template(
        "admin/committee_form.html", form=form, committee=committee, place=current_app.config["REPORT_PLACE"]
    )


# ---- people -----------------------------------------------------------------------------


@bp.route("/users")
def users():
    query = request.args.get("q", "").strip()
    page = page_arg()
    statement = select(User).options(selectinload(User.roles), selectinload(User.unit)).order_by(User.full_name)
    if query:
        like = f"%{query}%"
        statement = statement.where(or_(User.full_name.ilike(like), User.email.ilike(like), User.phone.ilike(like)))
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    items = db.session.scalars(statement.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template(
        "admin/users.html",
        users=items,
        query=query,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        total=total,
    )


def _role_form() -> RoleForm:
    form = RoleForm(prefix="role")
    form.unit_id.choices = _unit_choices(_("(Không áp dụng)"))
    form.committee_id.choices = [SelectChoice(NO_PARENT, _("(Không áp dụng)"))] + [
        SelectChoice(c.id, c.name) for c in db.session.scalars(select(Committee).order_by(Committee.name))
    ]
    return form


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def user_form(user_id: int | None = None):
    user = _get(User, user_id) if user_id else None
    form = UserForm(obj=user, unit_id=(user.unit_id or NO_PARENT) if user else NO_PARENT)
    form.unit_id.choices = _unit_choices(_("(Không thuộc đơn vị)"))
    if submitted(form):
        unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
        values = dict(
            full_name=form.full_name.data,
            email=form.email.data,
            phone=form.phone.data,
            unit=unit,
            position=form.position.data,
        )
        if user:
            people.update_user(db.session, user, is_active=form.is_active.data, actor=current_user, **values)
        else:
            user = people.create_user(db.session, actor=current_user, **values)
            if unit:
                people.assign_role(db.session, user, Role.STAFF, unit=unit, actor=current_user)
        if form.password.data:
            people.set_password(db.session, user, form.password.data, actor=current_user)
        flash(_("Đã lưu tài khoản %(name)s.", name=user.full_name), "success")
        return redirect(url_for("admin.user_form", user_id=user.id))
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        role_form=_role_form() if user else None,
        delete_form=EmptyForm(),
        tokens=people.api_tokens_of(db.session, user) if user else [],
    )


@bp.post("/users/<int:user_id>/tokens/<int:token_id>/revoke")
def revoke_token(user_id: int, token_id: int):
    user = _get(User, user_id)
    api_token = _get(ApiToken, token_id)
    if api_token.user_id != user.id or not EmptyForm().validate_on_submit():
        abort(400)
    people.revoke_api_token(db.session, api_token, actor=current_user)
    flash(_("Đã thu hồi mã truy cập “%(name)s”.", name=api_token.name), "success")
    return redirect(url_for("admin.user_form", user_id=user.id))


@bp.post("/users/<int:user_id>/roles")
@redirect_on_refusal(".user_form", "user_id")
def add_role(user_id: int):
    user = _get(User, user_id)
    form = _role_form()
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
        committee = db.session.get(Committee, form.committee_id.data) if form.committee_id.data else None
        people.assign_role(db.session, user, Role(form.role.data), unit=unit, committee=committee, actor=current_user)
        flash(_("Đã thêm vai trò."), "success")
    return redirect(url_for("admin.user_form", user_id=user.id))


@bp.post("/users/<int:user_id>/roles/<int:assignment_id>/delete")
def remove_role(user_id: int, assignment_id: int):
    user = _get(User, user_id)
    assignment = _get(RoleAssignment, assignment_id)
    if assignment.user_id != user.id or not EmptyForm().validate_on_submit():
        abort(400)
    if assignment.role == Role.ADMIN and user.id == current_user.id:
        flash(_("Không thể tự gỡ quyền quản trị của chính mình."), "error")
    else:
        people.revoke_role(db.session, user, assignment, actor=current_user)
        flash(_("Đã gỡ vai trò."), "success")
    return redirect(url_for("admin.user_form", user_id=user.id))


@bp.route("/users/import", methods=["GET", "POST"])
def import_users():
    form = StaffImportForm()
    report = None
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            content = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors.append(_("Tệp phải được lưu với mã UTF-8 (Excel: “CSV UTF-8”)."))
        else:
            report = people.import_staff_csv(db.session, content, actor=current_user)
            if report.ok:
                flash(_("Đã nhập %(n)s tài khoản.", n=len(report.created)), "success")
    return render_template("admin/import_users.html", form=form, report=report)


# ---- holiday calendar ------------------------------------------------------------------


@bp.route("/holidays", methods=["GET", "POST"])
def holidays():
    """The year's days off: the Labour Code's fixed ones and those the government announces."""
    form = HolidayForm()
    if submitted(form):
        workdays.add_holiday(db.session, form.day.data, form.name.data, actor=current_user)
        flash(_("Đã thêm ngày nghỉ %(day)s.", day=format_date(form.day.data)), "success")
        return redirect(url_for("admin.holidays", year=form.day.data.year))
    year = request.args.get("year", type=int) or (form.day.data.year if form.day.data else local_today().year)
    if not 2000 <= year <= 2100:
        abort(404)
    return render_template(
        "admin/holidays.html",
        form=form,
        year=year,
        days=workdays.year_calendar(db.session, year),
        delete_form=EmptyForm(),
    )


@bp.post("/holidays/<int:holiday_id>/delete")
def remove_holiday(holiday_id: int):
    holiday = _get(PublicHoliday, holiday_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    year = holiday.day.year
    workdays.remove_holiday(db.session, holiday, actor=current_user)
    flash(_("Đã xoá ngày nghỉ."), "success")
    return redirect(url_for("admin.holidays", year=year))


# ---- outgoing mail --------------------------------------------------------------------


@bp.route("/mail")
def failed_mail():
    """Messages the SMTP server never accepted, after every retry."""
    return render_template(
        "admin/mail.html", messages=mail.failed_messages(db.session), form=EmptyForm(), max_attempts=mail.MAX_ATTEMPTS
    )


@bp.post("/mail/<int:message_id>/resend")
def resend_mail(message_id: int):
    outgoing = _get(OutboxEmail, message_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    mail.resend(db.session, outgoing, actor=current_user)
    flash(_("Thư gửi %(to)s đã được đưa lại vào hàng đợi.", to=outgoing.to_address), "success")
    return redirect(url_for("admin.failed_mail"))


# ---- audit log --------------------------------------------------------------------------


def _action_choices() -> dict[str, list[SelectChoice]]:
    """Every named action, grouped (Đơn vị, Tài khoản, Kiến nghị…) and sorted by name."""
    groups: dict[str, list[SelectChoice]] = {"": [SelectChoice("", _("Mọi thao tác"))]}
    for action, label in sorted(AUDIT_ACTION_LABELS.items(), key=lambda item: str(item[1])):
        group = str(AUDIT_ACTION_GROUPS[action.split(".", 1)[0]])
        groups.setdefault(group, []).append(SelectChoice(action, str(label)))
    return groups


def _audit_filters() -> tuple[AuditFilterForm, audit.AuditFilter, dict[str, str]]:
    """The filter form from the query string, the filter it makes, and the query to keep in links."""
    form = AuditFilterForm(request.args)
    form.actor_id.choices = [SelectChoice(0, _("Mọi người"))] + [
        SelectChoice(user.id, user.full_name) for user in audit.actors(db.session)
    ]
    form.action.choices = _action_choices()
    form.validate()
    filters = audit.AuditFilter(
        actor_id=form.actor_id.data or None, action=form.action.data or None, since=form.since.day, until=form.until.day
    )
    kept = {name: request.args[name] for name in ("actor_id", "action", "since", "until") if request.args.get(name)}
    return form, filters, kept


def _audit_presenter() -> AuditPresenter:
    return AuditPresenter({topic.key: topic.label for topic in taxonomy(current_app).topics})


@bp.route("/audit")
def audit_log():
    form, filters, kept = _audit_filters()
    statement = audit.search(filters)
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(page_arg(), pages)
    entries = db.session.scalars(statement.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    presenter = _audit_presenter()
    return render_template(
        "admin/audit.html",
        form=form,
        lines=[presenter.line(entry) for entry in entries],
        filters=kept,
        page=page,
        pages=pages,
        total=total,
    )


@bp.route("/audit.csv")
def audit_export():
    """The filtered log as CSV (UTF-8 with BOM, formula-safe), streamed; in Vietnamese, like every document."""
    _form, filters, _kept = _audit_filters()
    presenter = _audit_presenter()

    def rows():
        with force_locale("vi"):
            yield ["Thời điểm", "Người thực hiện", "Thao tác", "Loại đối tượng", "Đối tượng", "Chi tiết"]
            for entry in db.session.scalars(audit.search(filters).execution_options(yield_per=500)):
                line = presenter.line(entry)
                yield [line.when, line.actor, line.action, line.object_kind, line.object_name, line.as_text()]

    return HttpResponse(
        stream_with_context(exports.csv_chunks(rows())),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=nhat-ky-thay-doi.csv"},
    )
