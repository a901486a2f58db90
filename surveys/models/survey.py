"""Surveys, their versions and questions, invitations, and the answers people give.

Anonymity is kept by the shape of the tables: who has answered (``Participation``) is
stored apart from what was answered (``Response``) with no link between them. An anonymous
answer first waits in ``PendingResponse`` (read by no one) and is released into ``Response``
in a ``ResponseBatch`` of at least k respondents of one unit, with fresh ids in shuffled order,
no user, no invitation, no channel and only the day of release (``surveys.release``).
"""

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, link_table, utcnow
from .org import Unit, enum_column
from .people import User


class Audience(enum.StrEnum):
    STAFF = "staff"  # cán bộ of chosen units, signed in
    CITIZENS = "citizens"  # residents of chosen communes/wards, through a public link
    INVITED = "invited"  # people holding a personal one-time link


class Anonymity(enum.StrEnum):
    ANONYMOUS = "anonymous"  # nothing identifying stored with the answers
    CONFIDENTIAL = "confidential"  # identity stored, never shown to readers
    IDENTIFIED = "identified"


class SurveyState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


class Recurrence(enum.StrEnum):
    NONE = "none"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class QuestionKind(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    DROPDOWN = "dropdown"
    RATING = "rating"  # 1–5 stars
    LIKERT = "likert"  # 1–5 agree scale
    NPS = "nps"  # 0–10
    MATRIX = "matrix"  # rows × one scale
    NUMBER = "number"
    DATE = "date"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"  # the free text the NLP reads
    CONSENT = "consent"
    TEXT_BLOCK = "text_block"  # shows text, asks nothing


class Channel(enum.StrEnum):
    WEB = "web"
    API = "api"
    OFFLINE = "offline"  # entered by staff from paper forms
    # Opinions recorded by an officer from a meeting or a desk (surveys.meetings).
    VOTER_CONTACT = "voter_contact"  # tiếp xúc cử tri
    DIALOGUE = "dialogue"  # hội nghị đối thoại
    RECEPTION = "reception"  # tiếp công dân định kỳ
    SUGGESTION_BOX = "suggestion_box"  # hòm thư góp ý
    HOTLINE = "hotline"  # đường dây nóng


MEETING_CHANNELS = (
    Channel.VOTER_CONTACT,
    Channel.DIALOGUE,
    Channel.RECEPTION,
    Channel.SUGGESTION_BOX,
    Channel.HOTLINE,
)


# Links between answers and people are kept this many days after a survey closes, unless its author says otherwise.
DEFAULT_RETENTION_DAYS = 180

survey_units = link_table("survey_units", "surveys", "units")


class Survey(Base):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    introduction: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[Audience] = mapped_column(enum_column(Audience, "audience"))
    anonymity: Mapped[Anonymity] = mapped_column(enum_column(Anonymity, "anonymity"))
    state: Mapped[SurveyState] = mapped_column(enum_column(SurveyState, "survey_state"), default=SurveyState.DRAFT)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    recurrence: Mapped[Recurrence] = mapped_column(enum_column(Recurrence, "recurrence"), default=Recurrence.NONE)
    # A recurring survey's instances point at the first one; each instance covers one period.
    series_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id", ondelete="SET NULL"), index=True)
    period_start: Mapped[date | None]
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The public link's secret (citizens' surveys); unguessable, can be rotated.
    public_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    challenge_enabled: Mapped[bool] = mapped_column(default=False)
    # Personal data protection: why the answers are collected (the notice says it), how many days
    # after closing the links to people are kept, when it closed and when those links were erased.
    purpose: Mapped[str] = mapped_column(Text, default="")
    retention_days: Mapped[int] = mapped_column(default=DEFAULT_RETENTION_DAYS)
    closed_at: Mapped[datetime | None]
    identities_erased_at: Mapped[datetime | None]

    owner_unit: Mapped[Unit] = relationship()
    created_by: Mapped[User | None] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary=survey_units, order_by="Unit.name")
    versions: Mapped[list["SurveyVersion"]] = relationship(
        back_populates="survey", order_by="SurveyVersion.number", cascade="all, delete-orphan"
    )

    @property
    def current_version(self) -> "SurveyVersion":
        return self.versions[-1]

    def __repr__(self) -> str:
        return f"<Survey {self.id} {self.title!r}>"


class SurveyVersion(Base):
    """The questions as they stood; answers keep pointing at the version they answered."""

    __tablename__ = "survey_versions"
    __table_args__ = (UniqueConstraint("survey_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="versions")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="version", order_by="Question.position", cascade="all, delete-orphan"
    )

    @property
    def page_count(self) -> int:
        return max((q.page for q in self.questions), default=1)


class Question(Base):
    """One question. ``key`` is stable across versions so results can follow a question.

    ``options`` holds what depends on the kind: ``choices`` [{value, label}],
    ``allow_other``, ``rows`` [{key, label}], ``scale`` {min, max, min_label, max_label},
    ``validation`` {min, max, min_length, max_length, pattern, pattern_message} and
    ``show_if`` {question, equals | any_of}."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    page: Mapped[int] = mapped_column(default=1)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind, "question_kind"))
    text: Mapped[str] = mapped_column(Text)
    help_text: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)

    version: Mapped[SurveyVersion] = relationship(back_populates="questions")

    @property
    def choices(self) -> list[dict[str, str]]:
        return self.options.get("choices", [])

    @property
    def rows(self) -> list[dict[str, str]]:
        return self.options.get("rows", [])


class Invitation(Base):
    """A personal one-time link. Only the token's hash is kept."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]

    survey: Mapped[Survey] = relationship()
    unit: Mapped[Unit | None] = relationship()


class ResponseBatch(Base):
    """Anonymous answers released together: at least k respondents of one survey attributed to one
    unit (or to none: the survey as a whole), stamped with the day of release."""

    __tablename__ = "response_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    released_on: Mapped[date]
    size: Mapped[int]


class PendingResponse(Base):
    """An anonymous response waiting for its batch. No reader, export or API ever reads this table;
    it holds the answers as submitted ([{question_id, value, text}]) until ``surveys.release`` moves
    them into ``Response`` and deletes the row."""

    __tablename__ = "pending_responses"
    __table_args__ = (UniqueConstraint("survey_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    queued_on: Mapped[date]  # Vietnam day it came in: how long its cell has waited
    idempotency_key: Mapped[str] = mapped_column(String(64))
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    answers: Mapped[list[Any]] = mapped_column(default=list)

    survey: Mapped[Survey] = relationship()


class Response(Base):
    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("survey_id", "idempotency_key"),
        Index("ix_responses_survey_unit", "survey_id", "unit_id"),
        # The weekly summary reads weeks of responses by day and unit: served from the index alone.
        Index("ix_responses_day_unit", "submitted_on", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    # Both NULL when the survey is anonymous.
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="SET NULL"))
    # None when the survey is anonymous: how an answer came in could single its author out.
    channel: Mapped[Channel | None] = mapped_column(enum_column(Channel, "channel"))
    # The day (Vietnam time) it came in, or for an anonymous one the day its batch was released;
    # the exact moment only when the survey is not anonymous.
    submitted_on: Mapped[date]
    submitted_at: Mapped[datetime | None]
    idempotency_key: Mapped[str] = mapped_column(String(64))
    # SHA-256 of a random code given to the respondent alone, to follow what their answer led to.
    receipt_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("response_batches.id", ondelete="SET NULL"), index=True)

    survey: Mapped[Survey] = relationship()
    version: Mapped[SurveyVersion] = relationship()
    unit: Mapped[Unit | None] = relationship()
    respondent: Mapped[User | None] = relationship()
    answers: Mapped[list["Answer"]] = relationship(back_populates="response", cascade="all, delete-orphan")


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="RESTRICT"), index=True)
    # Choice values, numbers, ISO dates, {row: value} for matrices; free text in ``text``.
    value: Mapped[Any | None] = mapped_column(JSON)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class Participation(Base):
    """Who has responded, kept apart from what they said: no link to the response,
    and only the day."""

    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("survey_id", "user_id"), UniqueConstraint("survey_id", "invitation_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"))
    responded_on: Mapped[date]


class ResponseDraft(Base):
    """Answers saved part-way (save and resume). Deleted when the response is submitted."""

    __tablename__ = "response_drafts"
    __table_args__ = (UniqueConstraint("survey_id", "owner_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    # "user:<id>", "invitation:<id>" or "resume:<sha256 of a resume code>".
    owner_key: Mapped[str] = mapped_column(String(100))
    values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    page: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
