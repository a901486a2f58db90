"""Tagging free-text answers in the background, and reviewers' corrections.

The worker claims a batch of answers that have no tag (or a tag from an older model),
tags them and writes the tags in one transaction: one read, one multi-row upsert, one commit,
no ORM objects (bench/tagging.py holds it to 0.8x the speed of bare ``tag_many``). On
PostgreSQL the claim is ``FOR UPDATE SKIP LOCKED``, so several workers share the work without
overlap; if a worker dies mid-batch its transaction rolls back and the answers are claimed
again later.
"""

import csv
import io
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from . import audit
from .db import upsert_insert
from .errors import N_, DomainError
from .models import Answer, AnswerTag, Question, TagCorrection, User, utcnow
from .questions import kinds_where

SENTIMENTS = ("negative", "neutral", "positive")
# An answer asks for something (a "kiến nghị, đề xuất") when it answers such a question or is phrased as a request.
REQUEST_PHRASING = re.compile(r"^\s*(đề nghị|kiến nghị|đề xuất|mong|xin|cần|nên)\b", re.IGNORECASE)
REQUEST_QUESTION_KEYS = re.compile(r"kien_nghi|de_xuat|nguyen_vong")
# The free text the NLP reads.
TAGGED_KINDS = kinds_where(tagged=True)


class Tagger(Protocol):
    version: str

    def tag_many(self, texts: list[str]) -> list[dict[str, Any]]: ...


def _pending(tagger_version: str):
    return (
        select(Answer.id, Answer.text, Question.key)
        .join(Question, Question.id == Answer.question_id)
        .outerjoin(AnswerTag, AnswerTag.answer_id == Answer.id)
        .where(
            Question.kind.in_(TAGGED_KINDS),
            Answer.text.is_not(None),
            or_(AnswerTag.answer_id.is_(None), AnswerTag.model_version != tagger_version),
        )
    )


def pending_count(session: Session, tagger_version: str) -> int:
    return session.scalar(select(func.count()).select_from(_pending(tagger_version).subquery()))


def tag_row(
    answer_id: int, tag: dict[str, Any], *, model_version: str, is_request: bool, tagged_at: datetime
) -> dict[str, Any]:
    """The answer_tags row for one tagger result: a new tag field is one more entry here."""
    main = tag["topics"][0]
    return {
        "answer_id": answer_id,
        "model_version": model_version,
        "sentiment": tag["sentiment"],
        "sentiment_confidence": float(tag["sentiment_confidence"]),
        "main_topic": main["key"],
        "main_topic_confidence": float(main["confidence"]),
        "has_alert": bool(tag["alerts"]),
        "topics": tag["topics"],
        "keyphrases": tag["keyphrases"],
        "alerts": tag["alerts"],
        "redacted": tag["redacted"],
        "no_diacritics": bool(tag["no_diacritics"]),
        "is_request": is_request,
        "tagged_at": tagged_at,
    }


def store_tags(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert the rows, replacing an answer's older tags, as one multi-row upsert (no ORM objects)."""
    statement = upsert_insert(session, AnswerTag.__table__)
    replaced = {column: statement.excluded[column] for column in rows[0] if column != "answer_id"}
    session.execute(statement.on_conflict_do_update(index_elements=["answer_id"], set_=replaced), rows)


def tag_batch(session: Session, tagger: Tagger, *, batch: int = 200, after: int = 0) -> tuple[int, int]:
    """Claim, tag and store one batch of answers with ids above ``after``, in one transaction.

    Returns how many answers were tagged and the last id claimed (the next batch starts after
    it, so a run does not re-read the answers it has passed). Commits."""
    claimed = session.execute(
        _pending(tagger.version)
        .where(Answer.id > after)
        .order_by(Answer.id)
        .limit(batch)
        .with_for_update(skip_locked=True, of=Answer)
    ).all()
    if not claimed:
        session.commit()
        return 0, after
    tags = tagger.tag_many([text for _, text, _ in claimed])
    now = utcnow()
    store_tags(
        session,
        [
            tag_row(
                answer_id,
                tag,
                model_version=tagger.version,
                tagged_at=now,
                is_request=bool(REQUEST_QUESTION_KEYS.search(key) or REQUEST_PHRASING.match(text)),
            )
            for (answer_id, text, key), tag in zip(claimed, tags, strict=True)
        ],
    )
    session.commit()
    return len(claimed), claimed[-1][0]


def tag_pending(session: Session, tagger: Tagger, *, batch: int = 200, limit: int | None = None) -> int:
    """Tag until nothing is left (or ``limit`` answers are done)."""
    done, after = 0, 0
    while limit is None or done < limit:
        count, after = tag_batch(session, tagger, batch=batch, after=after)
        if count == 0:
            break
        done += count
    return done


def correct(
    session: Session,
    answer: Answer,
    *,
    sentiment: str | None,
    topics: list[str] | None,
    reviewer: User,
    known_topics: Iterable[str],
) -> TagCorrection:
    if sentiment is not None and sentiment not in SENTIMENTS:
        raise DomainError(N_("Sắc thái không hợp lệ."))
    known = set(known_topics)
    if topics is not None and (not topics or not set(topics) <= known):
        raise DomainError(N_("Chủ đề không hợp lệ."))
    correction = session.get(TagCorrection, answer.id) or TagCorrection(answer_id=answer.id)
    correction.sentiment, correction.topics = sentiment, topics
    correction.corrected_by_id, correction.corrected_at = reviewer.id, utcnow()
    session.add(correction)
    audit.record(session, reviewer, "answer.tags_corrected", answer, sentiment=sentiment, topics=topics)
    return correction


def effective(tag: AnswerTag | None, correction: TagCorrection | None) -> dict[str, Any] | None:
    """The tags readers see: a reviewer's correction wins over the model."""
    if tag is None and correction is None:
        return None
    sentiment = (correction.sentiment if correction and correction.sentiment else None) or (
        tag.sentiment if tag else None
    )
    topics = (correction.topics if correction and correction.topics else None) or (
        [t["key"] for t in tag.topics] if tag else []
    )
    return {
        "sentiment": sentiment,
        "topics": topics,
        "keyphrases": tag.keyphrases if tag else [],
        "alerts": tag.alerts if tag else [],
        "corrected": correction is not None,
    }


def export_corrections(session: Session) -> str:
    """Corrections as TSV with columns text, sentiment, topic, ready for ``python -m nlp train --input``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(["text", "sentiment", "topic"])
    rows = session.execute(
        select(Answer.text, TagCorrection, AnswerTag)
        .join(TagCorrection, TagCorrection.answer_id == Answer.id)
        .outerjoin(AnswerTag, AnswerTag.answer_id == Answer.id)
        .order_by(Answer.id)
    )
    for text, correction, tag in rows:
        chosen = effective(tag, correction)
        if not chosen["sentiment"] or not chosen["topics"]:
            continue
        # Tabs and line breaks inside an answer would break the TSV.
        flat = " ".join(text.split())
        writer.writerow([flat, chosen["sentiment"], chosen["topics"][0]])
    return buffer.getvalue()
