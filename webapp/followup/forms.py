from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from surveys.models import RecommendationKind, SourceKind

from ..forms import Form
from ..labels import RECOMMENDATION_KIND_LABELS, SOURCE_KIND_LABELS

_required = DataRequired(_l("Trường này là bắt buộc."))


class RecommendationForm(Form):
    title = StringField(_l("Tiêu đề kiến nghị"), validators=[_required, Length(max=255)])
    content = TextAreaField(
        _l("Nội dung (tóm tắt bằng lời của cán bộ, không chép nguyên văn thông tin cá nhân)"),
        validators=[_required, Length(max=5000)],
    )
    kind = SelectField(
        _l("Loại"),
        choices=[SelectChoice(k.value, v) for k, v in RECOMMENDATION_KIND_LABELS.items()],
        default=RecommendationKind.OPINION.value,
    )
    source_kind = SelectField(
        _l("Nguồn"),
        choices=[SelectChoice(k.value, v) for k, v in SOURCE_KIND_LABELS.items()],
        default=SourceKind.MEETING.value,
    )
    source_detail = StringField(_l("Chi tiết nguồn (hội nghị, ngày, người chuyển…)"), validators=[Length(max=500)])
    owner_unit_id = SelectField(_l("Đơn vị tiếp nhận"), coerce=int)
    topic = SelectField(_l("Chủ đề"), choices=[])
    is_public = BooleanField(_l("Công khai kết quả giải quyết trên trang “Bạn nói — chúng tôi làm”"), default=True)


class ActionForm(Form):
    unit_id = SelectField(_l("Đơn vị"), coerce=int, validators=[Optional()])
    forwarded_to = StringField(_l("Cơ quan có thẩm quyền (ngoài hệ thống)"), validators=[Length(max=255)])
    due = DateField(_l("Hạn trả lời"), validators=[Optional()])
    note = TextAreaField(_l("Nội dung, ghi chú"), validators=[Length(max=5000)])
    public = BooleanField(_l("Công khai nội dung trả lời"), default=True)
