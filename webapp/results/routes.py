"""Results pages and exports, for authors and scoped readers."""

from dataclasses import dataclass
from datetime import date

from flask import Response as HttpResponse
from flask import abort, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from surveys import access, exports, model_versions, results, tagging
from surveys.models import Answer, ModelState, Response, Survey, Unit
from surveys.org import subtree_clause
from surveys.text import parse_id
from surveys.timeutil import format_date, parse_date

from ..boundary import redirect_on_refusal
from ..extensions import db
from ..forms import EmptyForm, unit_choices
from ..labels import ANSWER_KIND_LABELS, SENTIMENT_LABELS, SHOWN_KIND_LABELS, SHOWN_SENTIMENT_LABELS
from ..nlp_tagger import model_card as model_card_of
from ..nlp_tagger import taxonomy
from ..security import get_permitted, permission_required
from . import bp


def readable_survey(survey_id: int) -> Survey:
    return get_permitted(Survey, survey_id, "results.read")


def _date_arg(name: str) -> date | None:
    try:
        return parse_date(request.args.get(name, ""))
    except ValueError:
        return None


def _known_arg(name: str, known) -> str | None:
    """A filter value the page offers; anything else is no filter (never shown back as typed)."""
    value = request.args.get(name) or None
    return value if value in known else None


def filters_from_request(survey: Survey) -> results.Filters:
    """Filters from the query string; a unit outside the reader's scope is refused."""
    unit = None
    if (unit_id := parse_id(request.args.get("unit"))) is not None:
        unit = db.session.get(Unit, unit_id)
        if unit is None or not access.can_read_unit(current_user, unit):
            abort(403)
    return results.Filters(
        unit=unit,
        date_from=_date_arg("from"),
        date_to=_date_arg("to"),
        topic=_known_arg("topic", taxonomy(current_app).keys()),
        sentiment=_known_arg("sentiment", SHOWN_SENTIMENT_LABELS),
        kind=_known_arg("kind", SHOWN_KIND_LABELS),
        keyword=request.args.get("q", "").strip() or None,
    )


@dataclass
class Chip:
    """An active filter as the page shows it, with the address of the same page without it."""

    name: str
    value: str
    without: str


def active_filters(survey: Survey, filters: results.Filters) -> list[Chip]:
    shown = [
        ("unit", _("Đơn vị"), filters.unit.name if filters.unit else None),
        ("from", _("Từ ngày"), format_date(filters.date_from)),
        ("to", _("Đến ngày"), format_date(filters.date_to)),
        ("topic", _("Chủ đề"), filters.topic and taxonomy(current_app).label(filters.topic)),
        ("sentiment", _("Sắc thái"), filters.sentiment and SHOWN_SENTIMENT_LABELS[filters.sentiment]),
        ("kind", _("Loại ý kiến"), filters.kind and SHOWN_KIND_LABELS[filters.kind]),
        ("q", _("Từ khóa"), filters.keyword),
    ]
    return [
        Chip(name, str(value), url_for(".show", survey_id=survey.id, **_args_without(arg)))
        for arg, name, value in shown
        if value
    ]


def _args_without(name: str) -> dict[str, str]:
    return {key: value for key, value in request.args.items() if key != name and value}


def scope_names(filters: results.Filters) -> list[str]:
    """What the figures cover: the unit chosen, else the reader's own scope."""
    if filters.unit is not None:
        return [filters.unit.name]
    if access.is_admin(current_user):
        return [_("Tất cả đơn vị")]
    return sorted({unit.name for unit in access.scope_roots(current_user)})


def filter_units(survey: Survey) -> list[Unit]:
    """Units a reader can narrow to: the surveyed ones and below, within the reader's scope."""
    query = select(Unit).where(subtree_clause(survey.units or [survey.owner_unit]))
    if not access.is_admin(current_user):
        query = query.where(access.readable_units_clause(current_user))
    return list(db.session.scalars(query.order_by(Unit.path).limit(500)))


@bp.route("/<int:survey_id>/results")
@permission_required("results.read")
def show(survey_id: int):
    survey = readable_survey(survey_id)
    filters = filters_from_request(survey)
    k = current_app.config["K_ANONYMITY"]
    outcome = results.compute(db.session, current_user, survey, filters, k=k)
    units = unit_choices(filter_units(survey), first=SelectChoice("", _("— Tất cả trong phạm vi —")))
    return render_template(
        "results/show.html",
        survey=survey,
        results=outcome,
        filters=filters,
        units=units,
        args=request.args,
        chips=active_filters(survey, filters),
        scope_names=scope_names(filters),
        taxonomy=taxonomy(current_app),
        correction_form=EmptyForm(),
    )


def _back(survey_id: int, **_args) -> str:
    """The page the correction was made on, if it is one of this site's."""
    back = request.form.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = url_for(".show", survey_id=survey_id)
    return back


@bp.route("/<int:survey_id>/answers/<int:answer_id>/tags", methods=["POST"])
@permission_required("results.review")
@redirect_on_refusal(_back)
def correct_tags(survey_id: int, answer_id: int):
    survey = get_permitted(Survey, survey_id, "results.review")
    if not EmptyForm().validate_on_submit():
        abort(403)
    answer = db.session.scalar(
        select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.id == answer_id, results.response_scope(db.session, current_user, survey))
    )
    if answer is None:
        abort(404)
    topics = [t for t in request.form.getlist("topics") if t]
    tagging.correct(
        db.session,
        answer,
        sentiment=request.form.get("sentiment") or None,
        kind=request.form.get("kind") or None,
        topics=topics or None,
        reviewer=current_user,
        known_topics=taxonomy(current_app).keys(),
    )
    flash(_("Đã lưu hiệu chỉnh nhãn."), "success")
    return redirect(_back(survey.id))


def _export_rows(survey: Survey):
    return exports.rows(
        db.session,
        current_user,
        survey,
        filters_from_request(survey),
        k=current_app.config["K_ANONYMITY"],
        topic_labels={topic.key: topic.label for topic in taxonomy(current_app).topics},
    )


def _results_of(survey_id: int, **_args) -> str:
    return url_for(".show", survey_id=survey_id, **request.args)


# The format is not called "kind": that is the results page's filter, passed on to the export.
@bp.route("/<int:survey_id>/export.<any(csv, xlsx):file_format>")
@permission_required("results.read")
@redirect_on_refusal(_results_of)
def export(survey_id: int, file_format: str):
    survey = readable_survey(survey_id)
    rows = _export_rows(survey)
    header = next(rows)  # refused before any byte is sent when fewer than k responded
    filename = f"ket-qua-khao-sat-{survey.id}.{file_format}"
    disposition = {"Content-Disposition": f"attachment; filename={filename}"}

    def all_rows():
        yield header
        yield from rows

    if file_format == "csv":
        return HttpResponse(
            stream_with_context(exports.csv_chunks(all_rows())), mimetype="text/csv; charset=utf-8", headers=disposition
        )
    output = exports.xlsx_file(all_rows())

    def chunks():
        with output:
            while chunk := output.read(64 * 1024):
                yield chunk

    return HttpResponse(
        chunks(), headers=disposition, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


# What the model card calls each task, head and training domain.
TASK_NAMES = {"sentiment": _l("Sắc thái"), "kind": _l("Loại ý kiến"), "topic": _l("Chủ đề")}
HEAD_NAMES = {"full": _l("Có dấu"), "plain": _l("Không dấu")}
DOMAIN_NAMES = {
    "answers": _l("Ý kiến cán bộ, người dân"),
    "all": _l("Ý kiến cán bộ, người dân"),
    "vsfc": _l("Phản hồi của sinh viên (UIT-VSFC)"),
    "vlsp": _l("Bình luận sản phẩm (VLSP 2016)"),
    "vsmec": _l("Bình luận mạng xã hội (UIT-VSMEC)"),
}
STATE_NAMES = {
    ModelState.ACTIVE: _l("Đang dùng"),
    ModelState.RETIRED: _l("Đã thay bằng phiên bản mới hơn"),
    ModelState.REFUSED: _l("Không kích hoạt (kém hơn)"),
    ModelState.ROLLED_BACK: _l("Đã rút lại"),
}


@bp.route("/analysis-reliability")
@permission_required("results.read")
def model_card():
    """ "Độ tin cậy của phân tích tự động": the model card of the models in use (card.json)."""
    card = model_card_of(current_app)
    labels = {"sentiment": SENTIMENT_LABELS, "kind": ANSWER_KIND_LABELS}
    topics = taxonomy(current_app)

    def class_label(task: str, key: str) -> str:
        return topics.label(key) if task == "topic" else str(labels[task].get(key, key))

    return render_template(
        "results/model_card.html",
        card=card,
        trained=format_date(parse_date(card["trained"])) if card and card.get("trained") else "—",
        versions=model_versions.history(db.session),
        task_names=TASK_NAMES,
        head_names=HEAD_NAMES,
        domain_names=DOMAIN_NAMES,
        state_names=STATE_NAMES,
        class_label=class_label,
        english=get_locale().language == "en",
    )


@bp.app_template_global()
def sentiment_bars(counts) -> list[results.Bar]:
    """Sentiments as shown, "chưa rõ" last (only when there are such answers)."""
    return label_bars(counts, SHOWN_SENTIMENT_LABELS)


@bp.app_template_global()
def kind_bars(counts) -> list[results.Bar]:
    return label_bars(counts, SHOWN_KIND_LABELS)


def label_bars(counts, labels) -> list[results.Bar]:
    return [
        results.Bar(key, str(label), counts.get(key, 0))
        for key, label in labels.items()
        if key != tagging.UNSURE or counts.get(key)
    ]


@bp.app_template_global()
def topic_bars(counts, topics) -> list[results.Bar]:
    return [results.Bar(key, topics.label(key), n) for key, n in counts.most_common()]
