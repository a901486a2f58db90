"""The audit log: who changed what, and when. Entries are written in the caller's transaction
and read back, filtered, by administrators (Quản trị → Nhật ký)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from .models import AuditEntry, User
from .timeutil import VN_TZ

LABEL_LENGTH = 255


def _label(obj: Any) -> str | None:
    """What the object is called, kept with the entry so the log still reads after a rename."""
    for attribute in ("full_name", "title", "name"):
        value = getattr(obj, attribute, None)
        if isinstance(value, str) and value:
            return value[:LABEL_LENGTH]
    return None


def set_changed(obj: Any, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Set each of ``values`` that differs on ``obj``; returns {field: [before, after]} of what
    changed, as ``record`` takes it."""
    changes = {}
    for field, value in values.items():
        before = getattr(obj, field)
        if before != value:
            changes[field] = [before, value]
            setattr(obj, field, value)
    return changes


def record(
    session: Session,
    actor: User | None,
    action: str,
    obj: Any,
    changes: Mapping[str, Sequence[Any]] | None = None,
    **details: Any,
) -> AuditEntry:
    """Add an audit entry in the caller's transaction, so it commits or rolls back with the change.

    ``changes`` holds each changed field as (before, after); ``details`` any other facts. Values
    are kept as people read them (names, not ids), since the log outlives what it names."""
    if changes:
        details["changes"] = {field: list(pair) for field, pair in changes.items()}
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        object_label=_label(obj) if obj is not None else None,
        details=details,
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    action: str | None = None
    since: date | None = None  # Vietnam days, both ends included
    until: date | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VN_TZ)


def search(filters: AuditFilter) -> Select[tuple[AuditEntry]]:
    """The entries ``filters`` select, newest first, with their actors."""
    statement = select(AuditEntry).options(selectinload(AuditEntry.actor)).order_by(AuditEntry.id.desc())
    if filters.actor_id:
        statement = statement.where(AuditEntry.actor_id == filters.actor_id)
    if filters.action:
        statement = statement.where(AuditEntry.action == filters.action)
    if filters.since:
        statement = statement.where(AuditEntry.occurred_at >= _day_start(filters.since))
    if filters.until:
        statement = statement.where(AuditEntry.occurred_at < _day_start(filters.until + timedelta(days=1)))
    return statement


def actors(session: Session) -> list[User]:
    """Everyone who appears in the log, by name."""
    return list(
        session.scalars(
            select(User)
            .where(User.id.in_(select(AuditEntry.actor_id).where(AuditEntry.actor_id.is_not(None)).distinct()))
            .order_by(User.full_name)
        )
    )
