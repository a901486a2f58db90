from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from surveys.org import REPORT_FIELDS
from surveys.people import MIN_PASSWORD_LENGTH, ROLE_LABELS
from surveys.text import parse_id
from surveys.timeutil import parse_date

from ..forms import Form
from ..labels import COMMITTEE_KIND_LABELS, UNIT_KIND_LABELS

NO_PARENT = 0
_required = DataRequired(_l("Trường này là bắt buộc."))


class ReportSettingsForm(Form):
    """What a unit or committee puts on its reports (Decree 30/2020/NĐ-CP); empty fields take defaults."""

    report_superior = StringField(
        _l("Cơ quan chủ quản (dòng in hoa phía trên)"), validators=[Optional(), Length(max=255)]
    )
    report_symbol = StringField(
        _l("Chữ viết tắt trong số, ký hiệu văn bản"),
        validators=[
            Optional(),
            Length(max=32),
            Regexp(r"^[0-9A-Za-zĐđ.-]+$", message=_l("Chỉ gồm chữ không dấu (và Đ), số, dấu chấm, gạch ngang.")),
        ],
    )
    report_place = StringField(_l("Địa danh ghi trước ngày tháng"), validators=[Optional(), Length(max=100)])
    signer_authority = StringField(_l("Thẩm quyền ký (TM., KT., TL., TUQ.)"), validators=[Optional(), Length(max=100)])
    signer_title = StringField(_l("Chức vụ người ký"), validators=[Optional(), Length(max=100)])
    signer_name = StringField(_l("Họ và tên người ký"), validators=[Optional(), Length(max=255)])
    report_recipients = TextAreaField(_l("Nơi nhận (mỗi dòng một nơi)"), validators=[Optional(), Length(max=2000)])

    def report_settings(self) -> dict[str, str | None]:
        return {name: self[name].data for name in REPORT_FIELDS}


class UnitForm(ReportSettingsForm):
    code = StringField(
        _l("Mã đơn vị"),
        validators=[
            _required,
            Length(max=32),
            Regexp(r"^[0-9A-Za-z._-]+$", message=_l("Mã chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang.")),
        ],
    )
    name = StringField(_l("Tên đơn vị"), validators=[_required, Length(max=255)])
    kind = SelectField(_l("Loại"), choices=[SelectChoice(k.value, label) for k, label in UNIT_KIND_LABELS.items()])
    parent_id = SelectField(_l("Đơn vị cấp trên"), coerce=int)
    is_active = BooleanField(_l("Đang hoạt động"), default=True)


class DivisionImportForm(Form):
    province_code = SelectField(_l("Tỉnh, thành phố"), coerce=int)


class CommitteeForm(ReportSettingsForm):
    code = StringField(_l("Mã cấp ủy"), validators=[_required, Length(max=32)])
    name = StringField(_l("Tên cấp ủy"), validators=[_required, Length(max=255)])
    kind = SelectField(_l("Loại"), choices=[SelectChoice(k.value, label) for k, label in COMMITTEE_KIND_LABELS.items()])
    unit_id = SelectField(_l("Gắn với đơn vị"), coerce=int)
    overseen_ids = SelectMultipleField(
        _l("Các đơn vị do cấp ủy phụ trách"),
        coerce=int,
        validators=[DataRequired(_l("Chọn ít nhất một đơn vị."))],
    )


class UserForm(Form):
    full_name = StringField(_l("Họ và tên"), validators=[_required, Length(max=255)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=255)])
    phone = StringField(_l("Số điện thoại"), validators=[Optional(), Length(max=20)])
    unit_id = SelectField(_l("Đơn vị"), coerce=int)
    position = StringField(_l("Chức vụ"), validators=[Optional(), Length(max=255)])
    is_active = BooleanField(_l("Tài khoản đang hoạt động"), default=True)
    password = PasswordField(
        _l("Mật khẩu mới (để trống nếu không đổi)"),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, message=_l("Mật khẩu cần ít nhất %(min)d ký tự."))],
    )


class RoleForm(Form):
    role = SelectField(_l("Vai trò"), choices=[SelectChoice(r.value, _l(label)) for r, label in ROLE_LABELS.items()])
    unit_id = SelectField(_l("Đơn vị áp dụng"), coerce=int)
    committee_id = SelectField(_l("Cấp ủy áp dụng"), coerce=int)


class StaffImportForm(Form):
    file = FileField(
        _l("Tệp CSV danh sách"),
        validators=[FileRequired(_l("Vui lòng chọn tệp.")), FileAllowed(["csv", "txt"], _l("Chỉ nhận tệp .csv."))],
    )


class HolidayForm(Form):
    day = DateField(_l("Ngày nghỉ"), validators=[DataRequired(_l("Hãy chọn một ngày hợp lệ."))])
    name = StringField(_l("Tên ngày nghỉ"), validators=[_required, Length(max=200)])


class DayField(StringField):
    """A day typed as dd/mm/yyyy (ISO yyyy-mm-dd accepted too); ``day`` holds it once valid."""

    day: date | None = None

    def pre_validate(self, form) -> None:
        self.day = None
        if self.data and self.data.strip():
            try:
                self.day = parse_date(self.data)
            except ValueError:
                raise ValidationError(_l("Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy.")) from None


def _id_or_zero(value) -> int:
    """A row id from the query string; anything else (letters, "²", 40 digits) means no filter."""
    return parse_id(str(value)) or 0


class AuditFilterForm(Form):
    """The audit log's filters, read from the query string; a field that fails filters nothing."""

    class Meta:
        csrf = False

    actor_id = SelectField(_l("Người thực hiện"), coerce=_id_or_zero, default=0, validate_choice=False)
    action = SelectField(_l("Thao tác"), default="", validate_choice=False)
    since = DayField(_l("Từ ngày"))
    until = DayField(_l("Đến ngày"))
