"""The Front's and organisations' supervision (giám sát): the recommendations and replies of the
area they supervise, read only, like the People's Inspection Board."""

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from surveys import access, recommendations, responsiveness
from surveys.models import Unit
from surveys.timeutil import local_today

from ..extensions import db
from ..security import permission_required
from . import bp


@bp.route("/supervision/")
@permission_required("supervision.read")
def index():
    today = local_today()
    roots = access.area_roots(current_user)
    if access.is_admin(current_user):
        roots = list(db.session.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.name)))
    open_only = request.args.get("view") == "open"
    return render_template(
        "supervision/index.html",
        roots=roots,
        figures=responsiveness.area_figures(db.session, roots, today),
        items=responsiveness.area_items(db.session, roots, open_only=open_only),
        open_only=open_only,
        today=today,
        is_overdue=recommendations.is_overdue,
        on_time=responsiveness.on_time,
    )
