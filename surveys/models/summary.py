"""Weekly aspiration summaries for a unit (with its sub-units) or a party committee."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .org import Committee, Unit


class WeeklySummary(Base):
    """One per (scope, ISO week); running the week again replaces its content."""

    __tablename__ = "weekly_summaries"
    __table_args__ = (UniqueConstraint("scope_key", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "unit:<id>" or "committee:<id>": one column so the pair (scope, week) can be unique.
    scope_key: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id", ondelete="CASCADE"), index=True)
    week: Mapped[str] = mapped_column(String(8), index=True)  # ISO week, e.g. "2026-W47"
    generated_at: Mapped[datetime] = mapped_column(default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    unit: Mapped[Unit | None] = relationship()
    committee: Mapped[Committee | None] = relationship()

    @property
    def scope_name(self) -> str:
        return self.committee.name if self.committee else self.unit.name
