"""Coordination through the database, the one engine every process shares.

A *lease* names the single scheduler leader among however many processes run
``flask scheduler run``; a *run ledger* row, unique per (job, run key), makes each
periodic run happen once even if two leaders overlap after a lease expires.
"""

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .db import upsert_insert
from .models import JobRun, Lease, RunStatus, utcnow


def acquire_lease(session: Session, name: str, holder: str, ttl: timedelta, now: datetime | None = None) -> bool:
    """Take or renew the lease ``name`` for ``holder``; True when ``holder`` holds it now.

    One atomic statement: insert, or take over only if expired or already ours."""
    now = now or utcnow()
    table = Lease.__table__
    statement = (
        upsert_insert(session, table)
        .values(name=name, holder=holder, acquired_at=now, expires_at=now + ttl)
        .on_conflict_do_update(
            index_elements=[table.c.name],
            set_={"holder": holder, "acquired_at": now, "expires_at": now + ttl},
            where=or_(table.c.expires_at < now, table.c.holder == holder),
        )
        .returning(table.c.holder)
    )
    won = session.execute(statement).scalar_one_or_none() == holder
    session.commit()
    return won


def release_lease(session: Session, name: str, holder: str) -> None:
    session.query(Lease).filter_by(name=name, holder=holder).delete()
    session.commit()


def claim_run(session: Session, job: str, run_key: str, holder: str, *, replace: bool = False) -> JobRun | None:
    """Record that ``holder`` starts ``job`` for ``run_key``; None if it is done or running
    elsewhere. A failed run may be claimed again; ``replace`` re-runs a finished one."""
    existing = session.scalars(select(JobRun).where(JobRun.job == job, JobRun.run_key == run_key)).one_or_none()
    if existing is not None:
        if existing.status == RunStatus.RUNNING or (existing.status == RunStatus.DONE and not replace):
            return None
        existing.status, existing.holder = RunStatus.RUNNING, holder
        existing.started_at, existing.finished_at, existing.detail = utcnow(), None, None
        session.commit()
        return existing
    run = JobRun(job=job, run_key=run_key, status=RunStatus.RUNNING, holder=holder)
    try:
        with session.begin_nested():
            session.add(run)
    except IntegrityError:
        session.rollback()
        return None  # another process claimed it between our read and our write
    session.commit()
    return run


def finish_run(session: Session, run: JobRun, *, error: str | None = None) -> None:
    run.status = RunStatus.FAILED if error else RunStatus.DONE
    run.finished_at = utcnow()
    run.detail = error
    session.commit()


def is_done(session: Session, job: str, run_key: str) -> bool:
    status = session.scalar(select(JobRun.status).where(JobRun.job == job, JobRun.run_key == run_key))
    return status == RunStatus.DONE


def recover_stale_runs(session: Session, older_than: timedelta = timedelta(hours=2)) -> int:
    """Runs left 'running' by a process that died are marked failed so they run again."""
    cutoff = utcnow() - older_than
    stale = session.scalars(select(JobRun).where(JobRun.status == RunStatus.RUNNING, JobRun.started_at < cutoff)).all()
    for run in stale:
        run.status, run.finished_at, run.detail = RunStatus.FAILED, utcnow(), "bị gián đoạn"
    session.commit()
    return len(stale)
