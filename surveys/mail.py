"""The outgoing mail queue: enqueue in the caller's transaction, send from the scheduler.

Several senders may run at once (one per machine): each claims one message at a time with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL, and commits it as sent as soon as the SMTP server
has accepted it. A sender killed mid-batch therefore leaves at most the one message it was
handing over unmarked; should that one go out again, it carries the same Message-ID, so
mail clients recognise it as the same message.
"""

import hashlib
import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import audit
from .db import upsert_insert
from .models import OutboxEmail, User, utcnow

MAX_ATTEMPTS = 8
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    use_ssl: bool = False
    sender: str = "no-reply@localhost"
    timeout: float = 20.0


def enqueue(
    session: Session,
    *,
    dedupe_key: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    user_id: int | None = None,
    send_after: datetime | None = None,
) -> bool:
    """Queue one message; False when one with the same ``dedupe_key`` is already queued."""
    statement = (
        upsert_insert(session, OutboxEmail.__table__)
        .values(
            dedupe_key=dedupe_key,
            to_address=to,
            subject=subject,
            body_text=text,
            body_html=html,
            user_id=user_id,
            created_at=utcnow(),
            send_after=send_after or utcnow(),
            attempts=0,
            meta={},
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxEmail.__table__.c.id)
    )
    return session.execute(statement).scalar_one_or_none() is not None


def message_id(outgoing: OutboxEmail, sender: str) -> str:
    """The same Message-ID on every attempt at one outbox row."""
    digest = hashlib.sha256(outgoing.dedupe_key.encode()).hexdigest()[:24]
    return f"<langnghe.{outgoing.id}.{digest}@{sender.rpartition('@')[2] or 'localhost'}>"


def _message(settings: SmtpSettings, outgoing: OutboxEmail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = outgoing.to_address
    message["Subject"] = outgoing.subject
    message["Message-ID"] = message_id(outgoing, settings.sender)
    message.set_content(outgoing.body_text)
    if outgoing.body_html:
        message.add_alternative(outgoing.body_html, subtype="html")
    return message


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.use_ssl:
        smtp = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
    if settings.username:
        smtp.login(settings.username, settings.password or "")
    return smtp


def _due(now: datetime):
    return (
        select(OutboxEmail)
        .where(OutboxEmail.sent_at.is_(None), OutboxEmail.failed_at.is_(None), OutboxEmail.send_after <= now)
        .order_by(OutboxEmail.id)
    )


def _claim_next(session: Session, now: datetime) -> OutboxEmail | None:
    return session.scalars(_due(now).limit(1).with_for_update(skip_locked=True)).first()


def send_pending(session: Session, settings: SmtpSettings, *, batch: int = 50, now: datetime | None = None) -> int:
    """Send what is due, up to ``batch`` messages, each in a transaction of its own; returns
    how many went out. Failures back off exponentially; after ``MAX_ATTEMPTS`` a message is failed."""
    if not settings.host:
        return 0
    now = now or utcnow()
    if session.scalar(_due(now).limit(1)) is None:
        session.commit()
        return 0
    try:
        smtp = _connect(settings)
    except OSError as error:
        for outgoing in session.scalars(_due(now).limit(batch).with_for_update(skip_locked=True)):
            _failed(outgoing, error, now)
        session.commit()
        return 0
    sent = 0
    with smtp:
        for _ in range(batch):
            outgoing = _claim_next(session, now)
            if outgoing is None:
                break
            try:
                smtp.send_message(_message(settings, outgoing))
            except OSError as error:  # smtplib's errors are OSErrors too
                _failed(outgoing, error, now)
                session.commit()
                if isinstance(error, smtplib.SMTPServerDisconnected) or not isinstance(error, smtplib.SMTPException):
                    break  # the connection is gone: the rest wait for the next tick
                continue
            outgoing.sent_at = utcnow()
            outgoing.attempts += 1
            session.commit()  # accepted by the server: never sent again, whatever happens next
            sent += 1
    return sent


def _failed(outgoing: OutboxEmail, error: Exception, now: datetime) -> None:
    outgoing.attempts += 1
    outgoing.last_error = f"{type(error).__name__}: {error}"[:1000]
    if outgoing.attempts >= MAX_ATTEMPTS:
        outgoing.failed_at = now
        log.error(
            "mail %s to %s failed after %s attempts, given up: %s",
            outgoing.id,
            outgoing.to_address,
            outgoing.attempts,
            outgoing.last_error,
        )
    else:
        outgoing.send_after = now + timedelta(minutes=2**outgoing.attempts)


def failed_messages(session: Session, *, limit: int = 200) -> list[OutboxEmail]:
    """Messages given up on, most recent first (for the administrator)."""
    return list(
        session.scalars(
            select(OutboxEmail)
            .where(OutboxEmail.failed_at.is_not(None))
            .order_by(OutboxEmail.failed_at.desc(), OutboxEmail.id.desc())
            .limit(limit)
        )
    )


def count_failed(session: Session) -> int:
    return session.scalar(select(func.count(OutboxEmail.id)).where(OutboxEmail.failed_at.is_not(None)))


def resend(session: Session, outgoing: OutboxEmail, actor: User | None, now: datetime | None = None) -> None:
    """Put a failed message back in the queue with a fresh set of retries (audited)."""
    if outgoing.failed_at is None:
        return
    audit.record(
        session,
        actor,
        "mail.resend",
        outgoing,
        to=outgoing.to_address,
        subject=outgoing.subject,
        attempts=outgoing.attempts,
        last_error=outgoing.last_error,
    )
    outgoing.failed_at, outgoing.attempts, outgoing.send_after = None, 0, now or utcnow()
