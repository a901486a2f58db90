from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from surveys.people import MIN_PASSWORD_LENGTH

from ..forms import Form


class LoginForm(Form):
    login = StringField(
        _l("E-mail hoặc số điện thoại"), validators=[DataRequired(_l("Vui lòng nhập e-mail hoặc số điện thoại."))]
    )
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Vui lòng nhập mật khẩu."))])
    remember = BooleanField(_l("Ghi nhớ đăng nhập trên máy này"))


class NewPasswordForm(Form):
    """A new password, typed twice: set through a reset link."""

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


class PasswordChangeForm(NewPasswordForm):
    current = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Vui lòng nhập mật khẩu hiện tại."))])


class ForgotPasswordForm(Form):
    email = StringField(
        _l("E-mail của tài khoản"),
        validators=[
            DataRequired(_l("Vui lòng nhập e-mail.")),
            Regexp(r"^[^@\s]+@[^@\s]+$", message=_l("E-mail không hợp lệ.")),
            Length(max=254, message=_l("E-mail không hợp lệ.")),
        ],
    )
