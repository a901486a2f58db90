"""Cross-cutting records: the audit log, shared rate-limit counters and the holiday calendar."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .people import User


class AuditEntry(Base):
    """Who changed what, and when. Never written for respondents' answers.

    ``details`` holds changed fields under "changes" as {field: [before, after]} and other facts
    beside it, as names people read rather than ids (``surveys.audit.record``)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[int | None]
    object_label: Mapped[str | None] = mapped_column(String(255))  # its name then: the log outlives renames
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

    actor: Mapped[User | None] = relationship()


class RateLimitBucket(Base):
    """A fixed-window counter shared by every web process through the database."""

    __tablename__ = "rate_limit_buckets"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime]
    hits: Mapped[int] = mapped_column(default=0)


class PublicHoliday(Base):
    """A day off announced by the government (Tết, the Hùng Kings' day, swapped days…).

    The four fixed holidays of the Labour Code are not stored: ``surveys.workdays`` knows them."""

    __tablename__ = "public_holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(200))
