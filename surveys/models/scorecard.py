"""What the responsiveness scorecard needs besides recommendations and answers: citizens'
ratings of the answers they got, and the weights the administrator sets."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class SatisfactionRating(Base):
    """ "Ông/bà có hài lòng với kết quả giải quyết?" from a follow page, 1 (not at all) to 5 (very).

    ``rater_key`` is a keyed hash of the respondent's receipt code and the recommendation: one
    rating per person and answer (a new one replaces it), and no way back to the response."""

    __tablename__ = "satisfaction_ratings"
    __table_args__ = (UniqueConstraint("recommendation_id", "rater_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id", ondelete="CASCADE"), index=True)
    rater_key: Mapped[str] = mapped_column(String(64))
    score: Mapped[int]
    rated_on: Mapped[date] = mapped_column(index=True)  # the day only


class ScorecardWeight(Base):
    """One component's weight in the scorecard's formula (``surveys.scorecard``)."""

    __tablename__ = "scorecard_weights"

    component: Mapped[str] = mapped_column(String(32), primary_key=True)
    weight: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
