"""The mail queue against a real SMTP server: each message is marked sent as soon as the
server accepts it, so a sender killed mid-batch never sends the batch again; every attempt
at a message carries the same Message-ID; after the last retry a message is "failed", logged
and shown to the administrator, who can send it again (issue 13, finding 6)."""

import os
import signal
import smtplib
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from surveys import mail
from surveys.models import AuditEntry, OutboxEmail, Role

ROOT = Path(__file__).resolve().parent.parent


def _settings(port: int) -> mail.SmtpSettings:
    return mail.SmtpSettings(host="127.0.0.1", port=port, sender="langnghe@tinh.gov.vn")


def _queue(session, count: int) -> None:
    for number in range(count):
        mail.enqueue(
            session, dedupe_key=f"m{number}", to=f"nguoi{number}@tinh.gov.vn", subject=f"Thư {number}", text="Nội dung"
        )
    session.commit()


def test_a_sender_killed_mid_batch_never_sends_again_what_the_server_accepted(app, session, smtp_server, database_url):
    """A real scheduler process is killed (SIGKILL) while handing over the 4th of 10 messages."""
    _queue(session, 10)
    victim = {}

    def kill_on_the_fourth(message):
        if len(smtp_server.messages) == 3:
            os.kill(victim["pid"], signal.SIGKILL)
            return "451 4.3.0 Try again later"
        return None

    smtp_server.before_accept = kill_on_the_fourth
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(app.config["SMTP_PORT"]),
        INSTANCE_PATH=app.instance_path,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "tick"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    victim["pid"] = process.pid
    _, errors = process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL, errors
    assert len(smtp_server.messages) == 3

    smtp_server.before_accept = None
    session.expire_all()
    assert mail.send_pending(session, _settings(app.config["SMTP_PORT"])) == 7
    assert Counter(m["Subject"] for m in smtp_server.messages) == Counter(f"Thư {n}" for n in range(10))
    assert session.scalar(select(OutboxEmail).where(OutboxEmail.sent_at.is_(None))) is None


class Killed(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs, no handler catches it."""


def test_a_message_accepted_just_before_the_kill_is_the_only_one_resent_with_the_same_message_id(
    app, session, test_engine, smtp_server, monkeypatch
):
    _queue(session, 5)
    original, calls = smtplib.SMTP.send_message, []

    def accept_then_die_on_the_third(smtp, message, *args, **kwargs):
        result = original(smtp, message, *args, **kwargs)
        calls.append(message["Subject"])
        if len(calls) == 3:
            raise Killed  # the server has accepted it; the sender dies before recording that
        return result

    monkeypatch.setattr(smtplib.SMTP, "send_message", accept_then_die_on_the_third)
    settings = _settings(app.config["SMTP_PORT"])
    with Session(test_engine) as dying, pytest.raises(Killed):
        mail.send_pending(dying, settings)
    monkeypatch.setattr(smtplib.SMTP, "send_message", original)

    session.expire_all()
    assert mail.send_pending(session, settings) == 3
    subjects = Counter(m["Subject"] for m in smtp_server.messages)
    assert subjects == Counter(f"Thư {n}" for n in range(5)) + Counter(["Thư 2"]), "only the one in flight again"
    resent = [m["Message-ID"] for m in smtp_server.messages if m["Subject"] == "Thư 2"]
    assert resent[0] == resent[1], "a resend is recognisable as the same message"
    assert len({m["Message-ID"] for m in smtp_server.messages}) == 5
    row = session.scalar(select(OutboxEmail).where(OutboxEmail.dedupe_key == "m2"))
    assert resent[0] == mail.message_id(row, settings.sender)


def _retry_until_given_up(session, settings: mail.SmtpSettings) -> datetime:
    now = datetime.now(UTC)
    for _ in range(mail.MAX_ATTEMPTS):
        mail.send_pending(session, settings, now=now)
        now += timedelta(days=1)  # past every back-off
    return now


def test_after_the_last_retry_a_message_is_failed_logged_and_tried_no_more(app, session, smtp_server, caplog):
    _queue(session, 2)
    smtp_server.refused.add("nguoi0@tinh.gov.vn")
    settings = _settings(app.config["SMTP_PORT"])
    now = _retry_until_given_up(session, settings)
    failed = session.scalar(select(OutboxEmail).where(OutboxEmail.dedupe_key == "m0"))
    assert failed.failed_at is not None and failed.sent_at is None
    assert failed.attempts == mail.MAX_ATTEMPTS and "550" in failed.last_error
    assert "nguoi0@tinh.gov.vn" in caplog.text and "given up" in caplog.text
    assert mail.send_pending(session, settings, now=now + timedelta(days=30)) == 0
    assert session.scalar(select(OutboxEmail.attempts).where(OutboxEmail.id == failed.id)) == mail.MAX_ATTEMPTS
    assert [m["To"] for m in smtp_server.messages] == ["nguoi1@tinh.gov.vn"]
    assert mail.failed_messages(session) == [failed]


def test_the_administrator_sees_failed_mail_and_sends_it_again(app, world, session, smtp_server):
    _queue(session, 1)
    smtp_server.refused.add("nguoi0@tinh.gov.vn")
    settings = _settings(app.config["SMTP_PORT"])
    _retry_until_given_up(session, settings)
    failed = session.scalar(select(OutboxEmail))

    client = world.login_as(app.test_client(), Role.ADMIN)
    assert "1</span> thư gửi lỗi" in client.get("/admin/").get_data(as_text=True)
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "nguoi0@tinh.gov.vn" in page and "Thư 0" in page and "550" in page and "Gửi lại" in page

    smtp_server.refused.clear()
    response = client.post(f"/admin/mail/{failed.id}/resend")
    assert response.status_code == 302
    assert "đã được đưa lại vào hàng đợi" in client.get(response.headers["Location"]).get_data(as_text=True)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "mail.resend"))
    assert entry.actor_id == world.users[Role.ADMIN].id and entry.object_id == failed.id
    assert entry.details["to"] == "nguoi0@tinh.gov.vn"
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "Gửi lại thư gửi lỗi" in log and "nguoi0@tinh.gov.vn" in log
    session.expire_all()
    assert mail.send_pending(session, settings) == 1
    assert [m["To"] for m in smtp_server.messages] == ["nguoi0@tinh.gov.vn"]
    assert "Không có thư nào gửi lỗi." in client.get("/admin/mail").get_data(as_text=True)
