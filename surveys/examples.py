"""Good examples (mô hình, điển hình "Dân vận khéo"): recorded by a committee for a unit it
oversees, linked to the recommendations and results behind them, and published."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from . import audit
from .errors import N_, DomainError
from .models import CLOSED_STATUSES, Committee, ExampleKind, GoodExample, Recommendation, Unit, User
from .text import nfc, nfc_multiline


def record(
    session: Session,
    *,
    title: str,
    kind: ExampleKind,
    description: str,
    unit: Unit,
    committee: Committee | None,
    recommendations: list[Recommendation],
    publish: bool,
    actor: User | None,
    today: date,
) -> GoodExample:
    """A good example; published now when ``publish``. The caller commits."""
    title, description = nfc(title), nfc_multiline(description)
    if not title or not description:
        raise DomainError(N_("Cần có tên và nội dung của mô hình, điển hình."))
    if len(title) > 255 or len(description) > 10_000:
        raise DomainError(N_("Tên không quá 255 ký tự, nội dung không quá 10.000 ký tự."))
    if any(r.status not in CLOSED_STATUSES or not r.is_public for r in recommendations):
        raise DomainError(N_("Chỉ gắn được kiến nghị đã có kết quả và được công khai."))
    example = GoodExample(
        title=title,
        kind=kind,
        description=description,
        unit=unit,
        committee=committee,
        recommendations=list(recommendations),
        published_on=today if publish else None,
        created_by=actor,
    )
    session.add(example)
    session.flush()
    audit.record(session, actor, "example.record", example, published=publish)
    return example


def published(session: Session, limit: int = 100) -> list[GoodExample]:
    return list(
        session.scalars(
            select(GoodExample)
            .where(GoodExample.published_on.is_not(None))
            .options(selectinload(GoodExample.recommendations), selectinload(GoodExample.unit))
            .order_by(GoodExample.published_on.desc(), GoodExample.id.desc())
            .limit(limit)
        )
    )
