"""Vietnamese labels for the domain's enumerations, shared by forms and templates."""
from flask_babel import lazy_gettext as _l

from surveys.models import (
    Anonymity, Audience, CommitteeKind, QuestionKind, RecommendationKind, RecommendationStatus, Recurrence, SourceKind,
    SurveyState, UnitKind,
)

UNIT_KIND_LABELS = {
    UnitKind.PROVINCE: _l("Tỉnh, thành phố"),
    UnitKind.WARD: _l("Phường"),
    UnitKind.COMMUNE: _l("Xã"),
    UnitKind.SPECIAL_ZONE: _l("Đặc khu"),
    UnitKind.AGENCY: _l("Cơ quan (sở, ban, ngành)"),
    UnitKind.DEPARTMENT: _l("Phòng, ban"),
    UnitKind.PUBLIC_SERVICE_UNIT: _l("Đơn vị sự nghiệp công lập"),
    UnitKind.OTHER: _l("Khác"),
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
    Anonymity.ANONYMOUS: _l("Khảo sát ẩn danh: câu trả lời không gắn với tên, tài khoản hay thời điểm chính xác bạn gửi. "
                            "Kết quả chỉ hiển thị theo nhóm từ %(k)s người trở lên."),
    Anonymity.CONFIDENTIAL: _l("Khảo sát bảo mật: hệ thống lưu bạn là ai để tránh trả lời trùng, nhưng người xem kết quả "
                               "không bao giờ thấy danh tính của bạn. Kết quả chỉ hiển thị theo nhóm từ %(k)s người trở lên."),
    Anonymity.IDENTIFIED: _l("Khảo sát ghi danh: câu trả lời được ghi kèm họ tên của bạn."),
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
QUESTION_KIND_LABELS = {
    QuestionKind.SINGLE: _l("Chọn một"),
    QuestionKind.MULTIPLE: _l("Chọn nhiều"),
    QuestionKind.DROPDOWN: _l("Danh sách thả xuống"),
    QuestionKind.RATING: _l("Chấm điểm 1–5"),
    QuestionKind.LIKERT: _l("Mức độ đồng ý (Likert)"),
    QuestionKind.NPS: _l("Mức sẵn lòng giới thiệu 0–10 (NPS)"),
    QuestionKind.MATRIX: _l("Bảng đánh giá nhiều dòng"),
    QuestionKind.NUMBER: _l("Số"),
    QuestionKind.DATE: _l("Ngày"),
    QuestionKind.SHORT_TEXT: _l("Trả lời ngắn"),
    QuestionKind.LONG_TEXT: _l("Ý kiến, kiến nghị (văn bản dài)"),
    QuestionKind.CONSENT: _l("Xác nhận, đồng ý"),
    QuestionKind.TEXT_BLOCK: _l("Đoạn văn giới thiệu (không hỏi)"),
}
SENTIMENT_LABELS = {
    "negative": _l("Tiêu cực"),
    "neutral": _l("Trung tính"),
    "positive": _l("Tích cực"),
}
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
