"""Recommendations (kiến nghị): what people asked for, and what was done about it."""

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, link_table, utcnow
from .org import Unit, enum_column
from .people import User
from .survey import Answer, Survey


class RecommendationKind(enum.StrEnum):
    OPINION = "opinion"  # ý kiến, kiến nghị, phản ánh: handled here
    COMPLAINT = "complaint"  # khiếu nại: recorded and marked for transfer, not handled here
    DENUNCIATION = "denunciation"  # tố cáo: likewise


class RecommendationStatus(enum.StrEnum):
    RECEIVED = "received"  # tiếp nhận
    CLASSIFIED = "classified"  # within the unit's authority
    FORWARDED = "forwarded"  # outside it: sent on to the competent unit
    ASSIGNED = "assigned"  # giao đơn vị xử lý, with a deadline
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"  # answered: done
    DECLINED = "declined"  # answered: not accepted, with reasons
    TO_TRANSFER = "to_transfer"  # a complaint or denunciation waiting for transfer
    TRANSFERRED = "transferred"  # handed to the competent channel


CLOSED_STATUSES = frozenset(
    {RecommendationStatus.RESOLVED, RecommendationStatus.DECLINED, RecommendationStatus.TRANSFERRED}
)


class SourceKind(enum.StrEnum):
    ANSWERS = "answers"  # raised from survey answers
    SUMMARY = "summary"  # from a topic or emerging theme of a weekly summary
    MEETING = "meeting"  # hội nghị, tiếp xúc, đối thoại
    ORGANISATION = "organisation"  # ý kiến tổng hợp của Mặt trận, đoàn thể gửi cấp ủy, chính quyền
    LETTER = "letter"
    PHONE = "phone"
    OTHER = "other"


recommendation_answers = link_table("recommendation_answers", "recommendations", "answers")


class Recommendation(Base):
    __tablename__ = "recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    # Written by staff from what was said: never a verbatim copy that could identify someone.
    content: Mapped[str] = mapped_column(Text)
    kind: Mapped[RecommendationKind] = mapped_column(enum_column(RecommendationKind, "recommendation_kind"))
    status: Mapped[RecommendationStatus] = mapped_column(enum_column(RecommendationStatus, "recommendation_status"))
    source_kind: Mapped[SourceKind] = mapped_column(enum_column(SourceKind, "source_kind"))
    source_detail: Mapped[str] = mapped_column(String(500), default="")
    topic: Mapped[str | None] = mapped_column(String(64))
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id", ondelete="SET NULL"), index=True)
    summary_id: Mapped[int | None] = mapped_column(ForeignKey("weekly_summaries.id", ondelete="SET NULL"))
    # The unit that received it (its scope), and the unit now handling it.
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    handling_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    forwarded_to: Mapped[str | None] = mapped_column(String(255))  # a competent body outside the platform
    received_on: Mapped[date]
    forward_due: Mapped[date | None]
    reply_due: Mapped[date | None] = mapped_column(index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date | None]
    is_public: Mapped[bool] = mapped_column(default=True)  # shown on the survey's "you said — we did" page
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey | None] = relationship()
    owner_unit: Mapped[Unit] = relationship(foreign_keys=[owner_unit_id])
    handling_unit: Mapped[Unit | None] = relationship(foreign_keys=[handling_unit_id])
    created_by: Mapped[User | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(secondary=recommendation_answers)
    events: Mapped[list["RecommendationEvent"]] = relationship(
        back_populates="recommendation", order_by="RecommendationEvent.id", cascade="all, delete-orphan"
    )

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class RecommendationEvent(Base):
    """One step of the workflow: who, when, from which status to which, and why."""

    __tablename__ = "recommendation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id", ondelete="CASCADE"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")

    recommendation: Mapped[Recommendation] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
