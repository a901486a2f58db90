"""Survey authoring: settings, questions, templates, import/export, publishing, invitations."""

import json
from datetime import UTC

from flask import Response as HttpResponse
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from surveys import access, authoring, definitions, mail, notice, privacy, results, xlsform
from surveys.models import Anonymity, Audience, Recurrence, Survey, Unit
from surveys.questions import kind_of
from surveys.timeutil import VN_TZ, format_datetime

from ..boundary import redirect_on_refusal, submitted
from ..extensions import db
from ..forms import EmptyForm, unit_choices
from ..i18n import domain_message
from ..labels import promise
from ..security import get_permitted, offered, permission_required
from . import bp
from .forms import ImportForm, InvitationForm, QuestionForm, SurveyForm


def managed_survey(survey_id: int) -> Survey:
    return get_permitted(Survey, survey_id, "surveys.manage")


def _author_units() -> list[Unit]:
    clause = access.units_clause(current_user, "surveys.manage")
    return list(db.session.scalars(select(Unit).where(clause, Unit.is_active).order_by(Unit.path)))


def _unit_choices(units: list[Unit]) -> list[SelectChoice]:
    return unit_choices(units)


@bp.route("/")
@permission_required("results.read")
def index():
    surveys = db.session.scalars(
        select(Survey)
        .where(access.readable_surveys_clause(db.session, current_user))
        .order_by(Survey.created_at.desc())
    ).all()
    return render_template("authoring/index.html", surveys=surveys, templates=definitions.library())


def _form_settings(form: SurveyForm, units: dict[int, Unit]) -> dict:
    def utc(value):
        return value.replace(tzinfo=VN_TZ).astimezone(UTC) if value else None

    return dict(
        title=form.title.data,
        introduction=form.introduction.data,
        audience=Audience(form.audience.data),
        anonymity=Anonymity(form.anonymity.data),
        units=[units[i] for i in form.unit_ids.data if i in units],
        opens_at=utc(form.opens_at.data),
        closes_at=utc(form.closes_at.data),
        recurrence=Recurrence(form.recurrence.data),
        challenge_enabled=form.challenge_enabled.data,
        purpose=form.purpose.data or "",
        retention_days=form.retention_days.data,
    )


def _prepare_survey_form(form: SurveyForm) -> dict[int, Unit]:
    units = _author_units()
    form.owner_unit_id.choices = _unit_choices(units)
    # Surveyed units may lie below the author's own (e.g. every commune of the province).
    form.unit_ids.choices = _unit_choices(units)
    return {u.id: u for u in units}


@bp.route("/new", methods=["GET", "POST"])
@permission_required("surveys.create")
def new():
    template_name = request.args.get("template", "")
    template = definitions.library().get(template_name)
    form = SurveyForm(data=template or None)
    units = _prepare_survey_form(form)
    if submitted(form):
        survey = authoring.create_survey(
            db.session,
            owner_unit=offered(units, form.owner_unit_id.data),
            author=current_user,
            questions=template["questions"] if template else None,
            **_form_settings(form, units),
        )
        if template:  # its questions are there already: nothing to add before a look and publishing
            flash(
                _(
                    "Đã tạo khảo sát với %(n)s câu hỏi theo mẫu. Hãy xem lại rồi mở khảo sát.",
                    n=len(template["questions"]),
                ),
                "success",
            )
        else:
            flash(_("Đã tạo khảo sát. Hãy thêm câu hỏi rồi mở khảo sát."), "success")
        return redirect(url_for(".detail", survey_id=survey.id))
    return render_template("authoring/survey_form.html", form=form, survey=None, template=template)


@bp.route("/import", methods=["GET", "POST"])
@permission_required("surveys.create")
def import_definition():
    form = ImportForm()
    units = {u.id: u for u in _author_units()}
    form.owner_unit_id.choices = _unit_choices(list(units.values()))
    if submitted(form, about=form.file):
        imported = xlsform.read_upload(form.file.data.filename or "", form.file.data.read())
        survey = authoring.create_from_definition(
            db.session,
            imported.definition,
            owner_unit=offered(units, form.owner_unit_id.data),
            units=[],
            author=current_user,
        )
        flash(_("Đã nhập khảo sát. Hãy chọn đơn vị được khảo sát trong phần cài đặt."), "success")
        for note in imported.notes:
            flash(_("Chưa chuyển được: %(note)s", note=domain_message(note)), "warning")
        return redirect(url_for(".settings", survey_id=survey.id))
    return render_template("authoring/import.html", form=form)


def _public_url(survey: Survey) -> str | None:
    return url_for("answering.public", token=survey.public_token, _external=True) if survey.public_token else None


def _shared_survey(survey_id: int) -> tuple[Survey, str]:
    """A survey whose public link exists (once published for citizens), and that link."""
    survey = managed_survey(survey_id)
    link = _public_url(survey)
    if link is None:
        abort(404)
    return survey, link


@bp.route("/<int:survey_id>")
@permission_required("surveys.manage")
def detail(survey_id: int):
    survey = managed_survey(survey_id)
    public_url = _public_url(survey)
    return render_template(
        "authoring/detail.html",
        survey=survey,
        public_url=public_url,
        action_form=EmptyForm(),
        invitation_form=InvitationForm(),
        has_responses=authoring.has_responses(survey),
        retention_ends=privacy.retention_ends(survey),
    )


@bp.route("/<int:survey_id>/qr.svg")
@permission_required("surveys.manage")
def qr_code(survey_id: int):
    _survey, link = _shared_survey(survey_id)
    return HttpResponse(notice.qr_svg(link), mimetype="image/svg+xml")


@bp.route("/<int:survey_id>/notice.pdf")
@permission_required("surveys.manage")
def notice_pdf(survey_id: int):
    """The A4 notice for a notice board, in Vietnamese whatever language the author reads."""
    survey, link = _shared_survey(survey_id)
    with force_locale("vi"):
        closing = (
            _("Hạn trả lời: đến %(when)s", when=format_datetime(survey.closes_at))
            if survey.closes_at
            else _("Khảo sát mở đến khi có thông báo kết thúc.")
        )
        text = notice.NoticeText(
            issuer=survey.owner_unit.name.upper(),
            heading=_("THÔNG BÁO"),
            invitation=_("Mời ông/bà tham gia khảo sát"),
            title=survey.title,
            scan=_("Quét mã QR bằng điện thoại hoặc mở đường dẫn:"),
            link=link,
            closing=closing,
            promise=promise(survey, current_app.config["K_ANONYMITY"]),
        )
    pdf = notice.notice_pdf(text)
    headers = {"Content-Disposition": f'attachment; filename="thong-bao-khao-sat-{survey.id}.pdf"'}
    return HttpResponse(pdf, mimetype="application/pdf", headers=headers)


@bp.route("/<int:survey_id>/settings", methods=["GET", "POST"])
@permission_required("surveys.manage")
def settings(survey_id: int):
    survey = managed_survey(survey_id)
    form = SurveyForm(
        obj=survey,
        data=None
        if request.method == "POST"
        else {
            "audience": survey.audience.value,
            "anonymity": survey.anonymity.value,
            "recurrence": survey.recurrence.value,
            "owner_unit_id": survey.owner_unit_id,
            "unit_ids": [u.id for u in survey.units],
            "opens_at": survey.opens_at.astimezone(VN_TZ).replace(tzinfo=None) if survey.opens_at else None,
            "closes_at": survey.closes_at.astimezone(VN_TZ).replace(tzinfo=None) if survey.closes_at else None,
        },
    )
    units = _prepare_survey_form(form)
    if submitted(form):
        authoring.update_settings(db.session, survey, current_user, **_form_settings(form, units))
        flash(_("Đã lưu cài đặt."), "success")
        return redirect(url_for(".detail", survey_id=survey.id))
    return render_template("authoring/survey_form.html", form=form, survey=survey, template=None)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _labelled(text: str, key_name: str) -> list[dict]:
    items = []
    for line in _lines(text):
        key, separator, label = line.partition("|")
        items.append({key_name: key.strip(), "label": label.strip()} if separator else {"label": line})
    return items


def _question_from_form(form: QuestionForm) -> dict:
    validation = {
        "min": form.minimum.data,
        "max": form.maximum.data,
        "integer": form.integer.data or None,
        "min_length": form.min_length.data,
        "max_length": form.max_length.data,
        "pattern": form.pattern.data,
        "pattern_message": form.pattern_message.data,
        "min_choices": None,
        "max_choices": None,
    }
    data = {
        "key": form.key.data.strip(),
        "kind": form.kind.data,
        "text": form.text.data,
        "help_text": form.help_text.data,
        "required": form.required.data,
        "page": form.page.data or 1,
        "allow_other": form.allow_other.data,
        "choices": _labelled(form.choices.data, "value"),
        "rows": _labelled(form.rows.data, "key"),
        "scale": {"min_label": form.min_label.data, "max_label": form.max_label.data},
        "validation": {k: v for k, v in validation.items() if v not in (None, "")},
    }
    if form.show_if_question.data:
        data["show_if"] = {
            "question": form.show_if_question.data,
            "any_of": [v.strip() for v in form.show_if_values.data.split(",") if v.strip()],
        }
    return data


def _question_form_data(question: dict) -> dict:
    validation, scale = question.get("validation", {}), question.get("scale", {})
    return {
        **question,
        "choices": "\n".join(f"{c['value']} | {c['label']}" for c in question.get("choices", [])),
        "rows": "\n".join(f"{r['key']} | {r['label']}" for r in question.get("rows", [])),
        "min_label": scale.get("min_label", ""),
        "max_label": scale.get("max_label", ""),
        "minimum": validation.get("min", ""),
        "maximum": validation.get("max", ""),
        "integer": validation.get("integer", False),
        "min_length": validation.get("min_length"),
        "max_length": validation.get("max_length"),
        "pattern": validation.get("pattern", ""),
        "pattern_message": validation.get("pattern_message", ""),
        "show_if_question": question.get("show_if", {}).get("question", ""),
        "show_if_values": ", ".join(question.get("show_if", {}).get("any_of", [])),
    }


@bp.route("/<int:survey_id>/questions/new", methods=["GET", "POST"], defaults={"key": None})
@bp.route("/<int:survey_id>/questions/<key>", methods=["GET", "POST"])
@permission_required("surveys.manage")
def question(survey_id: int, key: str | None):
    survey = managed_survey(survey_id)
    existing = authoring.question_dicts(survey)
    current = next((q for q in existing if q["key"] == key), None)
    if key is not None and current is None:
        abort(404)
    if request.method == "POST":
        form = QuestionForm()
    elif current:
        form = QuestionForm(data=_question_form_data(current))
    else:
        last_page = existing[-1]["page"] if existing else 1
        form = QuestionForm(data={"key": authoring.next_question_key(survey), "page": last_page})
    earlier = existing[: existing.index(current)] if current else existing
    form.show_if_question.choices = [SelectChoice("", _("Luôn hiện"))] + [
        SelectChoice(q["key"], q["text"][:80]) for q in earlier if kind_of(q["kind"]).asks
    ]
    if submitted(form):
        authoring.save_question(db.session, survey, _question_from_form(form), current_user, original_key=key)
        flash(_("Đã lưu câu hỏi."), "success")
        return redirect(url_for(".detail", survey_id=survey.id) + "#questions")
    return render_template("authoring/question_form.html", form=form, survey=survey, key=key)


@bp.route("/<int:survey_id>/questions/<key>/<any(delete, up, down):action>", methods=["POST"])
@permission_required("surveys.manage")
@redirect_on_refusal(".detail", "survey_id", anchor="#questions")
def question_action(survey_id: int, key: str, action: str):
    survey = managed_survey(survey_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if action == "delete":
        authoring.delete_question(db.session, survey, key, current_user)
    else:
        authoring.move_question(db.session, survey, key, -1 if action == "up" else 1, current_user)
    return redirect(url_for(".detail", survey_id=survey.id) + "#questions")


@bp.route("/<int:survey_id>/<any(publish, close, archive):action>", methods=["POST"])
@permission_required("surveys.manage")
@redirect_on_refusal(".detail", "survey_id")
def change_state(survey_id: int, action: str):
    survey = managed_survey(survey_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    getattr(authoring, action)(db.session, survey, current_user)
    flash(
        {"publish": _("Khảo sát đã mở."), "close": _("Khảo sát đã đóng."), "archive": _("Khảo sát đã được lưu trữ.")}[
            action
        ],
        "success",
    )
    return redirect(url_for(".detail", survey_id=survey.id))


@bp.route("/<int:survey_id>/publish")
@permission_required("surveys.manage")
def confirm_publish(survey_id: int):
    """Before opening: the audience, the number of people asked, the anonymity mode and the dates, to confirm."""
    survey = managed_survey(survey_id)
    return render_template(
        "authoring/publish.html",
        survey=survey,
        invited=results.invited_population(db.session, None, survey, results.Filters()),
        questions=sum(1 for q in survey.current_version.questions if kind_of(q).asks),
        k=current_app.config["K_ANONYMITY"],
        form=EmptyForm(),
    )


@bp.route("/<int:survey_id>/definition.json")
@permission_required("surveys.manage")
def export_definition(survey_id: int):
    survey = managed_survey(survey_id)
    body = json.dumps(definitions.export_definition(survey), ensure_ascii=False, indent=2)
    return HttpResponse(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename=khao-sat-{survey.id}.json"},
    )


@bp.route("/<int:survey_id>/xlsform.xlsx")
@permission_required("surveys.manage")
def export_xlsform(survey_id: int):
    """The survey as an XLSForm, to open in ODK Collect, KoboToolbox or any tool that reads the standard."""
    survey = managed_survey(survey_id)
    return HttpResponse(
        xlsform.write_xlsform(definitions.export_definition(survey)),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename=khao-sat-{survey.id}-xlsform.xlsx"},
    )


@bp.route("/<int:survey_id>/invitations", methods=["POST"])
@permission_required("surveys.manage")
def invite(survey_id: int):
    survey = managed_survey(survey_id)
    form = InvitationForm()
    if not form.validate_on_submit():
        flash(_("Vui lòng nhập danh sách người được mời."), "error")
        return redirect(url_for(".detail", survey_id=survey.id))
    created = authoring.create_invitations(db.session, survey, authoring.invitees(form.people.data), current_user)
    links = [(invitation, _send_invitation(survey, invitation, token)) for invitation, token in created]
    flash(_("Đã tạo %(n)s đường dẫn mời; thư mời sẽ được gửi tự động.", n=len(created)), "success")
    return render_template("authoring/invitations.html", survey=survey, links=links)


def _send_invitation(survey: Survey, invitation, token: str) -> str:
    """Queue the invitation's e-mail (when it has an address); returns its personal link."""
    link = url_for("answering.invited", token=token, _external=True)
    if invitation.email:
        with force_locale("vi"):  # mail is Vietnamese whatever language the author reads
            mail.enqueue(
                db.session,
                dedupe_key=f"invitation:{invitation.id}",
                to=invitation.email,
                subject=_("Mời tham gia khảo sát: %(title)s", title=survey.title),
                text=render_template("authoring/invitation_email.txt", survey=survey, link=link, invitation=invitation),
            )
    return link
