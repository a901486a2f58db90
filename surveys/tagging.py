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
from dataclasses import dataclass
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
# What the answer wants done (ANNOTATION.md): kiến nghị, phản ánh, ghi nhận, câu hỏi, khác. The same
# lists as nlp.models', kept here so that web workers never import scikit-learn.
KINDS = ("request", "problem", "praise", "question", "other")
UNSURE = "unsure"  # the sentiment or kind shown for a tag the model is not sure of: "chưa rõ"
# Vietnamese names for exports and documents, which stay Vietnamese whatever the reader's language.
SENTIMENT_NAMES = {"negative": "Tiêu cực", "neutral": "Trung tính", "positive": "Tích cực", UNSURE: "Chưa rõ"}
KIND_NAMES = {
    "request": "Kiến nghị",
    "problem": "Phản ánh",
    "praise": "Ghi nhận",
    "question": "Câu hỏi",
    "other": "Khác",
    UNSURE: "Chưa rõ",
}
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
        "sentiment_sure": bool(tag["sentiment_sure"]),
        "kind": tag["kind"],
        "kind_confidence": float(tag["kind_confidence"]),
        "kind_sure": bool(tag["kind_sure"]),
        "main_topic": main["key"],
        "main_topic_confidence": float(main["confidence"]),
        "topic_sure": bool(tag["topic_sure"]),
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
    kind: str | None = None,
) -> TagCorrection:
    if sentiment is not None and sentiment not in SENTIMENTS:
        raise DomainError(N_("Sắc thái không hợp lệ."))
    if kind is not None and kind not in KINDS:
        raise DomainError(N_("Loại ý kiến không hợp lệ."))
    known = set(known_topics)
    if topics is not None and (not topics or not set(topics) <= known):
        raise DomainError(N_("Chủ đề không hợp lệ."))
    correction = session.get(TagCorrection, answer.id) or TagCorrection(answer_id=answer.id)
    correction.sentiment, correction.kind, correction.topics = sentiment, kind, topics
    correction.corrected_by_id, correction.corrected_at = reviewer.id, utcnow()
    session.add(correction)
    audit.record(
        session, reviewer, "answer.tags_corrected", answer, sentiment=sentiment, answer_kind=kind, topics=topics
    )
    return correction


@dataclass(frozen=True)
class Tags:
    """The tags readers see for one answer. A reviewer's correction wins over the model and is
    sure; its confidence is None (no model said it)."""

    sentiment: str | None
    sentiment_confidence: float | None
    sentiment_sure: bool
    kind: str | None
    kind_confidence: float | None
    kind_sure: bool
    topics: list[str]
    topic_confidence: float | None
    topic_sure: bool
    keyphrases: list[str]
    alerts: list[Any]
    corrected: bool

    @property
    def shown_sentiment(self) -> str | None:
        """The sentiment a reader is told: "chưa rõ" (UNSURE) when the model is not sure of it."""
        return self.sentiment if self.sentiment_sure or self.sentiment is None else UNSURE

    @property
    def shown_kind(self) -> str | None:
        return self.kind if self.kind_sure or self.kind is None else UNSURE


def _chosen(corrected: Any, model: tuple[Any, float | None, bool]) -> tuple[Any, float | None, bool]:
    return (corrected, None, True) if corrected else model


def effective(tag: AnswerTag | None, correction: TagCorrection | None) -> Tags | None:
    """The tags readers see: a reviewer's correction wins over the model."""
    if tag is None and correction is None:
        return None
    none = (None, None, False)

    def fixed(name: str) -> Any:
        return getattr(correction, name) if correction else None

    sentiment = _chosen(
        fixed("sentiment"), (tag.sentiment, tag.sentiment_confidence, tag.sentiment_sure) if tag else none
    )
    kind = _chosen(fixed("kind"), (tag.kind, tag.kind_confidence, tag.kind_sure) if tag else none)
    main = ([t["key"] for t in tag.topics], tag.main_topic_confidence, tag.topic_sure) if tag else ([], None, False)
    topics = _chosen(fixed("topics"), main)
    return Tags(
        *sentiment,
        *kind,
        *topics,
        keyphrases=tag.keyphrases if tag else [],
        alerts=tag.alerts if tag else [],
        corrected=correction is not None,
    )


def correction_rows(session: Session) -> list[dict[str, str]]:
    """What reviewers set, one dict per corrected answer: ``text`` and each label they set
    (``sentiment``, ``kind``, ``topic``: the main one), as ``nlp.training.train_all`` takes them."""
    rows = []
    for text, sentiment, kind, topics in session.execute(
        select(Answer.text, TagCorrection.sentiment, TagCorrection.kind, TagCorrection.topics)
        .join(TagCorrection, TagCorrection.answer_id == Answer.id)
        .order_by(Answer.id)
    ):
        labels = {"sentiment": sentiment, "kind": kind, "topic": topics[0] if topics else None}
        row = {"text": " ".join(text.split())} | {name: value for name, value in labels.items() if value}
        if row["text"] and len(row) > 1:
            rows.append(row)
    return rows


def export_corrections(session: Session) -> str:
    """What reviewers set, as TSV with columns text, sentiment, kind, topic (a label they left to
    the model is empty), ready for ``python -m nlp train --input``."""
    buffer = io.StringIO()
    # No quoting: nlp.corpus.read_rows reads QUOTE_NONE and drops the escaping backslashes.
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    columns = ["text", "sentiment", "kind", "topic"]
    writer.writerow(columns)
    # Tabs and line breaks inside an answer would break the TSV: correction_rows flattens them.
    writer.writerows([row.get(column, "") for column in columns] for row in correction_rows(session))
    return buffer.getvalue()
