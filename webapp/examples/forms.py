from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from surveys.models import ExampleKind

from ..forms import Form

_required = DataRequired(_l("Trường này là bắt buộc."))
KIND_LABELS = {ExampleKind.MODEL: _l("Mô hình “Dân vận khéo”"), ExampleKind.EXEMPLAR: _l("Điển hình “Dân vận khéo”")}


class ExampleForm(Form):
    title = StringField(_l("Tên mô hình, điển hình"), validators=[_required, Length(max=255)])
    kind = SelectField(_l("Loại"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()])
    unit_id = SelectField(_l("Đơn vị, địa bàn"), coerce=int)
    description = TextAreaField(_l("Cách làm và kết quả"), validators=[_required, Length(max=10_000)])
    recommendation_ids = SelectMultipleField(_l("Kiến nghị và kết quả liên quan"), coerce=int, choices=[])
    publish = BooleanField(_l("Công bố trên trang công khai"), default=True)
