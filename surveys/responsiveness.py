"""How units answer what people ask: replies on time, days to answer, overdue now. Read by the
Front's supervision view and by the responsiveness scorecard."""

import statistics
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from .models import CLOSED_STATUSES, Recommendation, Unit
from .org import subtree_clause
from .recommendations import overdue_clause


@dataclass
class ReplyFigures:
    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    overdue_now: int = 0
    median_days: float | None = None  # from received to answered, over those answered

    @property
    def on_time_share(self) -> float | None:
        return round(self.answered_on_time / self.answered, 4) if self.answered else None


def in_units(roots: list[Unit]):
    """Recommendations received by or handled in the units under ``roots``."""
    units = select(Unit.id).where(subtree_clause(roots))
    return or_(Recommendation.owner_unit_id.in_(units), Recommendation.handling_unit_id.in_(units))


def on_time(answered_on: date | None, reply_due: date | None) -> bool:
    """Answered by its deadline (one with no deadline set is judged on time)."""
    return answered_on is not None and (reply_due is None or answered_on <= reply_due)


def figures(rows: list[tuple[date, date | None, date | None]], overdue_now: int) -> ReplyFigures:
    """From (received_on, answered_on, reply_due) of the recommendations counted."""
    answered = [(received, done, due) for received, done, due in rows if done is not None]
    days = [(done - received).days for received, done, _due in answered]
    return ReplyFigures(
        received=len(rows),
        answered=len(answered),
        answered_on_time=sum(on_time(done, due) for _received, done, due in answered),
        overdue_now=overdue_now,
        median_days=float(statistics.median(days)) if days else None,
    )


def area_figures(session: Session, roots: list[Unit], today: date) -> ReplyFigures:
    """Every recommendation of the area, so far."""
    where = in_units(roots)
    rows = session.execute(
        select(Recommendation.received_on, Recommendation.answered_on, Recommendation.reply_due).where(where)
    ).all()
    overdue = session.scalar(select(func.count()).select_from(Recommendation).where(where, overdue_clause(today)))
    return figures([tuple(r) for r in rows], overdue or 0)


def area_items(
    session: Session, roots: list[Unit], *, open_only: bool = False, limit: int = 200
) -> list[Recommendation]:
    query = (
        select(Recommendation)
        .where(in_units(roots))
        .options(joinedload(Recommendation.owner_unit), joinedload(Recommendation.handling_unit))
        .order_by(Recommendation.received_on.desc(), Recommendation.id.desc())
        .limit(limit)
    )
    if open_only:
        query = query.where(Recommendation.status.not_in(CLOSED_STATUSES))
    return list(session.scalars(query))
