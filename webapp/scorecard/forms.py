from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectChoice
from wtforms.validators import InputRequired, NumberRange

from surveys.scorecard import COMPONENT_LABELS, COMPONENTS

from ..forms import Form

_weight = [InputRequired(_l("Trường này là bắt buộc.")), NumberRange(min=0, max=100, message=_l("Từ 0 đến 100."))]
SCORES = [
    SelectChoice("1", _l("Rất không hài lòng")),
    SelectChoice("2", _l("Không hài lòng")),
    SelectChoice("3", _l("Bình thường")),
    SelectChoice("4", _l("Hài lòng")),
    SelectChoice("5", _l("Rất hài lòng")),
]


class WeightsForm(Form):
    """One weight per component, built from ``COMPONENTS`` (see ``weights_form``)."""


def weights_form() -> WeightsForm:
    class Form(WeightsForm):
        pass

    for component in COMPONENTS:
        setattr(Form, component, IntegerField(_l(COMPONENT_LABELS[component]), validators=_weight))
    return Form()


class RatingForm(Form):
    score = RadioField(
        _l("Ông/bà có hài lòng với kết quả giải quyết?"),
        choices=SCORES,
        validators=[InputRequired(_l("Hãy chọn một mức."))],
    )
