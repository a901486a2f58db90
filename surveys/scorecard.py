"""The responsiveness scorecard: how each unit a committee oversees listens and answers, per
quarter or year, in one documented formula with weights the administrator sets.

Rows are the units one level under what the committee oversees (each with everything below it;
a unit with nothing under it is its own row); the Front and the organisations, who supervise
rather than answer, are not rows. Each component is a score from 0 to 100:

- ``participation``: staff surveys' participation: people who took part / staff they addressed
  (staff surveys open during the period); shown only when at least k were addressed.
- ``on_time``: recommendations received in the period and answered by their deadline / those answered.
- ``speed``: 100 × (1 − median days to answer / 30), at least 0.
- ``overdue``: 100 × (1 − overdue now / recommendations received in the period), at least 0.
- ``satisfaction``: citizens' rating of the answers on their follow page, (mean − 1) / 4 × 100;
  only from at least k ratings.
- ``sipas``: the SIPAS index of citizens' surveys: share of "hài lòng" or "rất hài lòng" (4–5)
  over the five SIPAS criteria; only from at least k responses.

score = Σ weight × component / Σ weight, over the components the unit has data for. A unit
with none is listed unranked.
"""

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from . import audit, responsiveness, tokens
from .errors import N_, DomainError
from .models import (
    ORGANISATION_KINDS,
    Answer,
    Audience,
    Committee,
    Participation,
    Question,
    Recommendation,
    Response,
    SatisfactionRating,
    ScorecardWeight,
    Survey,
    SurveyState,
    Unit,
    User,
)
from .org import subtree_clause
from .recommendations import overdue_clause
from .timeutil import VN_TZ

COMPONENTS = ("participation", "on_time", "speed", "overdue", "satisfaction", "sipas")
COMPONENT_LABELS = {
    "participation": N_("Tham gia khảo sát cán bộ"),
    "on_time": N_("Trả lời kiến nghị đúng hạn"),
    "speed": N_("Thời gian trả lời (trung vị)"),
    "overdue": N_("Kiến nghị quá hạn hiện nay"),
    "satisfaction": N_("Người dân hài lòng với kết quả giải quyết"),
    "sipas": N_("Chỉ số SIPAS"),
}
DEFAULT_WEIGHTS = {"participation": 15, "on_time": 25, "speed": 10, "overdue": 15, "satisfaction": 15, "sipas": 20}
SPEED_DAYS = 30  # a median answer this slow scores 0
SIPAS_QUESTION_KEY = "sipas"
SATISFIED = 4  # "hài lòng" and above on the 1–5 scale
_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")


# ---- periods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    label: str  # "2026-Q4" or "2026"
    first: date
    end: date  # the day after the last

    @staticmethod
    def starts(day: date) -> datetime:
        """The moment ``day`` begins in Vietnam."""
        return datetime.combine(day, time(), VN_TZ)

    def quarters(self) -> list["Period"]:
        """This period's quarter and the three before it (for a year: its four quarters)."""
        year, quarter = self.first.year, (self.first.month - 1) // 3 + 1
        if len(self.label) == 4:
            return [quarter_period(year, q) for q in range(1, 5)]
        wanted = [(year + (quarter - n - 1) // 4, (quarter - n - 1) % 4 + 1) for n in range(3, -1, -1)]
        return [quarter_period(y, q) for y, q in wanted]


def quarter_period(year: int, quarter: int) -> Period:
    first = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return Period(f"{year}-Q{quarter}", first, end)


def parse_period(text: str | None, today: date) -> Period:
    """ "2026-Q4", "2026", or the quarter of ``today`` when empty."""
    match = _PERIOD.match((text or "").strip())
    if not text:
        return quarter_period(today.year, (today.month - 1) // 3 + 1)
    if match is None or not 2000 <= int(match.group(1)) <= 2100:
        raise DomainError(N_("Kỳ đánh giá phải có dạng 2026-Q4 (quý) hoặc 2026 (năm)."))
    year = int(match.group(1))
    if match.group(2):
        return quarter_period(year, int(match.group(2)))
    return Period(str(year), date(year, 1, 1), date(year + 1, 1, 1))


# ---- weights ------------------------------------------------------------------------------------


def weights(session: Session) -> dict[str, int]:
    stored = dict(session.execute(select(ScorecardWeight.component, ScorecardWeight.weight)).all())
    return {c: int(stored.get(c, DEFAULT_WEIGHTS[c])) for c in COMPONENTS}


def set_weights(session: Session, values: dict[str, int], actor: User | None) -> None:
    if any(c not in values or not 0 <= values[c] <= 100 for c in COMPONENTS):
        raise DomainError(N_("Mỗi trọng số là một số nguyên từ 0 đến 100."))
    if sum(values.values()) == 0:
        raise DomainError(N_("Cần ít nhất một trọng số lớn hơn 0."))
    before = weights(session)
    for component in COMPONENTS:
        row = session.get(ScorecardWeight, component)
        if row is None:
            session.add(ScorecardWeight(component=component, weight=values[component]))
        else:
            row.weight = values[component]
    changes = {c: [before[c], values[c]] for c in COMPONENTS if before[c] != values[c]}
    audit.record(session, actor, "scorecard.weights", None, changes)


# ---- citizens' ratings --------------------------------------------------------------------------


def rate(session: Session, recommendation: Recommendation, receipt: str, score: int, today: date) -> None:
    """A respondent's rating of the answer to a recommendation their answer fed into; again replaces it."""
    if not recommendation.is_closed or not recommendation.answered_on:
        raise DomainError(N_("Kiến nghị này chưa có kết quả giải quyết để đánh giá."))
    if score not in range(1, 6):
        raise DomainError(N_("Hãy chọn một mức từ 1 đến 5."))
    key = tokens.keyed_hash("satisfaction", receipt, str(recommendation.id))
    existing = session.scalar(
        select(SatisfactionRating).where(
            SatisfactionRating.recommendation_id == recommendation.id, SatisfactionRating.rater_key == key
        )
    )
    if existing is None:
        session.add(SatisfactionRating(recommendation_id=recommendation.id, rater_key=key, score=score, rated_on=today))
    else:
        existing.score, existing.rated_on = score, today
    session.flush()


# ---- the figures --------------------------------------------------------------------------------


@dataclass
class UnitFigures:
    """Raw figures of one row, before they become scores."""

    addressed: int = 0
    took_part: int = 0
    replies: list[tuple[date, date | None, date | None]] = field(default_factory=list)
    overdue_now: int = 0
    rating_sum: int = 0
    ratings: int = 0
    sipas_responses: int = 0
    sipas_cells: int = 0
    sipas_satisfied: int = 0


@dataclass
class Row:
    unit: Unit
    figures: UnitFigures
    components: dict[str, float | None]
    replies: responsiveness.ReplyFigures
    score: float | None
    rank: int | None = None


def row_units(committee: Committee) -> list[Unit]:
    """One level under what the committee oversees; a unit with nothing under it is its own row."""
    rows: list[Unit] = []
    for root in committee.overseen_units:
        children = [c for c in root.children if c.is_active and c.kind not in ORGANISATION_KINDS]
        rows.extend(children or [root])
    return rows


class _Rows:
    """Which row each unit's figures go to (the row whose subtree holds it)."""

    def __init__(self, session: Session, rows: list[Unit]) -> None:
        self.rows = rows
        self.by_path = sorted(((u.path, u.id) for u in rows), key=lambda item: -len(item[0]))
        self.units = {u.id: u.path for u in session.scalars(select(Unit).where(subtree_clause(rows)))}

    def of(self, unit_id: int | None) -> int | None:
        path = self.units.get(unit_id) if unit_id is not None else None
        if path is None:
            return None
        return next((row_id for prefix, row_id in self.by_path if path.startswith(prefix)), None)

    @property
    def unit_ids(self) -> list[int]:
        return list(self.units)


def _participation(session: Session, rows: _Rows, period: Period, figures: dict[int, UnitFigures]) -> None:
    surveys = session.scalars(
        select(Survey).where(
            Survey.audience == Audience.STAFF,
            Survey.state.in_([SurveyState.OPEN, SurveyState.CLOSED]),
            or_(Survey.opens_at.is_(None), Survey.opens_at < period.starts(period.end)),
            or_(Survey.closes_at.is_(None), Survey.closes_at >= period.starts(period.first)),
            Survey.created_at < period.starts(period.end),
        )
    ).all()
    staff = dict(
        session.execute(
            select(User.unit_id, func.count())
            .where(User.is_active, User.unit_id.in_(rows.unit_ids))
            .group_by(User.unit_id)
        ).all()
    )
    for survey in surveys:
        covered = [u for u in rows.units if any(rows.units[u].startswith(s.path) for s in survey.units)]
        for unit_id in covered:
            row = rows.of(unit_id)
            if row is not None:
                figures[row].addressed += staff.get(unit_id, 0)
    took_part = session.execute(
        select(User.unit_id, func.count())
        .join(Participation, Participation.user_id == User.id)
        .where(Participation.survey_id.in_([s.id for s in surveys]), User.unit_id.in_(rows.unit_ids))
        .group_by(User.unit_id)
    ).all()
    for unit_id, count in took_part:
        if (row := rows.of(unit_id)) is not None:
            figures[row].took_part += count


def _replies(session: Session, rows: _Rows, period: Period, today: date, figures: dict[int, UnitFigures]) -> None:
    unit = func.coalesce(Recommendation.handling_unit_id, Recommendation.owner_unit_id)
    received = session.execute(
        select(unit, Recommendation.received_on, Recommendation.answered_on, Recommendation.reply_due).where(
            unit.in_(rows.unit_ids), Recommendation.received_on >= period.first, Recommendation.received_on < period.end
        )
    ).all()
    for unit_id, received_on, answered_on, reply_due in received:
        if (row := rows.of(unit_id)) is not None:
            figures[row].replies.append((received_on, answered_on, reply_due))
    overdue = session.execute(
        select(unit, func.count()).where(unit.in_(rows.unit_ids), overdue_clause(today)).group_by(unit)
    ).all()
    for unit_id, count in overdue:
        if (row := rows.of(unit_id)) is not None:
            figures[row].overdue_now += count
    ratings = session.execute(
        select(unit, func.sum(SatisfactionRating.score), func.count())
        .join(Recommendation, Recommendation.id == SatisfactionRating.recommendation_id)
        .where(unit.in_(rows.unit_ids), SatisfactionRating.rated_on >= period.first)
        .where(SatisfactionRating.rated_on < period.end)
        .group_by(unit)
    ).all()
    for unit_id, total, count in ratings:
        if (row := rows.of(unit_id)) is not None:
            figures[row].rating_sum += int(total or 0)
            figures[row].ratings += count


def _sipas(session: Session, rows: _Rows, period: Period, figures: dict[int, UnitFigures]) -> None:
    """The SIPAS matrix answers of citizens' surveys in the period: one small JSON value each, streamed."""
    answers = session.execute(
        select(Response.unit_id, Answer.value)
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(Survey.audience == Audience.CITIZENS, Question.key == SIPAS_QUESTION_KEY)
        .where(Response.unit_id.in_(rows.unit_ids))
        .where(Response.submitted_on >= period.first, Response.submitted_on < period.end)
        .execution_options(yield_per=2000)
    )
    for unit_id, value in answers:
        row = rows.of(unit_id)
        if row is None or not isinstance(value, dict):
            continue
        scores = [v for v in value.values() if isinstance(v, int | float)]
        figures[row].sipas_responses += 1
        figures[row].sipas_cells += len(scores)
        figures[row].sipas_satisfied += sum(v >= SATISFIED for v in scores)


def components(figures: UnitFigures, replies: responsiveness.ReplyFigures, k: int) -> dict[str, float | None]:
    """Each component from 0 to 100, or None when there is nothing (or fewer than k) to judge by."""

    def share(part: float, whole: float) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    speed = None if replies.median_days is None else round(100 * max(0.0, 1 - replies.median_days / SPEED_DAYS), 1)
    overdue = None if not replies.received else round(100 * max(0.0, 1 - replies.overdue_now / replies.received), 1)
    satisfied = round((figures.rating_sum / figures.ratings - 1) / 4 * 100, 1) if figures.ratings >= k else None
    return {
        "participation": share(figures.took_part, figures.addressed) if figures.addressed >= k else None,
        "on_time": share(replies.answered_on_time, replies.answered),
        "speed": speed,
        "overdue": overdue,
        "satisfaction": satisfied,
        "sipas": share(figures.sipas_satisfied, figures.sipas_cells) if figures.sipas_responses >= k else None,
    }


def score(parts: dict[str, float | None], weight: dict[str, int]) -> float | None:
    used = [(weight[c], value) for c, value in parts.items() if value is not None and weight[c] > 0]
    total = sum(w for w, _ in used)
    return round(sum(w * v for w, v in used) / total, 1) if total else None


def scorecard(session: Session, committee: Committee, period: Period, *, today: date, k: int) -> list[Row]:
    """The committee's ranked rows for ``period``: best score first, unranked rows last."""
    units = row_units(committee)
    rows = _Rows(session, units)
    figures: dict[int, UnitFigures] = defaultdict(UnitFigures)
    _participation(session, rows, period, figures)
    _replies(session, rows, period, today, figures)
    _sipas(session, rows, period, figures)
    weight = weights(session)
    result = []
    for unit in units:
        raw = figures[unit.id]
        replies = responsiveness.figures(raw.replies, raw.overdue_now)
        parts = components(raw, replies, k)
        result.append(Row(unit, raw, parts, replies, score(parts, weight)))
    result.sort(key=lambda r: (r.score is None, -(r.score or 0), r.unit.name))
    for rank, row in enumerate((r for r in result if r.score is not None), start=1):
        row.rank = rank
    return result


def trend(session: Session, committee: Committee, period: Period, *, today: date, k: int) -> dict[int, list[Any]]:
    """Each row unit's score in the period's four quarters."""
    by_unit: dict[int, list[Any]] = defaultdict(list)
    for quarter in period.quarters():
        for row in scorecard(session, committee, quarter, today=today, k=k):
            by_unit[row.unit.id].append(row.score)
    return by_unit


# ---- XLSX ---------------------------------------------------------------------------------------


def xlsx(
    committee: Committee, period: Period, rows: list[Row], weight: dict[str, int], labels: dict[str, str]
) -> bytes:
    """The ranked table for year-end evaluation: every text a string cell, never a formula."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet("Bảng đánh giá")
    bold = workbook.add_format({"bold": True})
    sheet.write_string(0, 0, f"{labels['title']} — {committee.name} — {period.label}", bold)
    sheet.write_string(1, 0, labels["formula"] + " " + ", ".join(f"{labels[c]}: {weight[c]}" for c in COMPONENTS))
    header = [labels["rank"], labels["unit"], labels["score"], *(labels[c] for c in COMPONENTS)]
    for column, text in enumerate(header):
        sheet.write_string(3, column, text, bold)
    for number, row in enumerate(rows, start=4):
        cells = [row.rank, row.unit.name, row.score, *(row.components[c] for c in COMPONENTS)]
        for column, value in enumerate(cells):
            if isinstance(value, str):
                sheet.write_string(number, column, value)
            elif value is not None and value is not False:
                sheet.write_number(number, column, value)
    sheet.set_column(1, 1, 45)
    workbook.close()
    return buffer.getvalue()
