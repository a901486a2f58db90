"""Results of a survey as a reader may see them: only responses from units in their scope,
and nothing computed over fewer than k respondents."""

import enum
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from nlp.redact import redact

from . import access, kanon, release, tagging
from .models import (
    Anonymity,
    Answer,
    AnswerTag,
    Audience,
    Invitation,
    Question,
    Response,
    Role,
    RoleAssignment,
    Survey,
    TagCorrection,
    Unit,
    User,
)
from .org import subtree_clause
from .questions import Bar, kind_of, kinds_where
from .text import nfc


@dataclass
class Filters:
    unit: Unit | None = None
    date_from: date | None = None
    date_to: date | None = None
    # These narrow the list of free-text answers; one of topic, sentiment or kind also narrows the
    # counts, when kanon.counted_tag_filters allows it (see Narrowing).
    topic: str | None = None
    sentiment: str | None = None  # as shown: tagging.UNSURE picks the answers whose sentiment is "chưa rõ"
    kind: str | None = None  # likewise
    keyword: str | None = None

    def tag_keys(self) -> set[str]:
        """The tag filters chosen, as ``tag_keys`` names what an answer matches."""
        chosen = (("topic", self.topic), ("sentiment", self.sentiment), ("kind", self.kind))
        return {f"{name}:{value}" for name, value in chosen if value}


def tag_keys(tags: tagging.Tags | None) -> set[str]:
    """The tag filters an answer matches: its sentiment and kind as shown ("chưa rõ" when the
    model is unsure), each of its topics."""
    if tags is None:
        return set()
    shown = {f"sentiment:{tags.shown_sentiment}", f"kind:{tags.shown_kind}"}
    return shown | {f"topic:{topic}" for topic in tags.topics}


class Narrowing(enum.StrEnum):
    """What the topic, sentiment, kind and keyword filters did to the figures. They always narrow
    the list of answers and the charts of their tags (which count that list); the respondents,
    the units and the other questions are counted again only when COUNTED."""

    COUNTED = "counted"  # every figure counts only the respondents with an answer the filter matches
    TOO_SMALL = "too_small"  # narrowed counts could single people out (kanon.counted_tag_filters)
    TEXTS_ONLY = "texts_only"  # a keyword, or more than one tag filter
    # An anonymous survey's respondents are counted in release batches of k (surveys/release.py),
    # which a tag would cut across: any two views, at any two moments, must differ by 0 or ≥ k.
    ANONYMOUS = "anonymous"


def response_scope(session: Session, user: User, survey: Survey, filters: Filters | None = None):
    """A WHERE clause on ``Response`` for what this reader may count."""
    filters = filters or Filters()
    clauses = [Response.survey_id == survey.id]
    if not access.is_admin(user):
        readable = access.readable_units_clause(user)
        in_scope = Response.unit_id.in_(select(Unit.id).where(readable))
        owner_readable = access.can_read_unit(user, survey.owner_unit)
        clauses.append(or_(in_scope, Response.unit_id.is_(None)) if owner_readable else in_scope)
    if filters.unit is not None:
        clauses.append(Response.unit_id.in_(select(Unit.id).where(subtree_clause([filters.unit]))))
    if filters.date_from:
        clauses.append(Response.submitted_on >= filters.date_from)
    if filters.date_to:
        clauses.append(Response.submitted_on <= filters.date_to)
    return and_(*clauses)


@dataclass
class QuestionResult:
    question: Question
    number: int = 0  # "Câu 1", "Câu 2"… in the order the respondent met them
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    average: float | None = None
    nps: int | None = None
    rows: list[tuple[str, list[Bar], float | None]] = field(default_factory=list)
    median: float | None = None
    texts: list["TextItem"] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    text_total: int = 0  # free-text answers before the topic/sentiment/keyword filters


@dataclass
class TextItem:
    """A free-text answer as a reader sees it: redacted, with its tags (corrections win)."""

    answer_id: int
    text: str
    tags: tagging.Tags | None = None  # None until the worker has tagged it

    @property
    def sentiment(self) -> str | None:
        """The sentiment shown: tagging.UNSURE ("chưa rõ") when the model is not sure of it."""
        return self.tags.shown_sentiment if self.tags else None

    @property
    def kind(self) -> str | None:
        return self.tags.shown_kind if self.tags else None

    @property
    def topics(self) -> list[str]:
        return self.tags.topics if self.tags else []

    @property
    def keyphrases(self) -> list[str]:
        return self.tags.keyphrases if self.tags else []

    @property
    def corrected(self) -> bool:
        return bool(self.tags and self.tags.corrected)


@dataclass
class Section:
    """One page of the survey, as a section of its results: its heading is the page's opening
    text block when it has one."""

    number: int
    title: str | None
    questions: list[QuestionResult] = field(default_factory=list)


def sections_of(questions: list[Question], results: dict[str, QuestionResult]) -> list[Section]:
    """The counted questions grouped by the page they are on, numbered in order."""
    sections: dict[int, Section] = {}
    for question in questions:
        section = sections.setdefault(question.page, Section(question.page, None))
        if question.key in results:
            section.questions.append(results[question.key])
            results[question.key].number = sum(len(s.questions) for s in sections.values())
        elif section.title is None and not section.questions and question.text.strip():
            section.title = question.text
    return [section for section in sections.values() if section.questions]


@dataclass
class SurveyResults:
    survey: Survey
    k: int
    total: int
    invited: int | None
    groups: list[kanon.Group]
    questions: list[QuestionResult]
    topic_counts: Counter = field(default_factory=Counter)  # over the tagged free-text answers the filters match
    sentiment_counts: Counter = field(default_factory=Counter)  # as shown: unsure ones under tagging.UNSURE
    kind_counts: Counter = field(default_factory=Counter)  # likewise
    sections: list[Section] = field(default_factory=list)  # the questions again, by page of the survey
    narrowing: Narrowing | None = None  # None: no topic, sentiment, kind or keyword filter
    # Anonymous answers of the whole survey waiting for a batch of k: a count, never by unit.
    pending: int = 0

    @property
    def suppressed(self) -> bool:
        return self.total < self.k

    @property
    def rate(self) -> float | None:
        return 100.0 * self.total / self.invited if self.invited else None


def invited_population(session: Session, user: User | None, survey: Survey, filters: Filters) -> int | None:
    """Whom the survey asked, within the reader's scope (everyone when ``user`` is None, as its author
    confirms before publishing): staff of the surveyed units, or invitees; None for citizens."""
    if survey.audience == Audience.CITIZENS:
        return None
    if survey.audience == Audience.INVITED:
        return session.scalar(select(func.count(Invitation.id)).where(Invitation.survey_id == survey.id))
    units = select(Unit.id).where(subtree_clause(survey.units))
    query = (
        select(func.count(func.distinct(User.id)))
        .join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(User.is_active, RoleAssignment.role == Role.STAFF, User.unit_id.in_(units))
    )
    if user is not None and not access.is_admin(user):
        query = query.where(User.unit_id.in_(select(Unit.id).where(access.readable_units_clause(user))))
    if filters.unit is not None:
        query = query.where(User.unit_id.in_(select(Unit.id).where(subtree_clause([filters.unit]))))
    return session.scalar(query)


def unit_groups(
    session: Session, scope, k: int, top: set[int] | None = None, respondents: set[int] | None = None
) -> tuple[int, list[kanon.Group]]:
    """Respondents in ``scope`` (only ``respondents``, response ids, when given), grouped by unit for k."""
    if respondents is None:
        query = select(Response.unit_id, func.count()).where(scope).group_by(Response.unit_id)
        counts = dict(session.execute(query).all())
    else:
        rows = session.execute(select(Response.id, Response.unit_id).where(scope)).yield_per(2000)
        counts = Counter(unit_id for response_id, unit_id in rows if response_id in respondents)
    total = sum(counts.values())
    no_unit = counts.pop(None, 0)
    ids = set(counts)
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    ancestor_ids = {a for u in units.values() for a in u.ancestor_ids()}
    units.update({u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(ancestor_ids - set(units))))})
    return total, kanon.roll_up(counts, units, k, top, unplaced=no_unit)


def _stable_order(text: str) -> str:
    # Quotes are listed in an order unrelated to when they came in.
    return hashlib.sha256(text.encode()).hexdigest()


def compute(
    session: Session, user: User, survey: Survey, filters: Filters | None = None, *, k: int, text_limit: int = 200
) -> SurveyResults:
    filters = filters or Filters()
    scope = response_scope(session, user, survey, filters)
    narrowing, respondents = _narrowing(session, scope, survey, filters, k)
    top = None if access.is_admin(user) else {u.id for u in access.scope_roots(user)}
    total, groups = unit_groups(session, scope, k, top, respondents)
    invited = invited_population(session, user, survey, filters)
    pending = release.pending_count(session, survey) if survey.anonymity == Anonymity.ANONYMOUS else 0
    if total < k:
        return SurveyResults(survey, k, total, invited, [], [], narrowing=narrowing, pending=pending)
    questions = survey.current_version.questions
    results = {q.key: QuestionResult(q) for q in questions if kind_of(q).asks}
    outcome = SurveyResults(
        survey, k, total, invited, groups, list(results.values()), narrowing=narrowing, pending=pending
    )
    outcome.sections = sections_of(questions, results)
    counts = _count_answers(session, scope, results, respondents)
    _collect_texts(session, scope, results, outcome, filters, text_limit, respondents)
    for key, result in results.items():
        kind_of(result.question).summarise(result.question, counts[key], result)
        result.others = [redact(t) for t in sorted(result.others, key=_stable_order)[:text_limit]]
    return outcome


def _narrowing(
    session: Session, scope, survey: Survey, filters: Filters, k: int
) -> tuple[Narrowing | None, set[int] | None]:
    """Whether the tag filters narrow the counts, and then to which responses (their ids)."""
    chosen = filters.tag_keys()
    if not chosen and not filters.keyword:
        return None, None
    if survey.anonymity == Anonymity.ANONYMOUS:
        return Narrowing.ANONYMOUS, None
    if filters.keyword or len(chosen) > 1:
        return Narrowing.TEXTS_ONLY, None
    [key] = chosen
    matched: dict[int, set[str]] = defaultdict(set)
    for response_id, tag, correction in _free_texts(session, scope, Answer.response_id):
        matched[response_id] |= tag_keys(tagging.effective(tag, correction))
    total = session.scalar(select(func.count()).select_from(Response).where(scope)) or 0
    memberships = Counter(frozenset(keys) for keys in matched.values())
    if key not in kanon.counted_tag_filters(memberships, total, k):
        return Narrowing.TOO_SMALL, None
    return Narrowing.COUNTED, {response_id for response_id, keys in matched.items() if key in keys}


def _count_answers(
    session: Session, scope, results: dict[str, QuestionResult], respondents: set[int] | None
) -> dict[str, Counter]:
    """Each counted question's answers as key → how many, the way its kind counts them; "other,
    please say" texts are kept aside. The answers stream by; only the counts stay in memory."""
    counts: dict[str, Counter] = defaultdict(Counter)
    rows = session.execute(
        select(Question.key, Answer.value, Answer.text, Answer.response_id)
        .join(Answer, Answer.question_id == Question.id)
        .join(Response, Response.id == Answer.response_id)
        .where(scope, Question.kind.not_in(kinds_where(free_text=True)))
    ).yield_per(2000)
    for key, value, text, response_id in rows:
        result = results.get(key)
        if result is None or (respondents is not None and response_id not in respondents):
            continue
        result.answered += 1
        counts[key].update(kind_of(result.question).count_keys(result.question, value))
        if text:
            result.others.append(text)
    return counts


def _free_texts(session: Session, scope, *columns):
    """The free-text answers in ``scope``: ``columns``, then each one's tag and correction, streamed."""
    return session.execute(
        select(*columns, AnswerTag, TagCorrection)
        .select_from(Answer)
        .join(Question, Question.id == Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(AnswerTag, AnswerTag.answer_id == Answer.id)
        .outerjoin(TagCorrection, TagCorrection.answer_id == Answer.id)
        .where(scope, Question.kind.in_(kinds_where(free_text=True)))
    ).yield_per(2000)


def _collect_texts(
    session: Session,
    scope,
    results: dict[str, QuestionResult],
    outcome: SurveyResults,
    filters: Filters,
    limit: int,
    respondents: set[int] | None,
) -> None:
    keyword = nfc(filters.keyword or "").casefold()
    chosen = filters.tag_keys()
    columns = (Answer.id, Answer.response_id, Question.key, Answer.text)
    for answer_id, response_id, key, text, tag, correction in _free_texts(session, scope, *columns):
        result = results.get(key)
        if result is None or (respondents is not None and response_id not in respondents):
            continue
        result.answered += 1
        result.text_total += 1
        item = TextItem(answer_id, tag.redacted if tag else redact(text), tagging.effective(tag, correction))
        if not chosen <= tag_keys(item.tags) or (keyword and keyword not in item.text.casefold()):
            continue
        result.texts.append(item)
        if item.tags:  # the charts of tags count the answers listed
            outcome.sentiment_counts[item.sentiment] += 1
            outcome.kind_counts[item.kind] += 1
            outcome.topic_counts.update(item.topics[:1])
    for result in results.values():
        result.texts = sorted(result.texts, key=lambda item: _stable_order(item.text))[:limit]
