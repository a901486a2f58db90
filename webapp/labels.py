"""Vietnamese labels for the domain's enumerations, shared by forms and templates."""

from flask_babel import lazy_gettext as _l

from surveys.models import (
    Anonymity,
    Audience,
    CommitteeKind,
    QuestionKind,
    RecommendationKind,
    RecommendationStatus,
    Recurrence,
    RequestKind,
    RequestStatus,
    SourceKind,
    SurveyState,
    UnitKind,
)
from surveys.questions import kind_of
from surveys.tagging import UNSURE

UNIT_KIND_LABELS = {
    UnitKind.PROVINCE: _l("Tỉnh, thành phố"),
    UnitKind.WARD: _l("Phường"),
    UnitKind.COMMUNE: _l("Xã"),
    UnitKind.SPECIAL_ZONE: _l("Đặc khu"),
    UnitKind.AGENCY: _l("Cơ quan (sở, ban, ngành)"),
    UnitKind.DEPARTMENT: _l("Phòng, ban"),
    UnitKind.PUBLIC_SERVICE_UNIT: _l("Đơn vị sự nghiệp công lập"),
    UnitKind.OTHER: _l("Khác"),
    UnitKind.FRONT_COMMITTEE: _l("Ủy ban Mặt trận Tổ quốc"),
    UnitKind.TRADE_UNION: _l("Công đoàn"),
    UnitKind.YOUTH_UNION: _l("Đoàn Thanh niên"),
    UnitKind.WOMEN_UNION: _l("Hội Liên hiệp Phụ nữ"),
    UnitKind.FARMERS_UNION: _l("Hội Nông dân"),
    UnitKind.VETERANS_ASSOCIATION: _l("Hội Cựu chiến binh"),
}
COMMITTEE_KIND_LABELS = {
    CommitteeKind.PROVINCIAL: _l("Tỉnh ủy, Thành ủy"),
    CommitteeKind.PARTY_COMMITTEE: _l("Đảng ủy"),
    CommitteeKind.PARTY_CELL: _l("Chi bộ"),
}
AUDIENCE_LABELS = {
    Audience.STAFF: _l("Cán bộ, công chức, viên chức, người lao động của đơn vị"),
    Audience.CITIZENS: _l("Người dân các xã, phường (đường dẫn công khai)"),
    Audience.INVITED: _l("Người được mời (đường dẫn riêng, dùng một lần)"),
}
ANONYMITY_LABELS = {
    Anonymity.ANONYMOUS: _l("Ẩn danh"),
    Anonymity.CONFIDENTIAL: _l("Bảo mật"),
    Anonymity.IDENTIFIED: _l("Ghi danh"),
}
# What a respondent reads before starting, so the promise is clear.
ANONYMITY_PROMISES = {
    Anonymity.ANONYMOUS: _l(
        "Khảo sát ẩn danh: câu trả lời không gắn với tên, tài khoản hay thời điểm chính xác %(you)s gửi. "
        "Kết quả chỉ hiển thị theo nhóm từ %(k)s người trở lên."
    ),
    Anonymity.CONFIDENTIAL: _l(
        "Khảo sát bảo mật: hệ thống lưu %(you)s là ai để tránh trả lời trùng, nhưng người xem kết quả "
        "không bao giờ thấy danh tính của %(you)s. Kết quả chỉ hiển thị theo nhóm từ %(k)s người trở lên."
    ),
    Anonymity.IDENTIFIED: _l("Khảo sát ghi danh: câu trả lời được ghi kèm họ tên của %(you)s."),
}
SURVEY_STATE_LABELS = {
    SurveyState.DRAFT: _l("Bản nháp"),
    SurveyState.OPEN: _l("Đang mở"),
    SurveyState.CLOSED: _l("Đã đóng"),
    SurveyState.ARCHIVED: _l("Lưu trữ"),
}
RECURRENCE_LABELS = {
    Recurrence.NONE: _l("Một lần"),
    Recurrence.WEEKLY: _l("Hằng tuần (mỗi tuần một đợt)"),
    Recurrence.MONTHLY: _l("Hằng tháng (mỗi tháng một đợt)"),
}
# Each kind names itself (surveys/questions), listed in QuestionKind's order.
QUESTION_KIND_LABELS = {kind: _l(kind_of(kind).label) for kind in QuestionKind}
SENTIMENT_LABELS = {
    "negative": _l("Tiêu cực"),
    "neutral": _l("Trung tính"),
    "positive": _l("Tích cực"),
}
# What the answer wants done (surveys.tagging.KINDS; ANNOTATION.md).
ANSWER_KIND_LABELS = {
    "request": _l("Kiến nghị"),
    "problem": _l("Phản ánh"),
    "praise": _l("Ghi nhận"),
    "question": _l("Câu hỏi"),
    "other": _l("Khác"),
}
# As readers are told them: a tag the model is not sure of is "chưa rõ" (surveys.tagging.UNSURE).
SHOWN_SENTIMENT_LABELS = {**SENTIMENT_LABELS, UNSURE: _l("Chưa rõ")}
SHOWN_KIND_LABELS = {**ANSWER_KIND_LABELS, UNSURE: _l("Chưa rõ")}
RECOMMENDATION_KIND_LABELS = {
    RecommendationKind.OPINION: _l("Ý kiến, kiến nghị, phản ánh"),
    RecommendationKind.COMPLAINT: _l("Khiếu nại (chuyển cơ quan có thẩm quyền)"),
    RecommendationKind.DENUNCIATION: _l("Tố cáo (chuyển cơ quan có thẩm quyền)"),
}
RECOMMENDATION_STATUS_LABELS = {
    RecommendationStatus.RECEIVED: _l("Đã tiếp nhận"),
    RecommendationStatus.CLASSIFIED: _l("Thuộc thẩm quyền"),
    RecommendationStatus.FORWARDED: _l("Đã chuyển đơn vị có thẩm quyền"),
    RecommendationStatus.ASSIGNED: _l("Đã giao xử lý"),
    RecommendationStatus.IN_PROGRESS: _l("Đang giải quyết"),
    RecommendationStatus.RESOLVED: _l("Đã giải quyết"),
    RecommendationStatus.DECLINED: _l("Không chấp nhận (có lý do)"),
    RecommendationStatus.TO_TRANSFER: _l("Chờ chuyển cơ quan có thẩm quyền"),
    RecommendationStatus.TRANSFERRED: _l("Đã chuyển cơ quan có thẩm quyền"),
}
SOURCE_KIND_LABELS = {
    SourceKind.ANSWERS: _l("Từ câu trả lời khảo sát"),
    SourceKind.SUMMARY: _l("Từ bản tóm tắt tuần"),
    SourceKind.MEETING: _l("Hội nghị, tiếp xúc, đối thoại"),
    SourceKind.ORGANISATION: _l("Ý kiến tổng hợp của Mặt trận, đoàn thể"),
    SourceKind.LETTER: _l("Thư, đơn"),
    SourceKind.PHONE: _l("Điện thoại, đường dây nóng"),
    SourceKind.OTHER: _l("Kênh khác"),
}
ACTION_LABELS = {
    "classify": _l("Xác định thuộc thẩm quyền"),
    "forward": _l("Chuyển đơn vị có thẩm quyền"),
    "assign": _l("Giao đơn vị giải quyết"),
    "start": _l("Bắt đầu giải quyết"),
    "resolve": _l("Trả lời: đã giải quyết"),
    "decline": _l("Trả lời: không chấp nhận"),
    "transfer": _l("Đã chuyển cơ quan có thẩm quyền"),
    "receive": _l("Tiếp nhận"),
}
REQUEST_KIND_LABELS = {
    RequestKind.ACCESS: _l("Xem dữ liệu"),
    RequestKind.DOWNLOAD: _l("Tải dữ liệu"),
    RequestKind.ERASURE: _l("Xóa dữ liệu"),
}
REQUEST_STATUS_LABELS = {
    RequestStatus.RECEIVED: _l("Đã nhận"),
    RequestStatus.IN_PROGRESS: _l("Đang xử lý"),
    RequestStatus.DONE: _l("Đã hoàn thành"),
    RequestStatus.REFUSED: _l("Từ chối"),
}
# What the audit log calls each action, object and field (webapp/admin/audit_view.py).
AUDIT_ACTION_LABELS = {
    "auth.login": _l("Đăng nhập"),
    "auth.logout": _l("Đăng xuất (kết thúc mọi phiên)"),
    "unit.create": _l("Thêm đơn vị"),
    "unit.update": _l("Sửa đơn vị"),
    "committee.create": _l("Thêm cấp ủy"),
    "committee.update": _l("Sửa cấp ủy"),
    "user.create": _l("Thêm tài khoản"),
    "user.update": _l("Sửa tài khoản"),
    "user.set_password": _l("Đặt mật khẩu"),
    "user.assign_role": _l("Thêm vai trò"),
    "user.revoke_role": _l("Gỡ vai trò"),
    "user.import": _l("Nhập danh sách cán bộ"),
    "api_token.create": _l("Cấp mã truy cập API"),
    "api_token.revoke": _l("Thu hồi mã truy cập API"),
    "mail.resend": _l("Gửi lại thư gửi lỗi"),
    "survey.create": _l("Tạo khảo sát"),
    "survey.update": _l("Sửa thiết lập khảo sát"),
    "survey.questions": _l("Sửa câu hỏi khảo sát"),
    "survey.publish": _l("Mở khảo sát"),
    "survey.close": _l("Đóng khảo sát"),
    "survey.archive": _l("Lưu trữ khảo sát"),
    "survey.invite": _l("Gửi lời mời khảo sát"),
    "holiday.add": _l("Thêm ngày nghỉ"),
    "holiday.remove": _l("Xoá ngày nghỉ"),
    "answer.tags_corrected": _l("Hiệu chỉnh nhãn ý kiến"),
    "recommendation.receive": _l("Tiếp nhận kiến nghị"),
    "recommendation.classify": _l("Kiến nghị: xác định thuộc thẩm quyền"),
    "recommendation.forward": _l("Kiến nghị: chuyển đơn vị có thẩm quyền"),
    "recommendation.assign": _l("Kiến nghị: giao đơn vị giải quyết"),
    "recommendation.start": _l("Kiến nghị: bắt đầu giải quyết"),
    "recommendation.resolve": _l("Kiến nghị: trả lời đã giải quyết"),
    "recommendation.decline": _l("Kiến nghị: trả lời không chấp nhận"),
    "recommendation.transfer": _l("Kiến nghị: đã chuyển cơ quan có thẩm quyền"),
    "privacy.erase_identities": _l("Xóa thông tin định danh hết thời hạn lưu"),
    "privacy.request_file": _l("Gửi yêu cầu về dữ liệu cá nhân"),
    "privacy.request_acknowledge": _l("Tiếp nhận yêu cầu về dữ liệu cá nhân"),
    "privacy.request_complete": _l("Hoàn thành yêu cầu về dữ liệu cá nhân"),
    "privacy.request_refuse": _l("Từ chối yêu cầu về dữ liệu cá nhân"),
    "privacy.erase_person": _l("Xóa dữ liệu cá nhân của một người"),
    "privacy.incident_record": _l("Ghi nhận sự cố dữ liệu cá nhân"),
    "privacy.incident_update": _l("Sửa sự cố dữ liệu cá nhân"),
    "meeting.record": _l("Ghi nhận buổi tiếp nhận ý kiến"),
    "scorecard.weights": _l("Sửa trọng số đánh giá"),
    "example.record": _l("Ghi nhận mô hình, điển hình"),
    "meeting.opinions": _l("Ghi ý kiến từ buổi tiếp nhận"),
    "nlp.model_activated": _l("Kích hoạt phiên bản mô hình phân tích"),
    "nlp.model_refused": _l("Không kích hoạt phiên bản mô hình (kém hơn)"),
    "nlp.model_rolled_back": _l("Quay lại phiên bản mô hình trước"),
}
# The filter's groups, by the action's prefix.
AUDIT_ACTION_GROUPS = {
    "auth": _l("Đăng nhập"),
    "unit": _l("Đơn vị"),
    "committee": _l("Cấp ủy"),
    "user": _l("Tài khoản"),
    "api_token": _l("Tài khoản"),
    "survey": _l("Khảo sát"),
    "answer": _l("Khảo sát"),
    "recommendation": _l("Kiến nghị"),
    "holiday": _l("Lịch nghỉ"),
    "mail": _l("Thư điện tử"),
    "privacy": _l("Dữ liệu cá nhân"),
    "meeting": _l("Tiếp nhận ý kiến"),
    "scorecard": _l("Đánh giá"),
    "example": _l("Mô hình, điển hình"),
    "nlp": _l("Phân tích ý kiến"),
}
AUDIT_OBJECT_LABELS = {
    "Unit": _l("Đơn vị"),
    "Committee": _l("Cấp ủy"),
    "User": _l("Tài khoản"),
    "Survey": _l("Khảo sát"),
    "Recommendation": _l("Kiến nghị"),
    "PublicHoliday": _l("Ngày nghỉ"),
    "Answer": _l("Ý kiến"),
    "OutboxEmail": _l("Thư điện tử"),
    "DataRequest": _l("Yêu cầu về dữ liệu cá nhân"),
    "Incident": _l("Sự cố dữ liệu cá nhân"),
    "Meeting": _l("Buổi tiếp nhận ý kiến"),
    "GoodExample": _l("Mô hình, điển hình"),
    "ModelVersion": _l("Phiên bản mô hình phân tích"),
}
AUDIT_FIELD_LABELS = {
    "code": _l("Mã"),
    "name": _l("Tên"),
    "kind": _l("Loại"),
    "is_active": _l("Đang hoạt động"),
    "parent": _l("Đơn vị cấp trên"),
    "unit": _l("Đơn vị"),
    "units": _l("Các đơn vị phụ trách"),
    "committee": _l("Cấp ủy"),
    "full_name": _l("Họ và tên"),
    "email": _l("E-mail"),
    "phone": _l("Số điện thoại"),
    "position": _l("Chức vụ"),
    "role": _l("Vai trò"),
    "rows": _l("Số tài khoản"),
    "title": _l("Tiêu đề"),
    "version": _l("Phiên bản"),
    "questions": _l("Số câu hỏi"),
    "count": _l("Số lời mời"),
    "status": _l("Trạng thái"),
    "note": _l("Ghi chú"),
    "day": _l("Ngày"),
    "sentiment": _l("Sắc thái"),
    "answer_kind": _l("Loại ý kiến"),
    "topics": _l("Chủ đề"),
    "report_superior": _l("Cơ quan chủ quản"),
    "report_symbol": _l("Chữ viết tắt"),
    "report_place": _l("Địa danh"),
    "signer_authority": _l("Thẩm quyền ký"),
    "signer_title": _l("Chức vụ người ký"),
    "signer_name": _l("Người ký"),
    "report_recipients": _l("Nơi nhận"),
    "to": _l("Người nhận"),
    "subject": _l("Tiêu đề thư"),
    "attempts": _l("Số lần đã thử"),
    "last_error": _l("Lỗi cuối cùng"),
    "token_id": _l("Số hiệu mã truy cập"),
    "responses": _l("Số câu trả lời bỏ liên kết"),
    "participations": _l("Số lượt tham gia đã xóa"),
    "consents": _l("Số bản đồng ý bỏ liên kết"),
    "invitations": _l("Số lời mời đã xóa họ tên, e-mail"),
    "drafts": _l("Số bản nháp đã xóa"),
    "mail": _l("Số thư đã xóa"),
    "api_tokens": _l("Số mã truy cập đã xóa"),
    "audit_entries": _l("Số mục nhật ký đã che tên"),
    "found_on": _l("Ngày phát hiện"),
    "description": _l("Mô tả"),
    "data_affected": _l("Dữ liệu bị ảnh hưởng"),
    "people_affected": _l("Số người bị ảnh hưởng"),
    "measures": _l("Biện pháp đã thực hiện"),
    "authority_notified_on": _l("Ngày thông báo cơ quan chuyên trách"),
    "people_notified_on": _l("Ngày thông báo người bị ảnh hưởng"),
    "place": _l("Địa điểm"),
    "opinions": _l("Số ý kiến"),
    "published": _l("Công bố"),
    "previous": _l("Phiên bản trước"),
    "withdrawn": _l("Phiên bản rút lại"),
    "regressions": _l("Kém hơn ở"),
    "corrections": _l("Số hiệu chỉnh đã học"),
}


# How system text addresses a respondent: "anh/chị" in staff and invitation surveys, "ông/bà" in citizens'
# surveys (the register of a public body writing to a citizen), the same on every page of the survey.
ADDRESS = {Audience.STAFF: _l("anh/chị"), Audience.INVITED: _l("anh/chị"), Audience.CITIZENS: _l("ông/bà")}


def address(survey) -> str:
    """The respondent's form of address in ``survey``; capitalise it at the start of a sentence."""
    return str(ADDRESS[survey.audience])


def promise(survey, k: int) -> str:
    """The survey's anonymity promise, in its form of address."""
    return str(ANONYMITY_PROMISES[survey.anonymity]) % {"k": k, "you": address(survey)}
