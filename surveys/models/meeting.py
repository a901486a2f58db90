"""Meetings and desks where people speak (tiếp xúc cử tri, đối thoại, tiếp công dân, hòm thư,
đường dây nóng), and the opinions an officer records from them.

Each meeting keeps its opinions as the answers of a record survey of its own (one long-text
question, archived so nobody can answer it), so tagging, results, recommendations, the
weekly summaries and the public follow-up page treat them like any other answer; the
responses carry the meeting's channel. Who spoke is kept here, only with their consent,
and never shown to readers of results.
"""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .org import Unit, enum_column
from .people import User
from .survey import Answer, Channel, Survey


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[Channel] = mapped_column(enum_column(Channel, "channel"))  # one of MEETING_CHANNELS
    held_on: Mapped[date] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(255))
    chair: Mapped[str] = mapped_column(String(255))  # chủ trì
    attendance: Mapped[int | None]  # số người dự
    note: Mapped[str] = mapped_column(Text, default="")
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="RESTRICT"), unique=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()
    survey: Mapped[Survey] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    opinions: Mapped[list["Opinion"]] = relationship(
        back_populates="meeting", order_by="Opinion.number", cascade="all, delete-orphan"
    )

    @property
    def title(self) -> str:
        return self.survey.title


class Opinion(Base):
    """One opinion raised at a meeting: its text is the answer; who said it only with consent."""

    __tablename__ = "opinions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), unique=True)
    number: Mapped[int]  # its order in the minutes
    speaker: Mapped[str | None] = mapped_column(String(255))  # kept only when they agreed to be named
    # The unit the opinion is about (the one to answer it), when not the meeting's own.
    concerned_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting] = relationship(back_populates="opinions")
    answer: Mapped[Answer] = relationship()
    concerned_unit: Mapped[Unit | None] = relationship()
