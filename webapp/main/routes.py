from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from surveys import access, answering, authoring, recommendations
from surveys.models import Committee, Recommendation, Unit, User, committee_units
from surveys.timeutil import local_today

from ..extensions import db
from ..security import get_permitted, permission_required
from . import bp


@bp.route("/")
def home():
    return render_template("main/home.html")


@bp.route("/dashboard")
@login_required
def dashboard():
    """Each role lands on what it may see."""
    roots = access.scope_roots(current_user)
    if access.is_admin(current_user):
        roots = list(db.session.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.name)))
    # Staff surveys addressed to the user's unit or any unit above it, and which of them they answered.
    candidates = [s for s in answering.answerable_surveys(db.session, current_user) if authoring.is_accepting(s)]
    answered = answering.answered(db.session, current_user, candidates)
    open_surveys = [(survey, survey.id in answered) for survey in candidates]
    followups = None
    if access.can(current_user, "recommendations.read"):
        today = local_today()
        scoped = (
            select(func.count()).select_from(Recommendation).where(access.readable_recommendations_clause(current_user))
        )
        followups = {
            "overdue": db.session.scalar(scoped.where(recommendations.overdue_clause(today))),
            "due_soon": db.session.scalar(scoped.where(recommendations.due_soon_clause(today))),
        }
    return render_template("main/dashboard.html", roots=roots, open_surveys=open_surveys, followups=followups)


@bp.route("/units/<int:unit_id>")
@permission_required("units.read")
def unit(unit_id: int):
    unit = get_permitted(Unit, unit_id, "units.read")
    staff_count = db.session.scalar(
        select(func.count(User.id)).join(Unit, User.unit_id == Unit.id).where(Unit.path.startswith(unit.path))
    )
    # Breadcrumbs show only the ancestors this reader may also read.
    ancestors = [
        a
        for a in db.session.scalars(select(Unit).where(Unit.id.in_(unit.ancestor_ids())).order_by(Unit.path))
        if access.can_read_unit(current_user, a)
    ]
    committees = db.session.scalars(
        select(Committee).join(committee_units).where(committee_units.c.unit_id == unit.id).order_by(Committee.name)
    ).all()
    return render_template(
        "main/unit.html", unit=unit, ancestors=ancestors, staff_count=staff_count, committees=committees
    )
