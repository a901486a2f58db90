"""Tagging free-text answers in the background, and reviewers' corrections.

The worker claims a batch of answers that have no tag (or a tag from an older model),
tags them and writes the tags in one transaction. On PostgreSQL the claim is
``FOR UPDATE SKIP LOCKED``, so several workers share the work without overlap; if a worker
dies mid-batch its transaction rolls back and the answers are claimed again later.
"""
import csv
import io
import re
from collections.abc import Iterable
from typing import Any, Protocol

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from . import audit
from .errors import N_, DomainError
from .models import Answer, AnswerTag, Question, QuestionKind, TagCorrection, User, utcnow

SENTIMENTS = ("negative", "neutral", "positive")
# An answer asks for something (a "kiến nghị, đề xuất") when it answers such a question or is phrased as a request.
REQUEST_PHRASING = re.compile(r"^\s*(đề nghị|kiến nghị|đề xuất|mong|xin|cần|nên)\b", re.IGNORECASE)
REQUEST_QUESTION_KEYS = re.compile(r"kien_nghi|de_xuat|nguyen_vong")
# The free text the NLP reads.
TAGGED_KINDS = (QuestionKind.LONG_TEXT,)


class Tagger(Protocol):
    version: str

    def tag_many(self, texts: list[str]) -> list[dict[str, Any]]: ...


def _pending(tagger_version: str):
    return (
        select(Answer.id, Answer.text, Question.key)
        .join(Question, Question.id == Answer.question_id)
        .outerjoin(AnswerTag, AnswerTag.answer_id == Answer.id)
        .where(Question.kind.in_(TAGGED_KINDS), Answer.text.is_not(None),
               or_(AnswerTag.answer_id.is_(None), AnswerTag.model_version != tagger_version))
    )


def pending_count(session: Session, tagger_version: str) -> int:
    return session.scalar(select(func.count()).select_from(_pending(tagger_version).subquery()))


def tag_batch(session: Session, tagger: Tagger, *, batch: int = 200) -> int:
    """Claim, tag and store one batch; returns how many answers were tagged. Commits."""
    claimed = session.execute(
        _pending(tagger.version).order_by(Answer.id).limit(batch).with_for_update(skip_locked=True, of=Answer)
    ).all()
    if not claimed:
        session.commit()
        return 0
    tags = tagger.tag_many([text for _, text, _ in claimed])
    ids = [answer_id for answer_id, _, _ in claimed]
    requests = [bool(REQUEST_QUESTION_KEYS.search(key) or REQUEST_PHRASING.match(text)) for _, text, key in claimed]
    session.execute(delete(AnswerTag).where(AnswerTag.answer_id.in_(ids)))
    now = utcnow()
    session.add_all(
        AnswerTag(
            answer_id=answer_id, model_version=tagger.version, sentiment=tag["sentiment"],
            sentiment_confidence=float(tag["sentiment_confidence"]), main_topic=tag["topics"][0]["key"],
            main_topic_confidence=float(tag["topics"][0]["confidence"]), has_alert=bool(tag["alerts"]),
            topics=tag["topics"], keyphrases=tag["keyphrases"], alerts=tag["alerts"], redacted=tag["redacted"],
            no_diacritics=bool(tag["no_diacritics"]), is_request=is_request, tagged_at=now,
        )
        for answer_id, tag, is_request in zip(ids, tags, requests, strict=True)
    )
    session.commit()
    return len(claimed)


def tag_pending(session: Session, tagger: Tagger, *, batch: int = 200, limit: int | None = None) -> int:
    """Tag until nothing is left (or ``limit`` answers are done)."""
    done = 0
    while limit is None or done < limit:
        count = tag_batch(session, tagger, batch=batch)
        if count == 0:
            break
        done += count
    return done


def correct(session: Session, answer: Answer, *, sentiment: str | None, topics: list[str] | None,
            reviewer: User, known_topics: Iterable[str]) -> TagCorrection:
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
    sentiment = (correction.sentiment if correction and correction.sentiment else None) or (tag.sentiment if tag else None)
    topics = (correction.topics if correction and correction.topics else None) or (
        [t["key"] for t in tag.topics] if tag else [])
    return {"sentiment": sentiment, "topics": topics, "keyphrases": tag.keyphrases if tag else [],
            "alerts": tag.alerts if tag else [], "corrected": correction is not None}


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
