"""Weekly aspiration summaries for unit heads (their unit and sub-units) and party
committees (the units they oversee).

One run reads the week with a handful of GROUP BY queries over all units at once, then
rolls the figures up per scope in memory, so its cost grows with the number of units,
not with the number of answers. Every figure respects k: small units merge into their
parent, topics below k are not broken out, and a scope below k shows only that fact.
"""

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from . import kanon
from .models import (
    Answer,
    AnswerTag,
    Committee,
    Participation,
    Response,
    Role,
    RoleAssignment,
    TagCorrection,
    Unit,
    User,
    WeeklySummary,
    utcnow,
)
from .timeutil import format_date, iso_week_label

SENTIMENTS = ("negative", "neutral", "positive")
SENTIMENT_INDEX = {sentiment: index for index, sentiment in enumerate(SENTIMENTS)}
TREND_WEEKS = 8
QUOTES_PER_TOPIC = 4
CANDIDATES_PER_UNIT_TOPIC = 3
NEGATIVE_JUMP = 0.15  # a topic's negative share rising this much week on week is an alert


def week_start(week: str) -> date:
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def previous_week(day: date) -> str:
    return iso_week_label(day - timedelta(days=7))


@dataclass
class Scope:
    key: str  # "unit:<id>" or "committee:<id>"
    name: str
    roots: list[Unit]
    unit: Unit | None = None
    committee: Committee | None = None


def all_scopes(session: Session) -> list[Scope]:
    """Every unit that has a head, and every committee."""
    headed = session.scalars(
        select(Unit)
        .join(RoleAssignment, RoleAssignment.unit_id == Unit.id)
        .where(RoleAssignment.role == Role.UNIT_HEAD)
        .distinct()
        .order_by(Unit.path)
    ).all()
    scopes = [Scope(f"unit:{u.id}", u.name, [u], unit=u) for u in headed]
    for committee in session.scalars(
        select(Committee).options(selectinload(Committee.overseen_units)).order_by(Committee.name)
    ):
        scopes.append(
            Scope(f"committee:{committee.id}", committee.name, list(committee.overseen_units), committee=committee)
        )
    return scopes


class TagCounts:
    """Tagged answers per unit × (previous week, this week) × topic × sentiment, in one small
    array per unit: its size depends on units and topics, never on how many answers there are."""

    def __init__(self, capacity: int = 32) -> None:
        self.topics: dict[str, int] = {}  # topic key → column; also the one copy of each key string
        self.capacity = capacity
        self.units: dict[int, np.ndarray] = {}

    def topic(self, key: str) -> str:
        """The canonical key string (so millions of rows do not keep millions of copies)."""
        if key not in self.topics:
            self.topics[key] = len(self.topics)
            if len(self.topics) > self.capacity:
                self.capacity *= 2
                for unit_id, counts in self.units.items():
                    grown = np.zeros((2, self.capacity, len(SENTIMENTS)), dtype=np.int64)
                    grown[:, : counts.shape[1]] = counts
                    self.units[unit_id] = grown
        return key

    def add(self, unit_id: int, current: bool, topic: str, sentiment: str, count: int = 1) -> None:
        self.topic(topic)
        counts = self.units.get(unit_id)
        if counts is None:
            counts = self.units[unit_id] = np.zeros((2, self.capacity, len(SENTIMENTS)), dtype=np.int64)
        counts[int(current), self.topics[topic], SENTIMENT_INDEX[sentiment]] += count

    def total(self, unit_ids: set[int]) -> np.ndarray:
        arrays = [self.units[u] for u in unit_ids if u in self.units]
        return np.sum(arrays, axis=0) if arrays else np.zeros((2, self.capacity, len(SENTIMENTS)), dtype=np.int64)


@dataclass
class WeekData:
    """The week's figures for every unit, read once."""

    responses: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))  # unit → week → n
    tags: TagCounts = field(default_factory=TagCounts)
    staff: Counter = field(default_factory=Counter)
    participants: Counter = field(default_factory=Counter)
    # Per unit: [(topic, sentiment, answer id, asks for something)], typical answers first.
    candidates: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    alerts: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))  # unit → [(text, categories)]
    unplaced: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))  # poorly covered by the taxonomy


def read_week(session: Session, week: str, *, with_unplaced: bool = True) -> WeekData:
    """The week's figures for every unit, in a handful of queries whose cost follows units, not answers."""
    reader = _WeekReader(session, week)
    reader.responses()
    reader.previous_tags()
    reader.this_week_tags()
    reader.corrections()
    reader.staff_and_participants()
    reader.alerts(with_unplaced=with_unplaced)
    return reader.data


class _WeekReader:
    """Each step of ``read_week``: one query over all units, folded into ``data``."""

    def __init__(self, session: Session, week: str) -> None:
        self.monday = week_start(week)
        self.end, self.previous = self.monday + timedelta(days=7), self.monday - timedelta(days=7)
        self.data = WeekData()
        # Plain Core execution: these rows are tuples, not entities, and need no ORM loading.
        self.execute = session.connection().execute
        self.tagged = (
            select(Response.unit_id, AnswerTag.main_topic, AnswerTag.sentiment)
            .select_from(AnswerTag)
            .join(Answer, Answer.id == AnswerTag.answer_id)
            .join(Response, Response.id == Answer.response_id)
        )

    def responses(self) -> None:
        """Responses per unit and week, over the trend's weeks."""
        first = self.monday - timedelta(days=7 * (TREND_WEEKS - 1))
        week_of = {first + timedelta(days=n): iso_week_label(first + timedelta(days=n)) for n in range(7 * TREND_WEEKS)}
        for unit_id, day, count in self.execute(
            select(Response.unit_id, Response.submitted_on, func.count())
            .where(Response.submitted_on >= first, Response.submitted_on < self.end)
            .group_by(Response.unit_id, Response.submitted_on)
        ):
            self.data.responses[unit_id][week_of[day]] += count

    def previous_tags(self) -> None:
        for unit_id, topic, sentiment, count in self.execute(
            self.tagged.add_columns(func.count())
            .where(Response.submitted_on >= self.previous, Response.submitted_on < self.monday)
            .group_by(Response.unit_id, AnswerTag.main_topic, AnswerTag.sentiment)
        ):
            self.data.tags.add(unit_id, False, topic, sentiment, count)

    def this_week_tags(self) -> None:
        """This week is read row by row, once: it gives the counts and, per unit and topic, the
        typical answers worth quoting (the ones the model is surest about, of ordinary length)."""
        best: dict[tuple[int, str], list[tuple]] = defaultdict(list)
        for unit_id, topic, sentiment, confidence, answer_id, is_request, quotable in self.execute(
            self.tagged.add_columns(
                AnswerTag.main_topic_confidence,
                Answer.id,
                AnswerTag.is_request,
                func.length(AnswerTag.redacted).between(25, 400),
            ).where(Response.submitted_on >= self.monday, Response.submitted_on < self.end)
        ):
            self.data.tags.add(unit_id, True, topic, sentiment)
            if quotable:
                heap = best[(unit_id, self.data.tags.topic(topic))]
                entry = (confidence, -answer_id, SENTIMENT_INDEX[sentiment], bool(is_request))
                if len(heap) < CANDIDATES_PER_UNIT_TOPIC:
                    heapq.heappush(heap, entry)
                elif entry > heap[0]:
                    heapq.heapreplace(heap, entry)
        # Only ids are kept: the texts of the few answers finally quoted are read at the end of the run.
        for unit_id, topic in sorted(best):
            heap = best.pop((unit_id, topic))  # released as we go: the peak stays one copy
            for _confidence, negative_id, sentiment, is_request in sorted(heap, reverse=True):
                self.data.candidates[unit_id].append((topic, SENTIMENTS[sentiment], -negative_id, is_request))

    def corrections(self) -> None:
        """Reviewers' corrections win: move each corrected answer to its corrected cell."""
        is_current = Response.submitted_on >= self.monday
        window = and_(Response.submitted_on >= self.previous, Response.submitted_on < self.end)
        for unit_id, current, topic, sentiment, new_sentiment, new_topics in self.execute(
            select(
                Response.unit_id,
                is_current,
                AnswerTag.main_topic,
                AnswerTag.sentiment,
                TagCorrection.sentiment,
                TagCorrection.topics,
            )
            .select_from(TagCorrection)
            .join(Answer, Answer.id == TagCorrection.answer_id)
            .join(Response, Response.id == Answer.response_id)
            .outerjoin(AnswerTag, AnswerTag.answer_id == Answer.id)
            .where(window)
        ):
            if topic is not None:
                self.data.tags.add(unit_id, bool(current), topic, sentiment, -1)
            self.data.tags.add(unit_id, bool(current), (new_topics or [topic])[0], new_sentiment or sentiment)

    def staff_and_participants(self) -> None:
        for unit_id, count in self.execute(
            select(User.unit_id, func.count(func.distinct(User.id)))
            .join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(RoleAssignment.role == Role.STAFF, User.is_active)
            .group_by(User.unit_id)
        ):
            self.data.staff[unit_id] = count
        for unit_id, count in self.execute(
            select(User.unit_id, func.count())
            .select_from(Participation)
            .join(User, User.id == Participation.user_id)
            .where(Participation.responded_on >= self.monday, Participation.responded_on < self.end)
            .group_by(User.unit_id)
        ):
            self.data.participants[unit_id] = count

    def alerts(self, *, with_unplaced: bool) -> None:
        """This week's alerts and, when emerging themes are wanted, what the taxonomy covers poorly."""
        base = (
            select(Response.unit_id, AnswerTag.redacted)
            .select_from(AnswerTag)
            .join(Answer, Answer.id == AnswerTag.answer_id)
            .join(Response, Response.id == Answer.response_id)
            .where(Response.submitted_on >= self.monday, Response.submitted_on < self.end)
        )
        for unit_id, text, categories in self.execute(
            base.add_columns(AnswerTag.alerts).where(AnswerTag.has_alert).limit(500)
        ):
            self.data.alerts[unit_id].append((text, categories))
        if with_unplaced:
            for unit_id, text in self.execute(
                base.where(or_(AnswerTag.main_topic == "other", AnswerTag.main_topic_confidence < 0.4)).limit(3000)
            ):
                self.data.unplaced[unit_id].append(text)


class UnitTree:
    """The unit tree as plain dictionaries, built once per run: each scope's members and
    each unit's ancestors without touching ORM attributes in the inner loops."""

    def __init__(self, units: dict[int, Unit]) -> None:
        self.units = units
        self.paths = {uid: unit.path for uid, unit in units.items()}
        self.parent = {uid: unit.parent_id for uid, unit in units.items()}

    def members(self, roots: list[Unit]) -> set[int]:
        prefixes = tuple(root.path for root in roots)
        return {uid for uid, path in self.paths.items() if path.startswith(prefixes)}

    def covering(self, uid: int, shown: set[int]) -> int | None:
        """The nearest unit at or above ``uid`` that is shown as a group."""
        while uid is not None and uid not in shown:
            uid = self.parent.get(uid)
        return uid


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def summarise(
    scope: Scope,
    week: str,
    data: WeekData,
    tree: UnitTree,
    *,
    k: int,
    topic_labels: dict[str, str],
    themes: Callable[[list[str]], list[dict]] | None = None,
) -> dict[str, Any]:
    """The summary of one scope, as plain JSON-able data (stored, rendered, mailed, exported).

    Quotes are answer ids here; ``run_week`` replaces them with the redacted texts, and
    gives each leading topic the keyphrases of its quoted answers."""
    members = tree.members(scope.roots)
    summary, per_unit = _headline(scope, week, data, members, k)
    if summary["suppressed"]:
        return summary
    summary["units"] = _unit_rows(scope, data, tree, members, per_unit, k)
    counts = data.tags.total(members)  # [previous/this week, topic, sentiment]
    summary.update(_sentiment(counts, k))
    topics = _topics(data, counts, topic_labels, k)
    # (topic, sentiment, answer id, asks for something), typical answers first within each unit.
    candidates = [c for uid in members for c in data.candidates.get(uid, ())]
    summary.update(_topic_sections(topics, candidates))
    summary["alerts"] = _alerts(data, members, topics)
    unplaced = [text for uid in members for text in data.unplaced.get(uid, ())]
    summary["emerging_themes"] = []
    if themes is not None and len(unplaced) >= 2 * k:
        summary["emerging_themes"] = [t for t in themes(unplaced) if t.get("size", 0) >= k]
    return summary


def _headline(
    scope: Scope, week: str, data: WeekData, members: set[int], k: int
) -> tuple[dict[str, Any], dict[int, int]]:
    """Responses this week, last week and over the trend, and the participation rate (when at least k took part)."""
    monday = week_start(week)
    weeks = [iso_week_label(monday - timedelta(days=7 * n)) for n in range(TREND_WEEKS - 1, -1, -1)]
    per_unit = {uid: data.responses[uid][week] for uid in members if data.responses[uid][week]}
    total = sum(per_unit.values())
    staff = sum(data.staff[uid] for uid in members)
    participants = sum(data.participants[uid] for uid in members)
    summary = {
        "week": week,
        "period": [format_date(monday), format_date(monday + timedelta(days=6))],
        "scope": {"key": scope.key, "name": scope.name, "kind": "committee" if scope.committee else "unit"},
        "k": k,
        "responses": total,
        "previous_responses": sum(data.responses[uid][weeks[-2]] for uid in members),
        "suppressed": total < k,
        "trend": [{"week": w, "responses": sum(data.responses[uid][w] for uid in members)} for w in weeks],
        "staff": staff,
        "participants": participants,
        "response_rate": _share(participants, staff) if participants >= k else None,
    }
    return summary, per_unit


def _unit_rows(
    scope: Scope, data: WeekData, tree: UnitTree, members: set[int], per_unit: dict[int, int], k: int
) -> list[dict[str, Any]]:
    """Responses and participation by unit, small units merged as k requires."""
    groups = kanon.roll_up(per_unit, tree.units, k, top={u.id for u in scope.roots})
    shown = {g.unit.id for g in groups if g.unit is not None}
    staff, participants = Counter(), Counter()
    for uid in members:
        if data.staff[uid] or data.participants[uid]:
            group = tree.covering(uid, shown)  # None: the merged remainder
            staff[group] += data.staff[uid]
            participants[group] += data.participants[uid]
    rows = []
    for g in groups:
        key = g.unit.id if g.unit else None
        rows.append(
            {
                "name": g.unit.name if g.unit else kanon.REMAINDER_LABEL,
                "responses": g.count,
                "merged_units": g.merged_units,
                "staff": staff[key],
                "rate": _share(participants[key], staff[key]) if participants[key] >= k else None,
            }
        )
    return rows


def _by_sentiment(cells: np.ndarray) -> dict[str, int]:
    return dict(zip(SENTIMENTS, map(int, cells), strict=True))


def _sentiment(counts: np.ndarray, k: int) -> dict[str, Any]:
    """How many tagged answers, and the sentiment shares when at least k were tagged."""
    sentiment, before = _by_sentiment(counts[1].sum(axis=0)), _by_sentiment(counts[0].sum(axis=0))
    tagged, tagged_before = sum(sentiment.values()), sum(before.values())
    part: dict[str, Any] = {"tagged": tagged}
    if tagged >= k:
        part["sentiment"] = {
            s: {
                "count": n,
                "share": _share(n, tagged),
                "previous_share": _share(before[s], tagged_before) if tagged_before >= k else None,
            }
            for s, n in sentiment.items()
        }
    return part


def _topics(data: WeekData, counts: np.ndarray, topic_labels: dict[str, str], k: int) -> list[dict[str, Any]]:
    """Each topic at least k answers spoke of, with its change on last week, most spoken of first."""
    topics = []
    for key, column in data.tags.topics.items():
        now, before = _by_sentiment(counts[1, column]), _by_sentiment(counts[0, column])
        count, count_before = sum(now.values()), sum(before.values())
        if count < k:
            continue
        topics.append(
            {
                "key": key,
                "label": topic_labels.get(key, key),
                "count": count,
                "previous_count": count_before,
                "change": "up" if count > count_before else "down" if count < count_before else "same",
                "negative": now["negative"],
                "positive": now["positive"],
                "negative_share": _share(now["negative"], count),
                "previous_negative_share": _share(before["negative"], count_before) if count_before >= k else None,
            }
        )
    topics.sort(key=lambda t: (-t["count"], t["key"]))
    return topics


def _topic_sections(topics: list[dict[str, Any]], candidates: list[tuple]) -> dict[str, Any]:
    """Topics with their quotes, by negativity, the positives, the concerns and the requests."""
    by_topic: dict[str, list[tuple]] = defaultdict(list)
    for candidate in candidates:
        by_topic[candidate[0]].append(candidate)
    for topic in topics[:6]:
        topic["quotes"] = [c[2] for c in by_topic[topic["key"]][:QUOTES_PER_TOPIC]]

    def quotes(topic: dict[str, Any], sentiment: str) -> list[int]:
        return [c[2] for c in by_topic[topic["key"]] if c[1] == sentiment][:3]

    negative = sorted((t for t in topics if t["negative"]), key=lambda t: (-t["negative_share"], -t["count"]))
    return {
        "topics": topics,
        "topics_by_negativity": [t["key"] for t in negative],
        "positives": [
            {"label": t["label"], "share": _share(t["positive"], t["count"]), "quotes": quotes(t, "positive")}
            for t in topics
            if t["positive"] * 2 >= t["count"]
        ][:4],
        "concerns": [
            {
                "label": t["label"],
                "negative_share": t["negative_share"],
                "count": t["count"],
                "quotes": quotes(t, "negative"),
            }
            for t in sorted(topics, key=lambda t: -t["negative"])
            if t["negative"]
        ][:5],
        "recommendations": [c[2] for c in candidates if c[3]][:8],
    }


def _alerts(data: WeekData, members: set[int], topics: list[dict[str, Any]]) -> dict[str, Any]:
    """Alerting answers by category, a few of them, and topics whose negative share jumped."""
    alerts = [a for uid in members for a in data.alerts.get(uid, ())]
    return {
        "categories": dict(Counter(category for a in alerts for category in a[1])),
        "quotes": [a[0] for a in alerts[:10]],
        "negative_jumps": [
            {"key": t["key"], "label": t["label"], "from": t["previous_negative_share"], "to": t["negative_share"]}
            for t in topics
            if t["previous_negative_share"] is not None
            and t["negative_share"] - t["previous_negative_share"] >= NEGATIVE_JUMP
        ],
    }


def store(
    session: Session, scope: Scope, week: str, data: dict[str, Any], existing: dict[str, WeeklySummary]
) -> WeeklySummary:
    """Insert or replace the summary of (scope, week); ``existing`` holds the week's stored ones by scope."""
    summary = existing.get(scope.key)
    if summary is None:
        summary = WeeklySummary(scope_key=scope.key, week=week, unit=scope.unit, committee=scope.committee)
        session.add(summary)
    summary.data, summary.generated_at = data, utcnow()
    return summary


def _quoting(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for part in ("topics", "positives", "concerns") for item in content.get(part, ()) if "quotes" in item]


def _quote_ids(content: dict[str, Any]) -> list[int]:
    return [i for item in _quoting(content) for i in item["quotes"]] + content.get("recommendations", [])


def run_week(
    session: Session,
    week: str,
    *,
    k: int,
    topic_labels: dict[str, str],
    scopes: list[Scope] | None = None,
    themes: Callable[[list[str]], list[dict]] | None = None,
    extra: Callable[[Scope, dict[str, Any]], None] | None = None,
) -> list[WeeklySummary]:
    """Compute and store the summaries of ``week`` for ``scopes`` (all by default). The caller commits."""
    data = read_week(session, week, with_unplaced=themes is not None)
    tree = UnitTree({u.id: u for u in session.scalars(select(Unit))})
    contents = [
        (scope, summarise(scope, week, data, tree, k=k, topic_labels=topic_labels, themes=themes))
        for scope in (scopes if scopes is not None else all_scopes(session))
    ]
    # The texts and keyphrases of the quoted answers only: one small query for the whole run.
    quoted = {i for _, content in contents for i in _quote_ids(content)}
    texts = {
        answer_id: (text, phrases)
        for answer_id, text, phrases in session.execute(
            select(AnswerTag.answer_id, AnswerTag.redacted, AnswerTag.keyphrases).where(AnswerTag.answer_id.in_(quoted))
        )
    }
    existing = {s.scope_key: s for s in session.scalars(select(WeeklySummary).where(WeeklySummary.week == week))}
    stored = []
    for scope, content in contents:
        for topic in content.get("topics", ()):
            if "quotes" in topic:
                counts = Counter(p for i in topic["quotes"] for p in texts[i][1] or [])
                topic["keyphrases"] = [phrase for phrase, _ in counts.most_common(5)]
        for item in _quoting(content):
            item["quotes"] = list(dict.fromkeys(texts[i][0] for i in item["quotes"]))
        if "recommendations" in content:
            content["recommendations"] = list(dict.fromkeys(texts[i][0] for i in content["recommendations"]))
        if extra is not None:
            extra(scope, content)
        stored.append(store(session, scope, week, content, existing))
    session.flush()
    return stored


def readers(session: Session, summary: WeeklySummary) -> list[User]:
    """Who receives it: the unit's heads, or the committee's members."""
    if summary.committee_id is not None:
        where = and_(RoleAssignment.role == Role.COMMITTEE_MEMBER, RoleAssignment.committee_id == summary.committee_id)
    else:
        where = and_(RoleAssignment.role == Role.UNIT_HEAD, RoleAssignment.unit_id == summary.unit_id)
    return list(
        session.scalars(
            select(User)
            .join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(where, User.is_active)
            .distinct()
            .order_by(User.id)
        )
    )
