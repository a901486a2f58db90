"""The responsiveness scorecard (committees), its weights (administrators), and citizens' rating
of the answers they got (from their follow page)."""

from flask import Response as HttpResponse
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from surveys import access, answering, recommendations, scorecard
from surveys.models import Committee, Recommendation
from surveys.timeutil import local_today

from ..boundary import redirect_on_refusal, submitted
from ..extensions import db
from ..security import get_permitted, permission_required
from . import bp
from .forms import RatingForm, weights_form

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _committees() -> list[Committee]:
    clause = access.readable_committees_clause(current_user)
    return list(db.session.scalars(select(Committee).where(clause).order_by(Committee.name)))


@bp.route("/scorecard/")
@permission_required("scorecard.read")
def index():
    committees = _committees()
    if not committees:
        abort(404)
    chosen = request.args.get("committee", type=int) or committees[0].id
    committee = get_permitted(Committee, chosen, "scorecard.read")
    today, k = local_today(), current_app.config["K_ANONYMITY"]
    period = scorecard.parse_period(request.args.get("period"), today)
    return render_template(
        "scorecard/index.html",
        committees=committees,
        committee=committee,
        period=period,
        rows=scorecard.scorecard(db.session, committee, period, today=today, k=k),
        trend=scorecard.trend(db.session, committee, period, today=today, k=k),
        quarters=period.quarters(),
        weights=scorecard.weights(db.session),
        components=scorecard.COMPONENTS,
        component_labels=scorecard.COMPONENT_LABELS,
        k=k,
    )


@bp.route("/scorecard/<int:committee_id>.xlsx")
@permission_required("scorecard.read")
def export(committee_id: int):
    committee = get_permitted(Committee, committee_id, "scorecard.read")
    today, k = local_today(), current_app.config["K_ANONYMITY"]
    period = scorecard.parse_period(request.args.get("period"), today)
    rows = scorecard.scorecard(db.session, committee, period, today=today, k=k)
    labels = {c: _(scorecard.COMPONENT_LABELS[c]) for c in scorecard.COMPONENTS} | {
        "title": _("Bảng đánh giá mức độ lắng nghe, phản hồi"),
        "formula": _("Điểm = trung bình có trọng số của các thành phần có dữ liệu; trọng số:"),
        "rank": _("Hạng"),
        "unit": _("Đơn vị"),
        "score": _("Điểm"),
    }
    data = scorecard.xlsx(committee, period, rows, scorecard.weights(db.session), labels)
    name = f"danh-gia-{committee.code}-{period.label}.xlsx"
    return HttpResponse(data, mimetype=XLSX_TYPE, headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.route("/admin/scorecard", methods=["GET", "POST"])
@permission_required("admin")
def weights():
    form = weights_form()
    if request.method == "GET":
        for component, value in scorecard.weights(db.session).items():
            getattr(form, component).data = value
    if submitted(form):
        values = {c: getattr(form, c).data for c in scorecard.COMPONENTS}
        scorecard.set_weights(db.session, values, current_user)
        flash(_("Đã lưu trọng số."), "success")
        return redirect(url_for(".weights"))
    return render_template("scorecard/weights.html", form=form, components=scorecard.COMPONENTS)


@bp.route("/follow/<receipt>/rate/<int:recommendation_id>", methods=["POST"])
@redirect_on_refusal(lambda receipt, recommendation_id: url_for("followup.follow", receipt=receipt))
def rate(receipt: str, recommendation_id: int):
    """A respondent's rating of an answer: only for a recommendation their own answer fed into."""
    response = answering.find_by_receipt(db.session, receipt)
    if response is None:
        abort(404)
    if recommendation_id not in {r.id for r in recommendations.for_receipt(db.session, response)}:
        abort(404)
    form = RatingForm()
    if not form.validate_on_submit():
        flash(_("Hãy chọn một mức."), "error")
        return redirect(url_for("followup.follow", receipt=receipt))
    item = db.session.get(Recommendation, recommendation_id)
    scorecard.rate(db.session, item, receipt, int(form.score.data), local_today())
    flash(_("Cảm ơn ông/bà đã đánh giá."), "success")
    return redirect(url_for("followup.follow", receipt=receipt))
