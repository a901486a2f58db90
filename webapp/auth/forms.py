from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from surveys.people import MIN_PASSWORD_LENGTH

from ..forms import Form


class LoginForm(Form):
    login = StringField(
        _l("E-mail hoặc số điện thoại"), validators=[DataRequired(_l("Vui lòng nhập e-mail hoặc số điện thoại."))]
    )
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Vui lòng nhập mật khẩu."))])
    remember = BooleanField(_l("Ghi nhớ đăng nhập trên máy này"))


class PasswordChangeForm(Form):
    current = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Vui lòng nhập mật khẩu hiện tại."))])
    new = PasswordField(
        _l("Mật khẩu mới"),
        validators=[
            DataRequired(_l("Vui lòng nhập mật khẩu mới.")),
            Length(min=MIN_PASSWORD_LENGTH, message=_l("Mật khẩu cần ít nhất %(min)d ký tự.")),
        ],
    )
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"), validators=[EqualTo("new", _l("Hai lần nhập mật khẩu mới không khớp."))]
    )
