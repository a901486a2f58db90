"""Log-in throttling that an attacker cannot turn against the account's owner.

Failures are counted per (account, address): after ``free_failures`` in a row, that pair
waits, twice as long after each further failure (capped). Another address, such as the
owner's own, is not held back by it; a successful log-in is never counted and clears its
pair. A coarse limit on failures per address (any account) slows one machine guessing
across many accounts; an office sharing one address is not locked by its own log-ins.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from . import ratelimit
from .db import upsert_insert
from .models import RateLimitBucket, utcnow


@dataclass(frozen=True)
class LoginPolicy:
    free_failures: int = 5
    first_wait: timedelta = timedelta(seconds=30)
    longest_wait: timedelta = timedelta(hours=1)
    forget_after: timedelta = timedelta(days=1)  # a pair's count starts again a day after its last failure
    failures_per_address: int = 30
    address_window: timedelta = timedelta(minutes=15)


def _pair_key(account: str, address: str) -> str:
    return f"login-fail:{account}|{address}"


def _address_key(address: str) -> str:
    return f"login-fail-addr:{address}"


def wait_until(failures: int, last_failure: datetime, policy: LoginPolicy) -> datetime | None:
    """When a pair with ``failures`` in a row may try again; None when it need not wait."""
    if failures < policy.free_failures:
        return None
    doublings = min(failures - policy.free_failures, 20)
    return last_failure + min(policy.first_wait * 2**doublings, policy.longest_wait)


def locked_until(
    session: Session, account: str, address: str, policy: LoginPolicy, now: datetime | None = None
) -> datetime | None:
    """The moment this account may be tried again from this address, if it must wait now."""
    now = now or utcnow()
    table = RateLimitBucket.__table__
    pair = session.execute(
        select(table.c.window_start, table.c.hits).where(table.c.key == _pair_key(account, address))
    ).first()
    if pair is not None and now - pair.window_start < policy.forget_after:
        until = wait_until(pair.hits, pair.window_start, policy)
        if until is not None and until > now:
            return until
    return ratelimit.blocked_until(
        session, _address_key(address), limit=policy.failures_per_address, window=policy.address_window, now=now
    )


def record_failure(
    session: Session, account: str, address: str, policy: LoginPolicy, now: datetime | None = None
) -> None:
    now = now or utcnow()
    table = RateLimitBucket.__table__
    forgotten = table.c.window_start < now - policy.forget_after
    session.execute(
        upsert_insert(session, table)
        .values(key=_pair_key(account, address), window_start=now, hits=1)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"hits": case((forgotten, 1), else_=table.c.hits + 1), "window_start": now},
        )
    )
    ratelimit.hit(
        session, _address_key(address), limit=policy.failures_per_address, window=policy.address_window, now=now
    )


def record_success(session: Session, account: str, address: str) -> None:
    ratelimit.reset(session, _pair_key(account, address))
