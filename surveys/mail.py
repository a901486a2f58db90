"""The outgoing mail queue: enqueue in the caller's transaction, send from the scheduler.

Several senders may run at once (one per machine): each claims messages with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so no message goes out twice.
"""
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import upsert_insert
from .models import OutboxEmail, utcnow

MAX_ATTEMPTS = 8


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
    session: Session, *, dedupe_key: str, to: str, subject: str, text: str, html: str | None = None,
    user_id: int | None = None, send_after: datetime | None = None,
) -> bool:
    """Queue one message; False when one with the same ``dedupe_key`` is already queued."""
    statement = (
        upsert_insert(session, OutboxEmail.__table__)
        .values(
            dedupe_key=dedupe_key, to_address=to, subject=subject, body_text=text, body_html=html,
            user_id=user_id, created_at=utcnow(), send_after=send_after or utcnow(), attempts=0, meta={},
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxEmail.__table__.c.id)
    )
    return session.execute(statement).scalar_one_or_none() is not None


def _message(settings: SmtpSettings, outgoing: OutboxEmail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = outgoing.to_address
    message["Subject"] = outgoing.subject
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or "localhost")
    message.set_content(outgoing.body_text)
    if outgoing.body_html:
        message.add_alternative(outgoing.body_html, subtype="html")
    return message


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.use_ssl:
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
    if settings.username:
        smtp.login(settings.username, settings.password or "")
    return smtp


def send_pending(session: Session, settings: SmtpSettings, *, batch: int = 50, now: datetime | None = None) -> int:
    """Send what is due, one batch; returns how many went out. Failures back off exponentially."""
    if not settings.host:
        return 0
    now = now or utcnow()
    query = (
        select(OutboxEmail)
        .where(OutboxEmail.sent_at.is_(None), OutboxEmail.send_after <= now, OutboxEmail.attempts < MAX_ATTEMPTS)
        .order_by(OutboxEmail.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    due = session.scalars(query).all()
    if not due:
        session.commit()
        return 0
    sent = 0
    try:
        smtp = _connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        for outgoing in due:
            _failed(outgoing, error, now)
        session.commit()
        return 0
    with smtp:
        for outgoing in due:
            try:
                smtp.send_message(_message(settings, outgoing))
            except smtplib.SMTPException as error:
                _failed(outgoing, error, now)
                continue
            outgoing.sent_at = utcnow()
            outgoing.attempts += 1
            sent += 1
    session.commit()
    return sent


def _failed(outgoing: OutboxEmail, error: Exception, now: datetime) -> None:
    outgoing.attempts += 1
    outgoing.last_error = f"{type(error).__name__}: {error}"[:1000]
    outgoing.send_after = now + timedelta(minutes=2 ** outgoing.attempts)
