from typing import Any

from sqlalchemy.orm import Session

from .models import AuditEntry, User


def record(session: Session, actor: User | None, action: str, obj: Any, **details: Any) -> AuditEntry:
    """Add an audit entry in the caller's transaction, so it commits or rolls back with the change."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        details=details,
    )
    session.add(entry)
    return entry
