"""The scheduler process (``flask scheduler run``): one leader at a time, chosen by a lease
in the database, runs periodic jobs once each and drains background queues.

Any number of these processes may run (one per machine is a good habit): the others
wait on the lease and take over within one lease period if the leader dies. A periodic
run is recorded in the run ledger under (job, run key), so it happens once; a run missed
while everything was down happens on the next tick (within the misfire grace).
"""

import logging
import os
import signal
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from flask import Flask
from sqlalchemy.orm import Session

from surveys import authoring, jobs, mail, model_versions, privacy, release, summaries, tagging
from surveys.models import utcnow
from surveys.timeutil import VN_TZ

from .extensions import db
from .nlp_tagger import get_tagger, start_dir, versions_root
from .reminders import queue_recommendation_reminders, queue_reminders
from .summaries.delivery import run_summaries

log = logging.getLogger(__name__)
LEASE_NAME = "scheduler"


@dataclass
class PeriodicJob:
    """Runs once per fire time of ``trigger``; ``run_key`` names that fire (e.g. "2026-W47")."""

    name: str
    trigger: BaseTrigger
    run: Callable[[Flask, Session, str], str | None]
    run_key: Callable[[datetime], str] = lambda fire: fire.astimezone(VN_TZ).strftime("%Y-%m-%dT%H:%M")
    lookback: timedelta = timedelta(days=35)


@dataclass
class DrainJob:
    """Runs on every tick: work that is safe to repeat (send queued mail, tag new answers)."""

    name: str
    run: Callable[[Flask, Session], int]


def latest_fire_time(trigger: BaseTrigger, now: datetime, lookback: timedelta) -> datetime | None:
    """The last time ``trigger`` fired at or before ``now``, looking back at most ``lookback``."""
    latest = None
    fire = trigger.get_next_fire_time(None, now - lookback)
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return latest


@dataclass
class SchedulerService:
    app: Flask
    periodic: list[PeriodicJob]
    drains: list[DrainJob]
    holder: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}")

    @property
    def lease_ttl(self) -> timedelta:
        return timedelta(seconds=max(3 * self.app.config["SCHEDULER_TICK_SECONDS"], 30))

    def tick(self, now: datetime | None = None) -> bool:
        """One round: take the lease, then run what is due. False when another process leads."""
        with self.app.app_context():
            session = db.session
            try:
                if not jobs.acquire_lease(session, LEASE_NAME, self.holder, self.lease_ttl, now=now):
                    return False
                jobs.recover_stale_runs(session)
                for job in self.periodic:
                    self._run_periodic(session, job, now or utcnow())
                for drain in self.drains:
                    try:
                        drain.run(self.app, session)
                        session.commit()
                    except Exception:
                        session.rollback()
                        log.exception("drain job %s failed", drain.name)
                return True
            finally:
                db.session.remove()

    def _run_periodic(self, session: Session, job: PeriodicJob, now: datetime) -> None:
        fire = latest_fire_time(job.trigger, now, job.lookback)
        if fire is None or now - fire > self.app.config["SCHEDULER_MISFIRE_GRACE"]:
            return
        run_key = job.run_key(fire)
        if jobs.is_done(session, job.name, run_key):
            return
        self.run_once(session, job, run_key)

    def run_once(self, session: Session, job: PeriodicJob, run_key: str, *, replace: bool = False) -> bool:
        run = jobs.claim_run(session, job.name, run_key, self.holder, replace=replace)
        if run is None:
            return False
        try:
            job.run(self.app, session, run_key)
            session.commit()
        except Exception as error:
            session.rollback()
            log.exception("job %s %s failed", job.name, run_key)
            jobs.finish_run(session, run, error=f"{type(error).__name__}: {error}")
            return False
        jobs.finish_run(session, run)
        return True

    def run_forever(self) -> None:
        scheduler = BlockingScheduler(timezone=VN_TZ)
        scheduler.add_job(
            self.tick,
            "interval",
            seconds=self.app.config["SCHEDULER_TICK_SECONDS"],
            next_run_time=datetime.now(VN_TZ),
            max_instances=1,
            coalesce=True,
            id="tick",
        )

        def stop(*_):
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        log.info("scheduler %s started", self.holder)
        try:
            scheduler.start()
        finally:
            with self.app.app_context():
                jobs.release_lease(db.session, LEASE_NAME, self.holder)


def smtp_settings(app: Flask) -> mail.SmtpSettings:
    config = app.config
    return mail.SmtpSettings(
        host=config["SMTP_HOST"],
        port=config["SMTP_PORT"],
        username=config["SMTP_USERNAME"],
        password=config["SMTP_PASSWORD"],
        starttls=config["SMTP_STARTTLS"],
        use_ssl=config["SMTP_SSL"],
        sender=config["MAIL_FROM"],
    )


def send_queued_mail(app: Flask, session: Session) -> int:
    return mail.send_pending(session, smtp_settings(app))


def cron(expression: str) -> CronTrigger:
    return CronTrigger.from_crontab(expression, timezone=VN_TZ)


def advance_surveys(app: Flask, session: Session) -> int:
    counts = authoring.advance_lifecycle(session)
    return counts["closed"] + counts["created"]


def release_answers(app: Flask, session: Session) -> int:
    # Anonymous answers become readable only in batches of at least k (surveys/release.py).
    return release.release_batches(session, k=app.config["K_ANONYMITY"])


def tag_answers(app: Flask, session: Session) -> int:
    # Bounded per tick so the other jobs are not kept waiting behind a large backlog.
    return tagging.tag_pending(session, get_tagger(app), limit=app.config["NLP_ANSWERS_PER_TICK"])


def retrain_models(app: Flask, session: Session, run_key: str = "") -> model_versions.Retraining:
    """Train on the shipped data and reviewers' corrections; activate only if not worse (minutes)."""
    return model_versions.retrain(session, versions_root(app), start_dir(app))


def weekly_summaries(app: Flask, session: Session, week: str) -> None:
    run_summaries(app, session, week)


def send_reminders(app: Flask, session: Session, run_key: str) -> None:
    queue_reminders(app, session)
    queue_recommendation_reminders(app, session)


def erase_expired_identities(app: Flask, session: Session, run_key: str) -> None:
    privacy.erase_expired_identities(session)


def build_service(app: Flask) -> SchedulerService:
    """Every job the platform runs."""
    periodic = [
        # Monday 07:00 covers the week that just ended.
        PeriodicJob(
            "weekly_summary",
            cron(app.config["SUMMARY_CRON"]),
            weekly_summaries,
            run_key=lambda fire: summaries.previous_week(fire.astimezone(VN_TZ).date()),
        ),
        PeriodicJob(
            "daily_reminders",
            cron("0 8 * * *"),
            send_reminders,
            run_key=lambda fire: fire.astimezone(VN_TZ).date().isoformat(),
            lookback=timedelta(days=2),
        ),
        # Links between answers and people, past their survey's retention period (Law 91/2025/QH15).
        PeriodicJob(
            "privacy_retention",
            cron("30 2 * * *"),
            erase_expired_identities,
            run_key=lambda fire: fire.astimezone(VN_TZ).date().isoformat(),
            lookback=timedelta(days=2),
        ),
    ]
    if app.config["NLP_RETRAIN_CRON"]:
        # Weekly, at night: training takes minutes; the week's corrections are in.
        periodic.append(
            PeriodicJob(
                "nlp_retrain",
                cron(app.config["NLP_RETRAIN_CRON"]),
                retrain_models,
                run_key=lambda fire: fire.astimezone(VN_TZ).strftime("%G-W%V"),
                lookback=timedelta(days=8),
            )
        )
    drains = [
        DrainJob("survey_lifecycle", advance_surveys),
        DrainJob("release_answers", release_answers),
        DrainJob("nlp_tagging", tag_answers),
        DrainJob("send_mail", send_queued_mail),
    ]
    return SchedulerService(app, periodic, drains)
