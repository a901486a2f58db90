"""Personal data protection (Law on Personal Data Protection No. 91/2025/QH15, in force since
1 January 2026). Opinions on political matters are sensitive personal data, so a survey that
keeps who answered (confidential, identified, or reached through personal invitations) tells
the respondent what it collects, why, who reads it and for how long, and takes nothing without
their explicit consent to that notice; a consent is recorded against the notice's exact text.

When a survey's retention period ends, the links between its answers and people are erased
by a scheduled job; the answers stay, anonymous.

The notice is a document and stays in Vietnamese whatever the reader's language: its SHA-256
is the version a consent refers to.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from . import audit
from .errors import N_, DomainError
from .models import (
    Anonymity,
    Audience,
    Consent,
    Invitation,
    Participation,
    PrivacyNotice,
    Response,
    ResponseDraft,
    Survey,
    SurveyState,
    User,
    utcnow,
)

LAW = "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15"
DEFAULT_PURPOSE = (
    "Lắng nghe tâm tư, nguyện vọng, ý kiến để tổng hợp báo cáo cấp ủy, thủ trưởng cơ quan, đơn vị "
    "và theo dõi việc giải quyết kiến nghị."
)
READERS = (
    "tác giả khảo sát, thủ trưởng cơ quan, đơn vị, cấp ủy và Ban thanh tra nhân dân, mỗi người trong phạm vi của mình"
)


class ConsentRequired(DomainError):
    """The respondent has not agreed to the survey's current notice."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "Bạn cần đọc thông báo về xử lý dữ liệu cá nhân và đánh dấu đồng ý trước khi gửi câu trả lời. "
                "Những gì bạn đã nhập vẫn được giữ nguyên."
            ),
            field="_consent",
        )


def requires_consent(survey: Survey) -> bool:
    """A survey that keeps who answered: confidential, identified, or through personal invitations."""
    return survey.anonymity != Anonymity.ANONYMOUS or survey.audience == Audience.INVITED


def collected(survey: Survey) -> str:
    """What a survey collects about a respondent, as its notice and the register say."""
    identity = {
        Audience.STAFF: "họ tên, tài khoản và đơn vị công tác của bạn",
        Audience.INVITED: "họ tên và địa chỉ e-mail ghi trong thư mời",
        Audience.CITIZENS: "xã, phường nơi bạn sinh sống và những gì bạn tự ghi trong câu trả lời",
    }[survey.audience]
    if survey.anonymity == Anonymity.ANONYMOUS:
        return f"câu trả lời của bạn (không gắn với bạn) và việc bạn đã trả lời, kèm {identity}."
    return f"câu trả lời của bạn, ngày gửi và {identity}."


def who_reads(survey: Survey) -> str:
    """Who reads a survey's answers and what they see, as its notice and the register say."""
    if survey.anonymity == Anonymity.IDENTIFIED:
        return f"{READERS}; họ thấy câu trả lời của bạn kèm họ tên."
    shown = f"{READERS}; họ chỉ thấy số liệu tổng hợp theo nhóm đủ đông và câu trả lời đã che thông tin cá nhân"
    if survey.anonymity == Anonymity.CONFIDENTIAL:
        return f"{shown}, không bao giờ thấy bạn là ai. Danh tính chỉ được hệ thống dùng để tránh trả lời trùng."
    return f"{shown}. Việc bạn đã trả lời chỉ dùng để đường dẫn mời không dùng lại được."


def notice_text(survey: Survey) -> str:
    """The notice shown before the first question, one paragraph a line."""
    return "\n".join(
        [
            f"Thông báo xử lý dữ liệu cá nhân theo {LAW}.",
            f"Đơn vị chịu trách nhiệm: {survey.owner_unit.name}.",
            f"Dữ liệu được thu thập: {collected(survey)}",
            "Câu trả lời có thể chứa ý kiến về vấn đề chính trị, là dữ liệu cá nhân nhạy cảm; "
            "vì vậy cần bạn đồng ý rõ ràng trước khi gửi.",
            f"Mục đích: {survey.purpose or DEFAULT_PURPOSE}",
            f"Người được xem: {who_reads(survey)}",
            f"Thời gian lưu: liên kết giữa câu trả lời và danh tính của bạn được xóa {survey.retention_days} ngày "
            "sau khi khảo sát đóng; câu trả lời được giữ lại ở dạng ẩn danh.",
            "Quyền của bạn: xem, tải về và yêu cầu xóa dữ liệu của mình (mục “Dữ liệu cá nhân của tôi” khi đăng "
            "nhập, hoặc liên hệ quản trị hệ thống). Nếu không đồng ý, bạn không gửi câu trả lời.",
        ]
    )


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def notice_hash(survey: Survey) -> str:
    """The version of the survey's current notice, which a consent must name."""
    return text_hash(notice_text(survey))


def _stored_notice(session: Session, survey: Survey) -> PrivacyNotice:
    text = notice_text(survey)
    digest = text_hash(text)
    notice = session.scalar(
        select(PrivacyNotice).where(PrivacyNotice.survey_id == survey.id, PrivacyNotice.text_hash == digest)
    )
    if notice is None:
        notice = PrivacyNotice(survey_id=survey.id, text_hash=digest, text=text)
        session.add(notice)
        session.flush()
    return notice


def has_consented(session: Session, survey: Survey, *, user: User | None, invitation: Invitation | None) -> bool:
    """Whether this person (or invitation) agreed to the survey's current notice."""
    if user is None and invitation is None:
        return False
    who = Consent.user_id == user.id if user is not None else Consent.invitation_id == invitation.id
    return (
        session.scalar(
            select(Consent.id)
            .join(PrivacyNotice, PrivacyNotice.id == Consent.notice_id)
            .where(Consent.survey_id == survey.id, who, PrivacyNotice.text_hash == notice_hash(survey))
            .limit(1)
        )
        is not None
    )


def give_consent(
    session: Session,
    survey: Survey,
    agreed: str | None,
    *,
    user: User | None = None,
    invitation: Invitation | None = None,
    now: datetime | None = None,
) -> Consent | None:
    """Record consent to the current notice, whose hash the respondent sent as ``agreed``;
    raises ``ConsentRequired`` when it is missing or names an earlier notice. Once per person
    and notice; a public link's consent names nobody."""
    if not requires_consent(survey):
        return None
    if not agreed or agreed != notice_hash(survey):
        raise ConsentRequired()
    if has_consented(session, survey, user=user, invitation=invitation):
        return None
    consent = Consent(
        survey_id=survey.id,
        notice=_stored_notice(session, survey),
        user_id=user.id if user else None,
        invitation_id=invitation.id if invitation else None,
        given_at=now or utcnow(),
    )
    session.add(consent)
    return consent


def check_consent(
    session: Session, survey: Survey, agreed: str | None, *, respondent: User | None, invitation: Invitation | None
) -> None:
    """Before a response is stored: consent given earlier (the web form records it on the first
    page, in a transaction of its own), or given now (the API's ``consent`` field, a public link)."""
    if not requires_consent(survey) or has_consented(session, survey, user=respondent, invitation=invitation):
        return
    give_consent(session, survey, agreed, user=respondent, invitation=invitation)


# ---- retention ----------------------------------------------------------------------------------


def retention_ends(survey: Survey) -> datetime | None:
    """When the links to the survey's respondents are erased: its retention period after it closed."""
    if survey.closed_at is None:
        return None
    return survey.closed_at + timedelta(days=survey.retention_days)


@dataclass
class Erased:
    responses: int = 0
    participations: int = 0
    consents: int = 0
    invitations: int = 0
    drafts: int = 0


def erase_identities(
    session: Session, survey: Survey, *, actor: User | None = None, now: datetime | None = None
) -> Erased:
    """Cut every link between the survey's answers and people (who answered, invitations' names
    and addresses, consents' persons, exact times, drafts); the answers stay, anonymous. Audited."""
    where = {"synchronize_session": False}
    erased = Erased(
        responses=session.execute(
            update(Response)
            .where(
                Response.survey_id == survey.id,
                (Response.respondent_id.is_not(None))
                | (Response.invitation_id.is_not(None))
                | (Response.submitted_at.is_not(None)),
            )
            .values(respondent_id=None, invitation_id=None, submitted_at=None),
            execution_options=where,
        ).rowcount,
        participations=session.execute(
            delete(Participation).where(Participation.survey_id == survey.id), execution_options=where
        ).rowcount,
        consents=session.execute(
            update(Consent)
            .where(Consent.survey_id == survey.id, Consent.user_id.is_not(None) | Consent.invitation_id.is_not(None))
            .values(user_id=None, invitation_id=None),
            execution_options=where,
        ).rowcount,
        invitations=session.execute(
            update(Invitation)
            .where(Invitation.survey_id == survey.id, Invitation.full_name.is_not(None) | Invitation.email.is_not(None))
            .values(full_name=None, email=None),
            execution_options=where,
        ).rowcount,
        drafts=session.execute(
            delete(ResponseDraft).where(ResponseDraft.survey_id == survey.id), execution_options=where
        ).rowcount,
    )
    survey.identities_erased_at = now or utcnow()
    audit.record(session, actor, "privacy.erase_identities", survey, **vars(erased))
    return erased


def erase_expired_identities(session: Session, now: datetime | None = None) -> list[Survey]:
    """The scheduled job: erase the links to people of every closed survey whose retention
    period has ended. Safe to run any number of times; the caller commits."""
    now = now or utcnow()
    due = [
        survey
        for survey in session.scalars(
            select(Survey)
            .where(
                Survey.state.in_([SurveyState.CLOSED, SurveyState.ARCHIVED]),
                Survey.closed_at.is_not(None),
                Survey.closed_at <= now,
                Survey.identities_erased_at.is_(None),
            )
            .order_by(Survey.id)
        )
        if retention_ends(survey) <= now
    ]
    for survey in due:
        erase_identities(session, survey, now=now)
    return due
