"""A person's rights over their personal data (Law 91/2025/QH15): to see and download what the
platform holds about them, and to ask for it to be erased. Requests (to see, to have, to erase)
are handled by the administrator before a deadline, each step audited.

What is held about a person is read in one place (``holdings``), so the page, the JSON and the
CSV download show the same thing. An erasure cuts every link between the person and their
answers (which stay, anonymous), removes what only identifies them, and leaves an account that
names nobody and cannot sign in.
"""

import enum
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session

from . import audit
from .errors import N_, DomainError
from .models import (
    Answer,
    ApiToken,
    AuditEntry,
    Consent,
    DataRequest,
    Invitation,
    OutboxEmail,
    Participation,
    PrivacyNotice,
    Question,
    RequestKind,
    RequestStatus,
    Response,
    ResponseDraft,
    Survey,
    User,
    utcnow,
)
from .text import nfc_multiline
from .timeutil import format_date, format_datetime

# The deadline to answer a request. Assumption (README): 72 hours, as Decree 13/2023/NĐ-CP set
# for providing and for erasing personal data, until the law's implementing decree says otherwise.
DEFAULT_RESPONSE_HOURS = 72
ERASED_NAME = "Người dùng đã xóa dữ liệu"
ERASED_MARK = "[đã xóa]"
OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


@dataclass
class Section:
    """One kind of thing held about the person: its fields (key, Vietnamese label) and rows."""

    key: str
    title: str
    fields: list[tuple[str, str]]
    rows: list[list[Any]]


SURVEY, DAY, WHEN = ("survey", N_("Khảo sát")), ("day", N_("Ngày")), ("at", N_("Thời điểm"))


def _account(user: User) -> Section:
    fields = [
        ("full_name", N_("Họ và tên")),
        ("email", N_("E-mail")),
        ("phone", N_("Số điện thoại")),
        ("unit", N_("Đơn vị")),
        ("position", N_("Chức vụ")),
        ("roles", N_("Vai trò")),
        ("created_at", N_("Ngày tạo")),
        ("last_login_at", N_("Lần đăng nhập gần nhất")),
    ]
    roles = ", ".join(sorted(a.role.value for a in user.roles))
    unit = user.unit.name if user.unit else None
    row = [user.full_name, user.email, user.phone, unit, user.position, roles, user.created_at, user.last_login_at]
    return Section("account", N_("Tài khoản"), fields, [row])


def _answer_text(value: Any, text: str | None) -> str:
    if value is None:
        return text or ""
    shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return f"{shown} ({text})" if text else shown


def _responses(session: Session, user: User) -> Section:
    rows = session.execute(
        select(Survey.title, Response.submitted_on, Question.text, Answer.value, Answer.text)
        .join(Response, Response.survey_id == Survey.id)
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
        .where(Response.respondent_id == user.id)
        .order_by(Response.submitted_on, Response.id, Question.position)
    ).all()
    return Section(
        "responses",
        N_("Câu trả lời gắn với bạn (khảo sát bảo mật, ghi danh)"),
        [SURVEY, ("day", N_("Ngày gửi")), ("question", N_("Câu hỏi")), ("answer", N_("Trả lời"))],
        [[title, day, question, _answer_text(value, text)] for title, day, question, value, text in rows],
    )


def _listed(session: Session, key: str, title: str, fields: list[tuple[str, str]], query: Select) -> Section:
    return Section(key, title, fields, [list(row) for row in session.execute(query)])


def holdings(session: Session, user: User) -> list[Section]:
    """Everything the platform holds about ``user``, by kind."""
    return [
        _account(user),
        _responses(session, user),
        *_survey_sections(session, user),
        *_other_sections(session, user),
    ]


def _survey_sections(session: Session, user: User) -> list[Section]:
    by_email = Invitation.email == user.email if user.email else Invitation.id.is_(None)
    return [
        _listed(
            session,
            "participations",
            N_("Khảo sát bạn đã tham gia (không gắn với câu trả lời nếu khảo sát ẩn danh)"),
            [SURVEY, DAY],
            select(Survey.title, Participation.responded_on)
            .join(Survey, Survey.id == Participation.survey_id)
            .where(Participation.user_id == user.id)
            .order_by(Participation.responded_on),
        ),
        _listed(
            session,
            "consents",
            N_("Đồng ý xử lý dữ liệu cá nhân"),
            [SURVEY, WHEN, ("notice", N_("Mã thông báo đã đồng ý (SHA-256)"))],
            select(Survey.title, Consent.given_at, PrivacyNotice.text_hash)
            .join(Survey, Survey.id == Consent.survey_id)
            .join(PrivacyNotice, PrivacyNotice.id == Consent.notice_id)
            .where(Consent.user_id == user.id)
            .order_by(Consent.given_at),
        ),
        _listed(
            session,
            "invitations",
            N_("Lời mời gửi tới e-mail của bạn"),
            [SURVEY, ("created_at", N_("Ngày mời")), ("used_at", N_("Đã trả lời lúc"))],
            select(Survey.title, Invitation.created_at, Invitation.used_at)
            .join(Survey, Survey.id == Invitation.survey_id)
            .where(by_email)
            .order_by(Invitation.created_at),
        ),
        _listed(
            session,
            "drafts",
            N_("Bản nháp câu trả lời đang lưu"),
            [SURVEY, ("updated_at", N_("Lưu lúc"))],
            select(Survey.title, ResponseDraft.updated_at)
            .join(Survey, Survey.id == ResponseDraft.survey_id)
            .where(ResponseDraft.owner_key == f"user:{user.id}"),
        ),
    ]


def _own_mail(user: User):
    return (OutboxEmail.user_id == user.id) | (OutboxEmail.to_address == (user.email or ""))


def _other_sections(session: Session, user: User) -> list[Section]:
    return [
        _listed(
            session,
            "mail",
            N_("Thư điện tử gửi cho bạn"),
            [("subject", N_("Tiêu đề thư")), ("created_at", N_("Ngày tạo")), ("sent_at", N_("Đã gửi lúc"))],
            select(OutboxEmail.subject, OutboxEmail.created_at, OutboxEmail.sent_at)
            .where(_own_mail(user))
            .order_by(OutboxEmail.created_at),
        ),
        _listed(
            session,
            "api_tokens",
            N_("Mã truy cập API"),
            [("name", N_("Tên")), ("created_at", N_("Ngày tạo")), ("last_used_on", N_("Ngày dùng gần nhất"))],
            select(ApiToken.name, ApiToken.created_at, ApiToken.last_used_on).where(ApiToken.user_id == user.id),
        ),
        _listed(
            session,
            "actions",
            N_("Thao tác của bạn trong nhật ký thay đổi"),
            [WHEN, ("action", N_("Thao tác")), ("object", N_("Đối tượng"))],
            select(AuditEntry.occurred_at, AuditEntry.action, AuditEntry.object_label)
            .where(AuditEntry.actor_id == user.id)
            .order_by(AuditEntry.id),
        ),
        _listed(
            session,
            "requests",
            N_("Yêu cầu của bạn về dữ liệu cá nhân"),
            [("kind", N_("Loại yêu cầu")), ("received_at", N_("Ngày gửi")), ("status", N_("Trạng thái"))],
            select(DataRequest.kind, DataRequest.received_at, DataRequest.status)
            .where(DataRequest.user_id == user.id)
            .order_by(DataRequest.id),
        ),
    ]


def cell_text(value: Any) -> str:
    """A value as people read it: dd/mm/yyyy dates, Vietnam times."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    return value.value if isinstance(value, enum.Enum) else str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value.value if isinstance(value, enum.Enum) else value


def as_json(sections: list[Section]) -> dict[str, list[dict[str, Any]]]:
    return {
        s.key: [{k: _json_value(v) for (k, _label), v in zip(s.fields, row, strict=True)} for row in s.rows]
        for s in sections
    }


def csv_rows(sections: list[Section], shown: Callable[[str, Any], str]) -> Iterator[list[Any]]:
    """One line per value: the section, the row's number, the field and the value as ``shown``."""
    yield ["Mục", "STT", "Trường", "Giá trị"]
    for section in sections:
        for number, row in enumerate(section.rows, start=1):
            for (key, field), value in zip(section.fields, row, strict=True):
                yield [section.title, number, field, shown(key, value)]


# ---- requests -----------------------------------------------------------------------------------


def file_request(
    session: Session,
    user: User,
    kind: RequestKind,
    details: str = "",
    *,
    hours: int = DEFAULT_RESPONSE_HOURS,
    now: datetime | None = None,
) -> DataRequest:
    """A request from ``user``, due ``hours`` after it was received."""
    open_same = session.scalar(
        select(DataRequest.id).where(
            DataRequest.user_id == user.id, DataRequest.kind == kind, DataRequest.status.in_(OPEN_STATUSES)
        )
    )
    if open_same is not None:
        raise DomainError(N_("Bạn đã có một yêu cầu loại này đang được xử lý."))
    now = now or utcnow()
    request = DataRequest(
        user_id=user.id,
        requester_name=user.full_name,
        kind=kind,
        details=nfc_multiline(details or ""),
        received_at=now,
        due_at=now + timedelta(hours=hours),
    )
    session.add(request)
    session.flush()
    audit.record(session, user, "privacy.request_file", request, kind=kind.value)
    return request


def is_overdue(request: DataRequest, now: datetime | None = None) -> bool:
    return request.status in OPEN_STATUSES and (now or utcnow()) > request.due_at


def _require_open(request: DataRequest) -> None:
    if request.status not in OPEN_STATUSES:
        raise DomainError(N_("Yêu cầu này đã được xử lý xong."))


def acknowledge(session: Session, request: DataRequest, actor: User, now: datetime | None = None) -> None:
    """The administrator has taken the request up."""
    if request.status != RequestStatus.RECEIVED:
        raise DomainError(N_("Yêu cầu này đã được tiếp nhận."))
    request.status, request.acknowledged_at, request.handled_by_id = (
        RequestStatus.IN_PROGRESS,
        now or utcnow(),
        actor.id,
    )
    audit.record(session, actor, "privacy.request_acknowledge", request, kind=request.kind.value)


def complete(
    session: Session, request: DataRequest, actor: User, outcome: str = "", now: datetime | None = None
) -> None:
    """Done: for an erasure, the person's data is erased now."""
    _require_open(request)
    now = now or utcnow()
    if request.kind == RequestKind.ERASURE and request.user_id is not None:
        erase_person(session, session.get(User, request.user_id), actor=actor)
    request.status, request.completed_at, request.handled_by_id = RequestStatus.DONE, now, actor.id
    request.acknowledged_at = request.acknowledged_at or now
    request.outcome = nfc_multiline(outcome or "")
    audit.record(session, actor, "privacy.request_complete", request, kind=request.kind.value)


def refuse(session: Session, request: DataRequest, actor: User, outcome: str, now: datetime | None = None) -> None:
    """Refused, with the reason the person is told (e.g. a legal duty to keep the data)."""
    _require_open(request)
    if not (outcome or "").strip():
        raise DomainError(N_("Hãy ghi lý do từ chối để trả lời người yêu cầu."), field="outcome")
    now = now or utcnow()
    request.status, request.completed_at, request.handled_by_id = RequestStatus.REFUSED, now, actor.id
    request.acknowledged_at = request.acknowledged_at or now
    request.outcome = nfc_multiline(outcome)
    audit.record(session, actor, "privacy.request_refuse", request, kind=request.kind.value)


# ---- erasure ------------------------------------------------------------------------------------


def _scrubbed(value: Any, erased: set[str]) -> Any:
    if isinstance(value, str):
        return ERASED_MARK if value in erased else value
    if isinstance(value, list):
        return [_scrubbed(v, erased) for v in value]
    if isinstance(value, dict):
        return {k: _scrubbed(v, erased) for k, v in value.items()}
    return value


def _scrub_audit(session: Session, user: User, erased: set[str]) -> int:
    """Entries about the person keep what was done, not their name, e-mail or phone."""
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "User", AuditEntry.object_id == user.id)
    )
    count = 0
    for entry in entries:
        entry.object_label, entry.details, count = ERASED_NAME, _scrubbed(entry.details, erased), count + 1
    return count


def erase_person(session: Session, user: User, *, actor: User | None) -> dict[str, int]:
    """Erase what the platform holds about ``user``: their answers stay, anonymous; their account
    stays as a row that names nobody and cannot sign in (the audit log's entries point at it)."""
    erased = {v for v in (user.full_name, user.email, user.phone) if v}
    unlinked = {"synchronize_session": False}
    counts = {
        "responses": session.execute(
            update(Response).where(Response.respondent_id == user.id).values(respondent_id=None, submitted_at=None),
            execution_options=unlinked,
        ).rowcount,
        "participations": session.execute(
            delete(Participation).where(Participation.user_id == user.id), execution_options=unlinked
        ).rowcount,
        "consents": session.execute(
            update(Consent).where(Consent.user_id == user.id).values(user_id=None), execution_options=unlinked
        ).rowcount,
        "invitations": session.execute(
            update(Invitation).where(Invitation.email == user.email).values(full_name=None, email=None),
            execution_options=unlinked,
        ).rowcount
        if user.email
        else 0,
        "drafts": session.execute(
            delete(ResponseDraft).where(ResponseDraft.owner_key == f"user:{user.id}"), execution_options=unlinked
        ).rowcount,
        "mail": session.execute(delete(OutboxEmail).where(_own_mail(user)), execution_options=unlinked).rowcount,
        "api_tokens": session.execute(
            delete(ApiToken).where(ApiToken.user_id == user.id), execution_options=unlinked
        ).rowcount,
        "audit_entries": _scrub_audit(session, user, erased),
    }
    user.roles.clear()
    user.full_name, user.email, user.phone, user.position = ERASED_NAME, None, None, None
    user.password_hash, user.is_active, user.locale, user.last_login_at = None, False, None, None
    user.session_nonce = secrets.token_hex(16)  # every session and remember-me cookie ends
    audit.record(session, actor, "privacy.erase_person", user, **counts)
    return counts
