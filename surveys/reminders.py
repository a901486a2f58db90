"""Who to remind: staff of an open staff survey closing soon who have not answered.

"Who has answered" comes from the participation table, which has no link to any answer,
so reminding never touches anonymity."""

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from .models import Audience, Participation, Role, RoleAssignment, Survey, SurveyState, Unit, User, utcnow
from .org import subtree_clause


def due(session: Session, *, days_before_close: int, now: datetime | None = None) -> Iterator[tuple[Survey, User]]:
    now = now or utcnow()
    surveys = session.scalars(
        select(Survey).where(
            Survey.state == SurveyState.OPEN,
            Survey.audience == Audience.STAFF,
            Survey.closes_at.is_not(None),
            Survey.closes_at > now,
            Survey.closes_at <= now + timedelta(days=days_before_close),
        )
    )
    for survey in surveys:
        answered = exists().where(Participation.survey_id == survey.id, Participation.user_id == User.id)
        staff = session.scalars(
            select(User)
            .join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(
                RoleAssignment.role == Role.STAFF,
                User.is_active,
                User.email.is_not(None),
                ~answered,
                User.unit_id.in_(select(Unit.id).where(subtree_clause(survey.units))),
            )
            .distinct()
            .order_by(User.id)
        )
        for user in staff:
            yield survey, user
