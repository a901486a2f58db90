"""What the NLP pipeline said about a free-text answer, and what a reviewer corrected."""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .org import enum_column
from .people import User
from .survey import Answer


class AnswerTag(Base):
    """One row per tagged answer; replaced when the model version changes."""

    __tablename__ = "answer_tags"
    __table_args__ = (Index("ix_answer_tags_model_version", "model_version"),)

    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True)
    model_version: Mapped[str] = mapped_column(String(80))
    sentiment: Mapped[str] = mapped_column(String(16))
    sentiment_confidence: Mapped[float] = mapped_column(Float)
    # Each *_sure is the model's own verdict (confidence over its calibrated threshold): an unsure
    # tag is shown as "chưa rõ" and never used as evidence.
    sentiment_sure: Mapped[bool] = mapped_column(default=False)
    kind: Mapped[str] = mapped_column(String(16), default="other", index=True)  # request/problem/praise/question/other
    kind_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    kind_sure: Mapped[bool] = mapped_column(default=False)
    main_topic: Mapped[str] = mapped_column(String(64), index=True)
    main_topic_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    topic_sure: Mapped[bool] = mapped_column(default=False)
    topics: Mapped[list[Any]] = mapped_column(default=list)  # [{"key", "confidence"}], main first
    keyphrases: Mapped[list[Any]] = mapped_column(default=list)
    alerts: Mapped[list[Any]] = mapped_column(default=list)
    has_alert: Mapped[bool] = mapped_column(default=False, index=True)  # summaries find alerts without reading JSON
    redacted: Mapped[str] = mapped_column(Text)  # what readers see; the original stays in answers.text
    no_diacritics: Mapped[bool] = mapped_column(default=False)
    is_request: Mapped[bool] = mapped_column(default=False)  # asks for something: a recommendation (kiến nghị)
    tagged_at: Mapped[datetime] = mapped_column(default=utcnow)

    answer: Mapped[Answer] = relationship()


class TagCorrection(Base):
    """A reviewer's correction; it wins over the model and feeds the next training."""

    __tablename__ = "tag_corrections"

    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True)
    sentiment: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str | None] = mapped_column(String(16))
    topics: Mapped[list[Any] | None] = mapped_column()  # topic keys, main first
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)

    answer: Mapped[Answer] = relationship()
    corrected_by: Mapped[User | None] = relationship()


class ModelState(enum.StrEnum):
    ACTIVE = "active"  # the models the tagging worker uses now (one version at a time)
    RETIRED = "retired"  # was active until a newer version passed the gate; a rollback returns to it
    REFUSED = "refused"  # trained, but worse than the active version on some evaluation set: never used
    ROLLED_BACK = "rolled_back"  # was active until withdrawn by a rollback


class ModelVersion(Base):
    """A version of the NLP models (``flask nlp retrain``): its artifacts in a folder of its own
    under the instance folder, its figures on the fixed evaluation sets, and, for a retrained
    one, the active version's figures it was compared with and where it was worse."""

    __tablename__ = "model_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(80))  # the tagger's: base version + hash of the artifacts
    directory: Mapped[str] = mapped_column(String(255))  # relative to the versions' folder
    state: Mapped[ModelState] = mapped_column(enum_column(ModelState, "model_state"), index=True)
    trained_at: Mapped[datetime] = mapped_column(default=utcnow)
    activated_at: Mapped[datetime | None]
    corrections: Mapped[int] = mapped_column(default=0)  # reviewers' corrections it learnt from
    figures: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {set: {task: figures}}
    baseline: Mapped[dict[str, Any] | None]  # the active version's figures, measured on the same sets
    regressions: Mapped[list[Any]] = mapped_column(default=list)  # where it was worse beyond noise

    @property
    def name(self) -> str:
        """What the audit log calls it."""
        return self.version
