"""Releasing anonymous answers in batches: the disclosure-control rule every view rests on.

An anonymous survey's answers wait in ``pending_responses`` and are released into
``responses`` a *batch* at a time: at least k respondents of one survey attributed to one unit
(a *cell*), released in one transaction, inserted in random order (so their ids say nothing of
arrival), stamped with the day of release and the batch's id, and deleted from the queue.

Every filter a reader can apply selects whole batches: a batch has one unit, so a subtree holds
it whole or not at all; dates compare against the day of release; the channel is not kept.
So any two views a reader can obtain, at any two moments, differ by whole batches: by nothing
or by at least k respondents.

A cell that stays below k for ``wait_days`` (or whose survey has closed) is coarsened: its
answers join the cell of the parent unit, and so on up the unit tree. What is still below k at
the top of the tree keeps waiting, shown only as a count; nothing is ever dropped.
"""

import heapq
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .models import Answer, PendingResponse, Response, ResponseBatch, Survey, SurveyState, Unit, utcnow
from .timeutil import local_today

WAIT_DAYS = 1
_shuffle = random.SystemRandom().shuffle


class AlreadyReleased(Exception):
    """Another process released some of these answers first: this transaction must roll back."""


@dataclass
class Cell:
    unit_id: int | None
    rows: list[PendingResponse] = field(default_factory=list)
    waited: bool = False


def release_batches(
    session: Session, *, k: int, now: datetime | None = None, wait_days: int = WAIT_DAYS, force: bool = False
) -> int:
    """Release every batch that may be released, one survey per transaction (committed here);
    returns how many responses were released. ``force`` treats every cell as having waited
    (batches are still at least ``k``). Safe to run in several processes at once: rows are
    locked (PostgreSQL skips rows another process holds) and a row released twice rolls back."""
    today = local_today(now or utcnow())
    released = 0
    for survey_id in session.scalars(select(PendingResponse.survey_id).distinct()).all():
        survey = session.get(Survey, survey_id)
        try:
            released += release_survey(session, survey, k=k, today=today, wait_days=wait_days, force=force)
            session.commit()
        except AlreadyReleased:
            session.rollback()
    return released


def release_survey(session: Session, survey: Survey, *, k: int, today: date, wait_days: int, force: bool) -> int:
    """Release ``survey``'s batches in the current transaction (the caller commits)."""
    rows = session.scalars(
        select(PendingResponse)
        .where(PendingResponse.survey_id == survey.id)
        .order_by(PendingResponse.id)
        .with_for_update(skip_locked=True)
    ).all()
    cutoff = today - timedelta(days=wait_days)
    closed = survey.state != SurveyState.OPEN
    cells: dict[int | None, Cell] = {}
    for row in rows:
        cell = cells.setdefault(row.unit_id, Cell(row.unit_id))
        cell.rows.append(row)
        cell.waited = cell.waited or force or closed or row.queued_on <= cutoff
    released = 0
    for unit_id, members in plan(session, cells, k):
        release_cell(session, survey, unit_id, members, today)
        released += len(members)
    return released


def plan(session: Session, cells: dict[int | None, Cell], k: int):
    """(unit id, rows) of each batch to release: deepest cells first, a cell of k or more as it is,
    a smaller one that has waited folded into its parent unit's cell. A batch climbs the unit tree,
    never leaves it, so it stays inside the scope of whoever reads the unit it is attributed to.
    What stays small and has not waited, or has reached the top of the tree, waits."""
    units = _units_with_ancestors(session, [uid for uid in cells if uid is not None])

    def depth(uid: int | None) -> int:
        return -1 if uid is None else units[uid].depth

    queue = [(-depth(uid), uid is None, uid or 0) for uid in cells]
    heapq.heapify(queue)
    while queue:
        _, is_none, key = heapq.heappop(queue)
        cell = cells.pop(None if is_none else key)
        if len(cell.rows) >= k:
            yield cell.unit_id, cell.rows
            continue
        parent = units[cell.unit_id].parent_id if cell.unit_id is not None else None
        if cell.waited and parent is not None:
            if parent not in cells:
                cells[parent] = Cell(parent)
                heapq.heappush(queue, (-depth(parent), False, parent))
            cells[parent].rows += cell.rows
            cells[parent].waited = True


def _units_with_ancestors(session: Session, unit_ids: list[int]) -> dict[int, Unit]:
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))}
    above = {a for u in units.values() for a in u.ancestor_ids()} - set(units)
    units.update({u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(above)))})
    return units


def release_cell(
    session: Session, survey: Survey, unit_id: int | None, rows: list[PendingResponse], today: date
) -> ResponseBatch:
    """Release ``rows`` as one batch attributed to ``unit_id``: the pending rows are deleted and the
    responses inserted one by one in shuffled order, so fresh ids follow the shuffle, not arrival.
    The caller has checked the batch is large enough (``plan``)."""
    copies = [(row.version_id, row.idempotency_key, row.receipt_hash, list(row.answers)) for row in rows]
    deleted = session.execute(
        delete(PendingResponse).where(PendingResponse.id.in_([row.id for row in rows])),
        execution_options={"synchronize_session": False},
    ).rowcount
    if deleted != len(rows):
        raise AlreadyReleased
    for row in rows:
        session.expunge(row)
    batch = ResponseBatch(survey_id=survey.id, unit_id=unit_id, released_on=today, size=len(rows))
    session.add(batch)
    session.flush()
    _shuffle(copies)
    for version_id, key, receipt_hash, answers in copies:
        response = Response(
            survey_id=survey.id,
            version_id=version_id,
            unit_id=unit_id,
            channel=None,
            submitted_on=today,
            idempotency_key=key,
            receipt_hash=receipt_hash,
            batch_id=batch.id,
        )
        response.answers = [Answer(question_id=a["question_id"], value=a["value"], text=a["text"]) for a in answers]
        session.add(response)
        session.flush()
    return batch


def pending_count(session: Session, survey: Survey) -> int:
    """How many answers of ``survey`` wait for release: a count, never broken down by unit."""
    return session.scalar(select(func.count()).where(PendingResponse.survey_id == survey.id)) or 0
