from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from surveys import access, authoring, recommendations
from surveys.models import (
    Audience, Committee, Participation, Recommendation, Role, Survey, SurveyState, Unit, User, committee_units,
    survey_units,
)
from surveys.timeutil import local_today

from ..extensions import db
from ..security import require_readable
from . import bp


@bp.route("/")
def home():
    return render_template("main/home.html")


@bp.route("/dashboard")
@login_required
def dashboard():
    """Each role lands on what it may see."""
    roots = access.scope_roots(current_user)
    if current_user.has_role(Role.ADMIN):
        roots = list(db.session.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.name)))
    open_surveys = []
    if current_user.unit is not None:
        # Staff surveys addressed to the user's unit or any unit above it, and which of them they answered.
        own_and_above = [*current_user.unit.ancestor_ids(), current_user.unit.id]
        candidates = db.session.scalars(
            select(Survey).join(survey_units, survey_units.c.survey_id == Survey.id)
            .where(Survey.state == SurveyState.OPEN, Survey.audience == Audience.STAFF,
                   survey_units.c.unit_id.in_(own_and_above))
            .distinct().order_by(Survey.closes_at)).all()
        answered = set(db.session.scalars(select(Participation.survey_id).where(
            Participation.user_id == current_user.id, Participation.survey_id.in_([s.id for s in candidates]))))
        open_surveys = [(survey, survey.id in answered) for survey in candidates if authoring.is_accepting(survey)]
    followups = None
    if current_user.has_role(Role.ADMIN, Role.UNIT_HEAD, Role.AUTHOR, Role.INSPECTOR, Role.COMMITTEE_MEMBER):
        today = local_today()
        scoped = select(func.count()).select_from(Recommendation).where(recommendations.readable_clause(current_user))
        followups = {"overdue": db.session.scalar(scoped.where(recommendations.overdue_clause(today))),
                     "due_soon": db.session.scalar(scoped.where(recommendations.due_soon_clause(today)))}
    return render_template("main/dashboard.html", roots=roots, Role=Role, open_surveys=open_surveys,
                           followups=followups)


@bp.route("/units/<int:unit_id>")
@login_required
def unit(unit_id: int):
    unit = require_readable(db.session.get(Unit, unit_id))
    staff_count = db.session.scalar(
        select(func.count(User.id)).join(Unit, User.unit_id == Unit.id).where(Unit.path.startswith(unit.path))
    )
    # Breadcrumbs show only the ancestors this reader may also read.
    ancestors = [
        a for a in db.session.scalars(select(Unit).where(Unit.id.in_(unit.ancestor_ids())).order_by(Unit.path))
        if access.can_read_unit(current_user, a)
    ]
    committees = db.session.scalars(
        select(Committee).join(committee_units).where(committee_units.c.unit_id == unit.id).order_by(Committee.name)
    ).all()
    return render_template(
        "main/unit.html", unit=unit, ancestors=ancestors, staff_count=staff_count, committees=committees
    )
