"""Fixed-window rate limits kept in the database, so every web process shares them."""

from datetime import datetime, timedelta

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from .db import upsert_insert
from .models import RateLimitBucket, utcnow


def hit(session: Session, key: str, *, limit: int, window: timedelta, now: datetime | None = None) -> bool:
    """Count one attempt under ``key``; True while the window's count stays within ``limit``."""
    now = now or utcnow()
    table = RateLimitBucket.__table__
    expired = table.c.window_start < now - window
    statement = (
        upsert_insert(session, table)
        .values(key=key, window_start=now, hits=1)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "hits": case((expired, 1), else_=table.c.hits + 1),
                "window_start": case((expired, now), else_=table.c.window_start),
            },
        )
        .returning(table.c.hits)
    )
    return session.execute(statement).scalar_one() <= limit


def reset(session: Session, key: str) -> None:
    session.query(RateLimitBucket).filter_by(key=key).delete()


def blocked_until(
    session: Session, key: str, *, limit: int, window: timedelta, now: datetime | None = None
) -> datetime | None:
    """When ``key``'s window ends, if it has already reached ``limit``; None otherwise. Counts nothing."""
    now = now or utcnow()
    table = RateLimitBucket.__table__
    row = session.execute(select(table.c.window_start, table.c.hits).where(table.c.key == key)).first()
    if row is None or row.window_start < now - window or row.hits < limit:
        return None
    return row.window_start + window
