"""Personal data protection (Law 91/2025/QH15): the notice a respondent read and the consent
they gave to it."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow


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
