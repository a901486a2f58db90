"""What the platform must be able to show about its processing of personal data (Law 91/2025/QH15):
a register of its processing activities, and a log of personal data incidents.

The register is written from what the code does, plus one entry per survey that keeps who
answered (its purpose and retention as its author set them), so it cannot drift from the
software. Incidents are entered by the administrator, with the dates the authority and the
people affected were told.
"""

from collections.abc import Iterator
from dataclasses import astuple, dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, privacy
from .errors import N_, DomainError
from .models import Incident, Survey, User
from .text import nfc, nfc_multiline
from .timeutil import format_date

# Assumption (README): the authority is told of an incident within 72 hours of its discovery, as
# Decree 13/2023/NĐ-CP required, until the law's implementing decree says otherwise.
NOTIFY_AUTHORITY_WITHIN = timedelta(hours=72)
STATE_DUTY = "Thực hiện nhiệm vụ, quyền hạn của cơ quan nhà nước theo quy định của pháp luật (không cần sự đồng ý)"


@dataclass(frozen=True)
class Activity:
    name: str
    data: str
    purpose: str
    legal_basis: str
    recipients: str
    retention: str


REGISTER_HEADER = [
    "Hoạt động xử lý",
    "Dữ liệu cá nhân",
    "Mục đích",
    "Cơ sở pháp lý",
    "Bên nhận, người được xem",
    "Thời hạn lưu trữ",
]
PLATFORM_ACTIVITIES = [
    Activity(
        "Tài khoản cán bộ, công chức, viên chức, người lao động",
        "Họ tên, e-mail, số điện thoại, đơn vị, chức vụ, vai trò; mật khẩu (chỉ lưu bản băm argon2id); "
        "thời điểm đăng nhập gần nhất; mã truy cập API (chỉ lưu bản băm, ngày dùng gần nhất)",
        "Đăng nhập, phân quyền theo đơn vị, gửi khảo sát và nhắc việc đúng người",
        STATE_DUTY,
        "Quản trị hệ thống; thủ trưởng đơn vị thấy tên cán bộ trong phạm vi",
        "Trong thời gian công tác; xóa khi có yêu cầu xóa hợp lệ (Dữ liệu cá nhân của tôi)",
    ),
    Activity(
        "Khảo sát ẩn danh cán bộ",
        "Câu trả lời (có thể là ý kiến về vấn đề chính trị: dữ liệu nhạy cảm) không gắn với người; "
        "đơn vị, ngày gửi; danh sách người đã tham gia (tách riêng, không gắn với câu trả lời)",
        "Tổng hợp tâm tư, nguyện vọng báo cáo cấp ủy, thủ trưởng cơ quan, đơn vị; nhắc người chưa trả lời",
        STATE_DUTY,
        "Người xem kết quả trong phạm vi, chỉ số liệu theo nhóm từ k người trở lên, trích dẫn đã che thông tin",
        "Danh sách người đã tham gia: đến hết thời hạn lưu của khảo sát; câu trả lời ẩn danh: lâu dài",
    ),
    Activity(
        "Khảo sát người dân qua đường dẫn công khai",
        "Xã, phường nơi sinh sống, câu trả lời; địa chỉ mạng (chỉ để giới hạn số lần gửi mỗi giờ)",
        "Lấy ý kiến người dân về dịch vụ công và đời sống ở cơ sở",
        "Sự đồng ý khi khảo sát bảo mật hoặc ghi danh; ẩn danh: không gắn với người",
        "Người xem kết quả trong phạm vi, theo nhóm từ k người trở lên",
        "Bộ đếm theo địa chỉ mạng: trong khung một giờ; câu trả lời ẩn danh: lâu dài",
    ),
    Activity(
        "Lời mời trả lời khảo sát",
        "Họ tên, e-mail người được mời; đường dẫn riêng (chỉ lưu bản băm)",
        "Gửi đường dẫn mời dùng một lần",
        "Sự đồng ý (ghi nhận trước khi trả lời)",
        "Tác giả khảo sát",
        "Đến hết thời hạn lưu của khảo sát, rồi xóa họ tên, e-mail",
    ),
    Activity(
        "Thư điện tử gửi đi",
        "Địa chỉ e-mail, tiêu đề và nội dung thư (nhắc trả lời, tóm tắt tuần, kiến nghị quá hạn)",
        "Thông báo, nhắc việc",
        STATE_DUTY,
        "Máy chủ thư của cơ quan",
        "Không tự xóa (hạn chế đã biết); xóa cùng yêu cầu xóa của người nhận",
    ),
    Activity(
        "Nhật ký thay đổi",
        "Người thực hiện, thao tác, đối tượng, giá trị trước và sau",
        "Bảo đảm trách nhiệm giải trình, an toàn hệ thống",
        "Nghĩa vụ theo quy định của pháp luật về an toàn thông tin",
        "Quản trị hệ thống",
        "Không tự xóa; khi xóa dữ liệu một người, tên, e-mail, số điện thoại của họ trong nhật ký "
        "được thay bằng [đã xóa]",
    ),
    Activity(
        "Yêu cầu của chủ thể dữ liệu và sự cố dữ liệu cá nhân",
        "Họ tên người yêu cầu, nội dung, thời hạn, kết quả; mô tả sự cố, số người bị ảnh hưởng",
        "Chứng minh việc tuân thủ Luật Bảo vệ dữ liệu cá nhân",
        "Nghĩa vụ theo quy định của pháp luật",
        "Quản trị hệ thống; cơ quan chuyên trách bảo vệ dữ liệu cá nhân khi được yêu cầu",
        "Không tự xóa",
    ),
]


def _survey_retention(survey: Survey) -> str:
    text = f"{survey.retention_days} ngày sau khi khảo sát đóng"
    if survey.identities_erased_at:
        return f"{text}; đã xóa ngày {format_date(survey.identities_erased_at)}"
    ends = privacy.retention_ends(survey)
    return f"{text}; tự xóa ngày {format_date(ends)}" if ends else text


def _survey_activity(survey: Survey) -> Activity:
    return Activity(
        f"Khảo sát: {survey.title} ({survey.owner_unit.name})",
        privacy.collected(survey),
        survey.purpose or privacy.DEFAULT_PURPOSE,
        "Sự đồng ý của người trả lời, ghi nhận theo từng phiên bản thông báo",
        privacy.who_reads(survey),
        _survey_retention(survey),
    )


def register(session: Session) -> list[Activity]:
    """The platform's processing activities, then each survey that keeps who answered."""
    surveys = session.scalars(select(Survey).order_by(Survey.id)).all()
    return PLATFORM_ACTIVITIES + [_survey_activity(s) for s in surveys if privacy.requires_consent(s)]


def register_rows(session: Session) -> Iterator[list[Any]]:
    yield REGISTER_HEADER
    for activity in register(session):
        yield list(astuple(activity))


# ---- incidents ----------------------------------------------------------------------------------


@dataclass
class IncidentFacts:
    found_on: date
    description: str
    data_affected: str
    people_affected: int
    measures: str = ""
    authority_notified_on: date | None = None
    people_notified_on: date | None = None


def _checked(facts: IncidentFacts, today: date) -> dict[str, Any]:
    if facts.found_on > today:
        raise DomainError(N_("Ngày phát hiện không thể sau hôm nay."), field="found_on")
    for field, day in (
        ("authority_notified_on", facts.authority_notified_on),
        ("people_notified_on", facts.people_notified_on),
    ):
        if day is not None and day < facts.found_on:
            raise DomainError(N_("Ngày thông báo không thể trước ngày phát hiện."), field=field)
    if facts.people_affected < 0:
        raise DomainError(N_("Số người bị ảnh hưởng không thể âm."), field="people_affected")
    if not nfc(facts.description):
        raise DomainError(N_("Hãy mô tả sự cố."), field="description")
    values = vars(facts) | {
        "description": nfc_multiline(facts.description),
        "data_affected": nfc_multiline(facts.data_affected),
        "measures": nfc_multiline(facts.measures),
    }
    return values


def record_incident(session: Session, facts: IncidentFacts, actor: User, today: date) -> Incident:
    incident = Incident(**_checked(facts, today), recorded_by_id=actor.id)
    session.add(incident)
    session.flush()
    audit.record(session, actor, "privacy.incident_record", incident, found_on=format_date(incident.found_on))
    return incident


def _readable(value: Any) -> Any:
    return format_date(value) if isinstance(value, date) else value


def update_incident(session: Session, incident: Incident, facts: IncidentFacts, actor: User, today: date) -> None:
    changes = audit.set_changed(incident, _checked(facts, today))
    if changes:
        readable = {field: [_readable(before), _readable(after)] for field, (before, after) in changes.items()}
        audit.record(session, actor, "privacy.incident_update", incident, readable)


def notification_overdue(incident: Incident, today: date) -> bool:
    """The authority has not been told, and 72 hours have passed since the incident was found."""
    return incident.authority_notified_on is None and today > incident.found_on + NOTIFY_AUTHORITY_WITHIN


INCIDENT_HEADER = [
    "Ngày phát hiện",
    "Mô tả",
    "Dữ liệu bị ảnh hưởng",
    "Số người bị ảnh hưởng",
    "Biện pháp xử lý",
    "Ngày thông báo cơ quan chuyên trách",
    "Ngày thông báo người bị ảnh hưởng",
]


def incidents(session: Session) -> list[Incident]:
    return list(session.scalars(select(Incident).order_by(Incident.found_on.desc(), Incident.id.desc())))


def incident_rows(session: Session) -> Iterator[list[Any]]:
    yield INCIDENT_HEADER
    for incident in incidents(session):
        yield [
            format_date(incident.found_on),
            incident.description,
            incident.data_affected,
            incident.people_affected,
            incident.measures,
            format_date(incident.authority_notified_on),
            format_date(incident.people_notified_on),
        ]
