"""Personal data protection (Law 91/2025/QH15): the notice a respondent read and the consent they
gave to it; people's requests about their data; personal data incidents."""

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .org import enum_column
from .people import User


class PrivacyNotice(Base):
    """One version of a survey's notice, as shown: the text and its SHA-256 (its version)."""

    __tablename__ = "privacy_notices"
    __table_args__ = (UniqueConstraint("survey_id", "text_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    text_hash: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Consent(Base):
    """A respondent's explicit consent to one notice: the person, or the invitation, or neither
    (a public link, where nobody is identified). The links to a person are erased with the
    survey's other identifying links when its retention period ends."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("privacy_notices.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="SET NULL"), index=True)
    given_at: Mapped[datetime] = mapped_column(default=utcnow)

    notice: Mapped[PrivacyNotice] = relationship()


class RequestKind(enum.StrEnum):
    ACCESS = "access"  # xem
    DOWNLOAD = "download"  # tải
    ERASURE = "erasure"  # xóa


class RequestStatus(enum.StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    REFUSED = "refused"


class DataRequest(Base):
    """A person's request about their personal data (to see it, to have it, to erase it), handled
    by the administrator before ``due_at``. The requester's name is kept as it was given, so the
    record of how the request was handled outlives an erasure."""

    __tablename__ = "data_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    requester_name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[RequestKind] = mapped_column(enum_column(RequestKind, "data_request_kind"))
    details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus, "data_request_status"), default=RequestStatus.RECEIVED, index=True
    )
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])


class Incident(Base):
    """A personal data breach: when it was found, what happened, what data and how many people it
    touched, and when the authority and the people were told."""

    __tablename__ = "privacy_incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    found_on: Mapped[date]
    description: Mapped[str] = mapped_column(Text)
    data_affected: Mapped[str] = mapped_column(Text)
    people_affected: Mapped[int] = mapped_column(default=0)
    measures: Mapped[str] = mapped_column(Text, default="")
    authority_notified_on: Mapped[date | None]
    people_notified_on: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
