from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..admin.forms import DayField
from ..forms import Form
from ..labels import REQUEST_KIND_LABELS


class DataRequestForm(Form):
    kind = SelectField(
        _l("Bạn muốn"), choices=[SelectChoice(kind.value, label) for kind, label in REQUEST_KIND_LABELS.items()]
    )
    details = TextAreaField(_l("Ghi chú thêm (không bắt buộc)"), validators=[Length(max=2000)])


class OutcomeForm(Form):
    outcome = TextAreaField(_l("Kết quả, hoặc lý do từ chối (gửi người yêu cầu)"), validators=[Length(max=2000)])


class IncidentForm(Form):
    found_on = DayField(_l("Ngày phát hiện (dd/mm/yyyy)"), validators=[DataRequired(_l("Hãy nhập ngày phát hiện."))])
    description = TextAreaField(_l("Mô tả sự cố"), validators=[DataRequired(_l("Hãy mô tả sự cố.")), Length(max=5000)])
    data_affected = TextAreaField(_l("Dữ liệu cá nhân bị ảnh hưởng"), validators=[Length(max=2000)])
    people_affected = IntegerField(
        _l("Số người bị ảnh hưởng"), default=0, validators=[Optional(), NumberRange(min=0, max=100_000_000)]
    )
    measures = TextAreaField(_l("Biện pháp đã thực hiện"), validators=[Length(max=5000)])
    authority_notified_on = DayField(_l("Ngày thông báo cơ quan chuyên trách bảo vệ dữ liệu cá nhân (Bộ Công an)"))
    people_notified_on = DayField(_l("Ngày thông báo người bị ảnh hưởng"))
