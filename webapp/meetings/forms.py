from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from surveys.meetings import CHANNEL_LABELS
from surveys.models import MEETING_CHANNELS

from ..forms import Form

_required = DataRequired(_l("Trường này là bắt buộc."))


class MeetingForm(Form):
    kind = SelectField(
        _l("Hình thức"), choices=[SelectChoice(c.value, _l(CHANNEL_LABELS[c])) for c in MEETING_CHANNELS]
    )
    held_on = DateField(_l("Ngày tổ chức"), validators=[DataRequired(_l("Hãy chọn một ngày hợp lệ."))])
    unit_id = SelectField(_l("Đơn vị tổ chức"), coerce=int)
    place = StringField(_l("Địa điểm"), validators=[_required, Length(max=255)])
    chair = StringField(_l("Người chủ trì"), validators=[_required, Length(max=255)])
    attendance = IntegerField(
        _l("Số người dự"),
        validators=[Optional(), NumberRange(min=0, max=1_000_000, message=_l("Số người dự không hợp lệ."))],
    )
    note = TextAreaField(_l("Ghi chú"), validators=[Length(max=5000)])


class OpinionForm(Form):
    text = TextAreaField(_l("Nội dung ý kiến"), validators=[_required, Length(max=5000)])
    speaker = StringField(_l("Người nêu ý kiến"), validators=[Length(max=255)])
    consent = BooleanField(_l("Người nêu ý kiến đồng ý được ghi tên"))
    concerned_unit_id = SelectField(_l("Đơn vị liên quan"), coerce=int, validators=[Optional()])


class OpinionImportForm(Form):
    file = FileField(
        _l("Tệp ý kiến (.xlsx theo mẫu, hoặc biên bản .docx)"),
        validators=[
            FileRequired(_l("Vui lòng chọn tệp.")),
            FileAllowed(["xlsx", "docx"], _l("Chỉ nhận tệp .xlsx hoặc .docx.")),
        ],
    )
