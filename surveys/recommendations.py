"""The recommendation workflow: received → classified (or forwarded to the competent unit)
→ assigned with a deadline → in progress → answered (resolved, or declined with reasons).

Complaints and denunciations (khiếu nại, tố cáo) follow their own law: they are recorded
and marked for transfer to the competent channel, never handled here. Every step is an
event (who, when, from which status to which) and an audit-log entry.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from . import audit
from .errors import N_, DomainError
from .models import (
    CLOSED_STATUSES,
    Answer,
    Recommendation,
    RecommendationEvent,
    RecommendationKind,
    RecommendationStatus,
    Response,
    Role,
    RoleAssignment,
    SourceKind,
    Survey,
    Unit,
    User,
    recommendation_answers,
)
from .org import subtree_clause
from .text import nfc, nfc_multiline
from .workdays import working_days_after

S = RecommendationStatus
NO_DEADLINE = CLOSED_STATUSES | {S.TO_TRANSFER}  # answered, or handled by another channel
# Which actions each status allows.
TRANSITIONS: dict[str, tuple[frozenset[S], S]] = {
    "classify": (frozenset({S.RECEIVED}), S.CLASSIFIED),
    "forward": (frozenset({S.RECEIVED, S.CLASSIFIED}), S.FORWARDED),
    "assign": (frozenset({S.CLASSIFIED, S.FORWARDED, S.ASSIGNED}), S.ASSIGNED),
    "start": (frozenset({S.ASSIGNED}), S.IN_PROGRESS),
    "resolve": (frozenset({S.ASSIGNED, S.IN_PROGRESS}), S.RESOLVED),
    "decline": (frozenset({S.ASSIGNED, S.IN_PROGRESS}), S.DECLINED),
    "transfer": (frozenset({S.TO_TRANSFER}), S.TRANSFERRED),
}


def _event(
    session: Session,
    recommendation: Recommendation,
    actor: User | None,
    action: str,
    from_status: S | None,
    note: str = "",
) -> None:
    recommendation.events.append(
        RecommendationEvent(
            actor_id=actor.id if actor else None,
            action=action,
            from_status=from_status.value if from_status else None,
            to_status=recommendation.status.value,
            note=note,
        )
    )
    audit.record(
        session,
        actor,
        f"recommendation.{action}",
        recommendation,
        {"status": [from_status.value if from_status else None, recommendation.status.value]},
        note=note[:200],
        public=recommendation.is_public,
    )


def create(
    session: Session,
    *,
    title: str,
    content: str,
    kind: RecommendationKind,
    source_kind: SourceKind,
    owner_unit: Unit,
    actor: User | None,
    today: date,
    source_detail: str = "",
    topic: str | None = None,
    survey: Survey | None = None,
    answers: Iterable[Answer] = (),
    summary_id: int | None = None,
    is_public: bool = True,
    forward_working_days: int = 5,
    reply_days: int = 15,
) -> Recommendation:
    """Receive a recommendation; ``is_public``: its answer will be shown on the survey's "you said — we did" page."""
    title, content = nfc(title), nfc_multiline(content)
    if not title or not content:
        raise DomainError(N_("Kiến nghị cần có tiêu đề và nội dung."))
    answers = list(answers)
    if source_kind == SourceKind.ANSWERS and not answers:
        raise DomainError(N_("Hãy chọn ít nhất một ý kiến làm căn cứ."))
    if survey is not None and any(a.response.survey_id != survey.id for a in answers):
        raise DomainError(N_("Các ý kiến phải thuộc cùng một khảo sát."))
    handled_elsewhere = kind != RecommendationKind.OPINION
    recommendation = Recommendation(
        title=title,
        content=content,
        kind=kind,
        source_kind=source_kind,
        source_detail=nfc(source_detail),
        topic=topic or None,
        survey=survey,
        summary_id=summary_id,
        owner_unit=owner_unit,
        created_by=actor,
        status=S.TO_TRANSFER if handled_elsewhere else S.RECEIVED,
        received_on=today,
        answers=answers,
        is_public=is_public,
        forward_due=None if handled_elsewhere else working_days_after(session, today, forward_working_days),
        reply_due=None if handled_elsewhere else today + timedelta(days=reply_days),
    )
    session.add(recommendation)
    session.flush()
    _event(session, recommendation, actor, "receive", None, source_detail)
    return recommendation


def act(
    session: Session,
    recommendation: Recommendation,
    action: str,
    actor: User,
    *,
    note: str = "",
    unit: Unit | None = None,
    forwarded_to: str = "",
    due: date | None = None,
    public: bool | None = None,
    today: date,
) -> None:
    """Apply one workflow step, checking that the current status allows it."""
    if action not in TRANSITIONS:
        raise DomainError(N_("Thao tác không hợp lệ."))
    allowed_from, target = TRANSITIONS[action]
    if recommendation.status not in allowed_from:
        raise DomainError(N_("Không thể thực hiện thao tác này ở trạng thái hiện tại."))
    note = nfc_multiline(note)
    if action == "forward":
        if unit is None and not nfc(forwarded_to):
            raise DomainError(N_("Hãy chọn đơn vị có thẩm quyền hoặc ghi tên cơ quan nhận."))
        recommendation.handling_unit, recommendation.forwarded_to = unit, nfc(forwarded_to) or None
    elif action == "assign":
        if unit is None:
            raise DomainError(N_("Hãy chọn đơn vị giải quyết."))
        recommendation.handling_unit = unit
        if due is not None:
            if due < today:
                raise DomainError(N_("Hạn trả lời không thể ở quá khứ."))
            recommendation.reply_due = due
    elif action in ("resolve", "decline"):
        if not note:
            raise DomainError(N_("Hãy ghi nội dung trả lời (lý do, nếu không chấp nhận)."))
        recommendation.answer, recommendation.answered_on = note, today
        if public is not None:
            recommendation.is_public = public
    elif action == "transfer":
        if not nfc(forwarded_to):
            raise DomainError(N_("Hãy ghi cơ quan có thẩm quyền tiếp nhận."))
        recommendation.forwarded_to = nfc(forwarded_to)
    previous = recommendation.status
    recommendation.status = target
    _event(session, recommendation, actor, action, previous, note or forwarded_to or (unit.name if unit else ""))


# ---- scope and lists ------------------------------------------------------------------------------


def overdue_clause(today: date):
    """Past the reply deadline, or past the forwarding deadline while still unclassified."""
    return and_(
        Recommendation.status.not_in(NO_DEADLINE),
        or_(
            Recommendation.reply_due < today,
            and_(Recommendation.status == S.RECEIVED, Recommendation.forward_due < today),
        ),
    )


def due_soon_clause(today: date, days: int = 3):
    return and_(
        Recommendation.status.not_in(NO_DEADLINE),
        Recommendation.reply_due >= today,
        Recommendation.reply_due <= today + timedelta(days=days),
    )


def is_overdue(recommendation: Recommendation, today: date) -> bool:
    if recommendation.status in NO_DEADLINE:
        return False
    return bool(
        (recommendation.reply_due and recommendation.reply_due < today)
        or (recommendation.status == S.RECEIVED and recommendation.forward_due and recommendation.forward_due < today)
    )


def followup_counts(session: Session, roots: list[Unit], week_start: date, today: date) -> dict:
    """What the weekly summary reports about recommendations in a scope."""
    units = select(Unit.id).where(subtree_clause(roots))
    in_scope = or_(Recommendation.owner_unit_id.in_(units), Recommendation.handling_unit_id.in_(units))

    def count(*where) -> int:
        return session.scalar(select(func.count()).select_from(Recommendation).where(in_scope, *where))

    overdue_titles = session.scalars(
        select(Recommendation.title).where(in_scope, overdue_clause(today)).order_by(Recommendation.reply_due).limit(10)
    ).all()
    return {
        "open": count(Recommendation.status.not_in(CLOSED_STATUSES)),
        "overdue": count(overdue_clause(today)),
        "answered_this_week": count(
            Recommendation.answered_on >= week_start, Recommendation.answered_on < week_start + timedelta(days=7)
        ),
        "overdue_titles": list(overdue_titles),
    }


def for_receipt(session: Session, response: Response) -> list[Recommendation]:
    """The recommendations a respondent's answers fed into."""
    return list(
        session.scalars(
            select(Recommendation)
            .join(recommendation_answers, recommendation_answers.c.recommendation_id == Recommendation.id)
            .join(Answer, Answer.id == recommendation_answers.c.answer_id)
            .where(Answer.response_id == response.id)
            .distinct()
            .order_by(Recommendation.id)
        )
    )


def for_respondent(session: Session, user: User) -> list[tuple[Response, list[Recommendation]]]:
    """A person's own responses (surveys that keep who answered), newest first, each with the
    recommendations it fed into."""
    responses = session.scalars(
        select(Response)
        .where(Response.respondent_id == user.id)
        .options(joinedload(Response.survey))
        .order_by(Response.submitted_on.desc(), Response.id.desc())
    )
    return [(response, for_receipt(session, response)) for response in responses]


def public_for_survey(session: Session, survey: Survey) -> list[Recommendation]:
    return list(
        session.scalars(
            select(Recommendation)
            .where(
                Recommendation.survey_id == survey.id,
                Recommendation.is_public,
                Recommendation.kind == RecommendationKind.OPINION,
            )
            .order_by(Recommendation.topic, Recommendation.id)
        )
    )


def heads_to_remind(session: Session, today: date, due_soon_days: int = 3) -> list[tuple[Recommendation, User, str]]:
    """(recommendation, unit head, "overdue" | "due_soon") for every open item needing a nudge:
    the heads of the handling unit, or of the receiving unit while nobody handles it."""
    items = session.scalars(
        select(Recommendation)
        .where(or_(overdue_clause(today), due_soon_clause(today, due_soon_days)))
        .order_by(Recommendation.id)
    ).all()
    unit_ids = {item.handling_unit_id or item.owner_unit_id for item in items}
    heads_by_unit: dict[int, list[User]] = {}
    for unit_id, head in session.execute(
        select(RoleAssignment.unit_id, User)
        .join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(
            RoleAssignment.role == Role.UNIT_HEAD,
            RoleAssignment.unit_id.in_(unit_ids),
            User.is_active,
            User.email.is_not(None),
        )
        .order_by(User.id)
    ):
        heads_by_unit.setdefault(unit_id, []).append(head)
    return [
        (item, head, "overdue" if is_overdue(item, today) else "due_soon")
        for item in items
        for head in heads_by_unit.get(item.handling_unit_id or item.owner_unit_id, [])
    ]
