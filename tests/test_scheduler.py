"""The scheduler's lease, the run ledger, catch-up after downtime, and the mail queue
delivering to a real SMTP server — including two scheduler processes racing."""

from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from factories import run_scheduler_ticks
from sqlalchemy import select

from surveys import jobs, mail
from surveys.models import JobRun, OutboxEmail, RunStatus
from surveys.timeutil import VN_TZ
from webapp.scheduler import DrainJob, PeriodicJob, SchedulerService, latest_fire_time

T0 = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # Monday 07:30 in Vietnam


def test_lease_is_held_by_one_holder_until_it_expires(app, session):
    ttl = timedelta(seconds=60)
    assert jobs.acquire_lease(session, "x", "a", ttl, now=T0)
    assert not jobs.acquire_lease(session, "x", "b", ttl, now=T0 + timedelta(seconds=30))
    assert jobs.acquire_lease(session, "x", "a", ttl, now=T0 + timedelta(seconds=30)), "the holder renews"
    assert not jobs.acquire_lease(session, "x", "b", ttl, now=T0 + timedelta(seconds=80))
    assert jobs.acquire_lease(session, "x", "b", ttl, now=T0 + timedelta(seconds=91)), "expired: taken over"
    jobs.release_lease(session, "x", "b")
    assert jobs.acquire_lease(session, "x", "a", ttl, now=T0 + timedelta(seconds=92))


def test_a_run_is_claimed_once_and_a_failed_one_again(app, session):
    run = jobs.claim_run(session, "job", "k1", "a")
    assert run is not None
    assert jobs.claim_run(session, "job", "k1", "b") is None, "running elsewhere"
    jobs.finish_run(session, run, error="boom")
    retry = jobs.claim_run(session, "job", "k1", "b")
    assert retry is not None and retry.holder == "b"
    jobs.finish_run(session, retry)
    assert jobs.is_done(session, "job", "k1")
    assert jobs.claim_run(session, "job", "k1", "c") is None
    assert jobs.claim_run(session, "job", "k1", "c", replace=True) is not None
    assert session.scalar(select(JobRun).where(JobRun.run_key == "k1")).holder == "c"


def test_latest_fire_time_of_the_monday_summary():
    trigger = CronTrigger.from_crontab("0 7 * * mon", timezone=VN_TZ)
    fire = latest_fire_time(trigger, T0 + timedelta(days=2), timedelta(days=8))
    assert fire.astimezone(VN_TZ) == datetime(2026, 11, 23, 7, 0, tzinfo=VN_TZ)
    assert latest_fire_time(trigger, T0 - timedelta(hours=1), timedelta(days=8)).astimezone(VN_TZ).day == 16
    assert latest_fire_time(trigger, T0, timedelta(hours=1)) is not None
    assert latest_fire_time(trigger, T0 - timedelta(hours=1), timedelta(hours=1)) is None


def _counting_service(app, calls, *, fail_first=False):
    def run(app, session, run_key):
        calls.append(run_key)
        if fail_first and len(calls) == 1:
            raise RuntimeError("boom")

    job = PeriodicJob(
        "weekly",
        CronTrigger.from_crontab("0 7 * * mon", timezone=VN_TZ),
        run,
        run_key=lambda fire: fire.astimezone(VN_TZ).strftime("%G-W%V"),
        lookback=timedelta(days=8),
    )
    return SchedulerService(app, [job], [])


def test_a_missed_run_happens_on_the_next_tick_and_only_once(app, session):
    calls: list[str] = []
    first = _counting_service(app, calls)
    # The server was down at Monday 07:00; it comes back on Tuesday.
    assert first.tick(now=T0 + timedelta(days=1))
    assert calls == ["2026-W48"]
    assert first.tick(now=T0 + timedelta(days=1, minutes=1))
    assert calls == ["2026-W48"]
    # Another machine takes over after the lease expires: it does not run the week again.
    second = _counting_service(app, calls)
    assert not second.tick(now=T0 + timedelta(days=1, minutes=1, seconds=10)), "the first still holds the lease"
    assert second.tick(now=T0 + timedelta(days=2))
    assert calls == ["2026-W48"]
    # Beyond the misfire grace a missed run is left alone.
    late_calls: list[str] = []
    assert _counting_service(app, late_calls).tick(now=T0 + timedelta(days=6))
    assert late_calls == []


def test_a_failed_run_is_recorded_and_retried(app, session):
    calls: list[str] = []
    service = _counting_service(app, calls, fail_first=True)
    service.tick(now=T0)
    run = session.scalar(select(JobRun))
    assert run.status == RunStatus.FAILED and "boom" in run.detail
    service.tick(now=T0 + timedelta(minutes=1))
    session.commit()  # end the test's read snapshot
    assert session.scalar(select(JobRun)).status == RunStatus.DONE
    assert calls == ["2026-W48", "2026-W48"]


def test_a_failing_drain_does_not_stop_the_others(app, session):
    done = []

    def broken(app, session):
        raise RuntimeError("boom")

    def working(app, session):
        done.append(1)
        return 1

    service = SchedulerService(app, [], [DrainJob("broken", broken), DrainJob("working", working)])
    assert service.tick(now=T0)
    assert done == [1]


def _settings(smtp_server_port: int) -> mail.SmtpSettings:
    return mail.SmtpSettings(host="127.0.0.1", port=smtp_server_port, sender="langnghe@tinh.gov.vn")


def test_queued_mail_reaches_a_real_smtp_server_once(app, session, smtp_server):
    assert mail.enqueue(
        session,
        dedupe_key="summary:1",
        to="bithu@tinh.gov.vn",
        subject="Tóm tắt tuần",
        text="Nội dung",
        html="<p>Nội dung</p>",
    )
    assert not mail.enqueue(session, dedupe_key="summary:1", to="bithu@tinh.gov.vn", subject="Lại", text="x")
    session.commit()
    assert mail.send_pending(session, _settings(app.config["SMTP_PORT"])) == 1
    assert mail.send_pending(session, _settings(app.config["SMTP_PORT"])) == 0
    [message] = smtp_server.messages
    assert message["Subject"] == "Tóm tắt tuần"
    assert message["To"] == "bithu@tinh.gov.vn"
    assert message.get_body(("plain",)).get_content().strip() == "Nội dung"
    assert "<p>Nội dung</p>" in message.get_body(("html",)).get_content()


def test_mail_backs_off_when_the_server_is_down(app, session):
    mail.enqueue(session, dedupe_key="k", to="a@b.vn", subject="s", text="t")
    session.commit()
    now = datetime.now(UTC)
    closed_port = 9  # discard: nothing listens here
    assert mail.send_pending(session, mail.SmtpSettings(host="127.0.0.1", port=closed_port), now=now) == 0
    outgoing = session.scalar(select(OutboxEmail))
    assert outgoing.attempts == 1 and outgoing.sent_at is None and outgoing.last_error
    assert outgoing.send_after >= now + timedelta(minutes=2)


def test_two_scheduler_processes_racing_send_each_message_once(app, session, smtp_server, database_url):
    for number in range(20):
        mail.enqueue(
            session, dedupe_key=f"m{number}", to=f"nguoi{number}@tinh.gov.vn", subject=f"Thư {number}", text="Nội dung"
        )
    session.commit()
    outputs = run_scheduler_ticks(app, database_url, timeout=120)
    led = [out for out, _ in outputs if "Đã chạy một lượt" in out]
    assert len(led) == 1, outputs
    assert sorted(message["Subject"] for message in smtp_server.messages) == sorted(f"Thư {n}" for n in range(20))
