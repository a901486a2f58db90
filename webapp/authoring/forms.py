from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from surveys.authoring import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS
from surveys.models import DEFAULT_RETENTION_DAYS, Anonymity, Audience, Recurrence

from ..forms import Form
from ..labels import ANONYMITY_LABELS, AUDIENCE_LABELS, QUESTION_KIND_LABELS, RECURRENCE_LABELS

_required = DataRequired(_l("Trường này là bắt buộc."))


def _choices(labels):
    return [SelectChoice(key.value, label) for key, label in labels.items()]


class SurveyForm(Form):
    title = StringField(_l("Tiêu đề"), validators=[_required, Length(max=255)])
    introduction = TextAreaField(_l("Lời giới thiệu"), validators=[Length(max=5000)])
    audience = SelectField(_l("Đối tượng"), choices=_choices(AUDIENCE_LABELS), default=Audience.STAFF.value)
    anonymity = SelectField(_l("Chế độ ẩn danh"), choices=_choices(ANONYMITY_LABELS), default=Anonymity.ANONYMOUS.value)
    owner_unit_id = SelectField(_l("Đơn vị chủ trì"), coerce=int)
    unit_ids = SelectMultipleField(_l("Đơn vị, xã, phường được khảo sát"), coerce=int)
    opens_at = DateTimeLocalField(_l("Mở từ (giờ Việt Nam)"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Đóng lúc (giờ Việt Nam)"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    recurrence = SelectField(_l("Chu kỳ"), choices=_choices(RECURRENCE_LABELS), default=Recurrence.NONE.value)
    challenge_enabled = BooleanField(_l("Hỏi một câu kiểm tra đơn giản trên đường dẫn công khai (chống gửi tự động)"))
    purpose = TextAreaField(
        _l("Mục đích thu thập ý kiến (ghi trong thông báo về dữ liệu cá nhân)"), validators=[Length(max=1000)]
    )
    retention_days = IntegerField(
        _l("Số ngày giữ thông tin định danh sau khi khảo sát đóng"),
        default=DEFAULT_RETENTION_DAYS,
        validators=[
            DataRequired(_l("Hãy nhập số ngày.")),
            NumberRange(min=MIN_RETENTION_DAYS, max=MAX_RETENTION_DAYS, message=_l("Từ 1 đến 3650 ngày.")),
        ],
    )


class QuestionForm(Form):
    key = StringField(_l("Mã câu hỏi"), validators=[_required, Length(max=64)])
    kind = SelectField(
        _l("Loại câu hỏi"), choices=_choices(QUESTION_KIND_LABELS), default=next(iter(QUESTION_KIND_LABELS))
    )
    text = TextAreaField(_l("Nội dung câu hỏi"), validators=[_required, Length(max=2000)])
    help_text = TextAreaField(_l("Hướng dẫn thêm"), validators=[Length(max=2000)])
    required = BooleanField(_l("Bắt buộc trả lời"))
    page = IntegerField(_l("Trang"), default=1, validators=[NumberRange(min=1, max=50)])
    choices = TextAreaField(_l("Các lựa chọn (mỗi dòng một lựa chọn; có thể ghi “mã | nội dung”)"))
    allow_other = BooleanField(_l("Có lựa chọn “Khác, ghi rõ”"))
    rows = TextAreaField(_l("Các dòng của bảng đánh giá (mỗi dòng một nội dung)"))
    min_label = StringField(_l("Nhãn mức thấp nhất"), validators=[Length(max=100)])
    max_label = StringField(_l("Nhãn mức cao nhất"), validators=[Length(max=100)])
    minimum = StringField(_l("Giá trị nhỏ nhất (số, hoặc ngày yyyy-mm-dd)"), validators=[Length(max=20)])
    maximum = StringField(_l("Giá trị lớn nhất (số, hoặc ngày yyyy-mm-dd)"), validators=[Length(max=20)])
    integer = BooleanField(_l("Chỉ nhận số nguyên (đếm người, năm…)"))
    min_length = IntegerField(_l("Số ký tự tối thiểu"), validators=[Optional(), NumberRange(min=0, max=5000)])
    max_length = IntegerField(_l("Số ký tự tối đa"), validators=[Optional(), NumberRange(min=1, max=5000)])
    pattern = StringField(_l("Mẫu kiểm tra (biểu thức chính quy)"), validators=[Length(max=200)])
    pattern_message = StringField(_l("Thông báo khi sai mẫu"), validators=[Length(max=200)])
    show_if_question = SelectField(_l("Chỉ hiện khi câu"), choices=[])
    show_if_values = StringField(
        _l("có câu trả lời là (mã lựa chọn, cách nhau bởi dấu phẩy)"), validators=[Length(max=500)]
    )


class ImportForm(Form):
    file = FileField(
        _l("Tệp khảo sát (.json của Lắng nghe, hoặc XLSForm .xlsx của ODK, KoboToolbox)"),
        validators=[
            FileRequired(_l("Vui lòng chọn tệp.")),
            FileAllowed(["json", "xlsx"], _l("Chỉ nhận tệp .json hoặc .xlsx (XLSForm).")),
        ],
    )
    owner_unit_id = SelectField(_l("Đơn vị chủ trì"), coerce=int)


class InvitationForm(Form):
    people = TextAreaField(_l("Người được mời (mỗi dòng: Họ tên, e-mail)"), validators=[_required])
