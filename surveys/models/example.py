"""Good examples of mass mobilisation (mô hình, điển hình "Dân vận khéo") that committees record
and publish, with the recommendations and results behind them."""

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, link_table, utcnow
from .org import Committee, Unit, enum_column
from .people import User
from .recommendation import Recommendation


class ExampleKind(enum.StrEnum):
    MODEL = "model"  # mô hình
    EXEMPLAR = "exemplar"  # điển hình (a person or a collective)


good_example_recommendations = link_table("good_example_recommendations", "good_examples", "recommendations")


class GoodExample(Base):
    __tablename__ = "good_examples"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    kind: Mapped[ExampleKind] = mapped_column(enum_column(ExampleKind, "example_kind"))
    description: Mapped[str] = mapped_column(Text)  # what was done and what came of it
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id", ondelete="SET NULL"))
    published_on: Mapped[date | None] = mapped_column(index=True)  # None: not (yet) public
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()
    committee: Mapped[Committee | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=good_example_recommendations, order_by="Recommendation.id"
    )
