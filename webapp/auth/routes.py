import math
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from surveys import audit, lockout, mail, people, ratelimit
from surveys.models import ApiToken, User, utcnow

from ..extensions import db
from ..forms import EmptyForm
from ..security import get_permitted
from . import bp
from .forms import ForgotPasswordForm, LoginForm, NewPasswordForm, PasswordChangeForm

HOUR = timedelta(hours=1)


def _safe_next(target: str | None) -> str | None:
    # Only same-site relative paths: never an open redirect.
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


def login_policy() -> lockout.LoginPolicy:
    config = current_app.config
    return lockout.LoginPolicy(
        free_failures=config["LOGIN_ATTEMPTS_PER_ACCOUNT"],
        first_wait=config["LOGIN_FIRST_WAIT"],
        longest_wait=config["LOGIN_LONGEST_WAIT"],
        failures_per_address=config["LOGIN_ATTEMPTS_PER_ADDRESS"],
        address_window=config["LOGIN_WINDOW"],
    )


def _seconds_until(until: datetime) -> int:
    return max(1, math.ceil((until - utcnow()).total_seconds()))


def _wait_message(until: datetime) -> str:
    minutes = math.ceil(_seconds_until(until) / 60)
    return _("Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(n)s phút.", n=minutes)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    policy, address = login_policy(), request.remote_addr or ""
    account = people.login_key(db.session, form.login.data)
    # Only failures count, per account and address: nobody can lock an account's owner out from elsewhere.
    until = lockout.locked_until(db.session, account, address, policy)
    if until is not None:
        flash(_wait_message(until), "error")
        return render_template("auth/login.html", form=form), 429, {"Retry-After": str(_seconds_until(until))}
    user = people.authenticate(db.session, form.login.data, form.password.data)
    if user is None:
        lockout.record_failure(db.session, account, address, policy)
        flash(_("E-mail/số điện thoại hoặc mật khẩu không đúng."), "error")
        return render_template("auth/login.html", form=form), 200
    lockout.record_success(db.session, account, address)
    audit.record(db.session, user, "auth.login", user)
    session.clear()  # a fresh session on log-in defeats session fixation
    login_user(user, remember=form.remember.data)
    session.permanent = True
    return redirect(_safe_next(request.args.get("next")) or url_for("main.dashboard"))


@bp.post("/logout")
@login_required
def logout():
    # Server-side: every session and remember-me cookie of this account stops working, copies included.
    people.end_sessions(current_user)
    audit.record(db.session, current_user, "auth.logout", current_user)
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("main.home"))


def _stay_signed_in(user: User) -> None:
    """After a new password, this browser keeps its session (under the new nonce); all others lose theirs."""
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    login_user(user, remember=remembered)


def _change_password(form: PasswordChangeForm) -> bool:
    policy, address, account = login_policy(), request.remote_addr or "", people.account_key(current_user)
    until = lockout.locked_until(db.session, account, address, policy)
    if until is not None:
        form.current.errors.append(_wait_message(until))
        return False
    if people.authenticate(db.session, current_user.email or current_user.phone, form.current.data) is None:
        lockout.record_failure(db.session, account, address, policy)
        form.current.errors.append(_("Mật khẩu hiện tại không đúng."))
        return False
    user = current_user._get_current_object()  # Flask-Login must be given the user, not the proxy
    people.set_password(db.session, user, form.new.data, actor=user)
    _stay_signed_in(user)
    return True


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordChangeForm()
    if form.validate_on_submit() and _change_password(form):
        flash(_("Đã đổi mật khẩu. Các phiên đăng nhập trên máy khác đã kết thúc."), "success")
        return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html", form=form, tokens=people.api_tokens_of(db.session, current_user), revoke_form=EmptyForm()
    )


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    api_token = get_permitted(ApiToken, token_id, "api_tokens.revoke")
    if not EmptyForm().validate_on_submit():
        abort(400)
    people.revoke_api_token(db.session, api_token, actor=current_user)
    flash(_("Đã thu hồi mã truy cập “%(name)s”.", name=api_token.name), "success")
    return redirect(url_for("auth.account"))


RESETS_PER_ADDRESS_PER_HOUR = 10


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    """The page "Quên mật khẩu": the same answer whether or not the address has an account, and the mail
    goes through the outbox (one per account every ten minutes, ten requests an hour per address)."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/forgot.html", form=form, sent=False)
    address = request.remote_addr or ""
    if ratelimit.hit(db.session, f"password-reset:{address}", limit=RESETS_PER_ADDRESS_PER_HOUR, window=HOUR):
        user = people.find_by_login(db.session, form.email.data)
        if user is not None and user.is_active and user.email:
            _send_reset_link(user)
    return render_template("auth/forgot.html", form=form, sent=True)


def _send_reset_link(user: User) -> None:
    code = people.password_reset_code(user)
    # From BASE_URL, never from the request's Host header, which a stranger could set.
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("auth.reset_password", code=code)
    with force_locale("vi"):  # mail is Vietnamese whatever language the page was read in
        mail.enqueue(
            db.session,
            dedupe_key=f"password-reset:{user.id}:{int(utcnow().timestamp()) // 600}",
            to=user.email,
            subject=_("Đặt lại mật khẩu — Lắng nghe ý kiến"),
            text=render_template("auth/reset_email.txt", user=user, link=link, minutes=30),
            user_id=user.id,
        )


@bp.route("/reset-password/<code>", methods=["GET", "POST"])
def reset_password(code: str):
    user = people.user_for_reset_code(db.session, code)
    if user is None:
        return render_template("auth/reset.html", form=None), 410
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/reset.html", form=form)
    people.set_password(db.session, user, form.new.data, actor=user)  # spends the link, ends every session
    if current_user.is_authenticated:
        logout_user()
    flash(_("Đã đặt mật khẩu mới. Vui lòng đăng nhập."), "success")
    return redirect(url_for("auth.login"))


@bp.post("/language/<code>")
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["locale"] = code
    if current_user.is_authenticated:  # remembered on the account for the next log-in too
        current_user.locale = code
    return redirect(_safe_next(request.form.get("next")) or url_for("main.home"))
