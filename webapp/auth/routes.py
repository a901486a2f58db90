from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from surveys import audit, people, ratelimit

from ..extensions import db
from . import bp
from .forms import LoginForm, PasswordChangeForm


def _safe_next(target: str | None) -> str | None:
    # Only same-site relative paths: never an open redirect.
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        config = current_app.config
        login_key = form.login.data.strip().lower()
        # Both counters advance on every attempt: one slows guessing from an address, the other against an account.
        address_ok = ratelimit.hit(
            db.session, f"login:addr:{request.remote_addr}",
            limit=config["LOGIN_ATTEMPTS_PER_ADDRESS"], window=config["LOGIN_WINDOW"],
        )
        account_ok = ratelimit.hit(
            db.session, f"login:acct:{login_key}",
            limit=config["LOGIN_ATTEMPTS_PER_ACCOUNT"], window=config["LOGIN_WINDOW"],
        )
        db.session.commit()
        if not (address_ok and account_ok):
            minutes = int(config["LOGIN_WINDOW"].total_seconds() // 60)
            flash(_("Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(n)s phút.", n=minutes), "error")
            return render_template("auth/login.html", form=form), 429
        user = people.authenticate(db.session, form.login.data, form.password.data)
        if user is None:
            db.session.commit()
            flash(_("E-mail/số điện thoại hoặc mật khẩu không đúng."), "error")
            return render_template("auth/login.html", form=form), 200
        ratelimit.reset(db.session, f"login:acct:{login_key}")
        audit.record(db.session, user, "auth.login", user)
        db.session.commit()
        session.clear()  # a fresh session on log-in defeats session fixation
        login_user(user, remember=form.remember.data)
        session.permanent = True
        return redirect(_safe_next(request.args.get("next")) or url_for("main.dashboard"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("main.home"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if people.authenticate(db.session, current_user.email or current_user.phone, form.current.data) is None:
            form.current.errors.append(_("Mật khẩu hiện tại không đúng."))
        else:
            people.set_password(db.session, current_user, form.new.data, actor=current_user)
            db.session.commit()
            flash(_("Đã đổi mật khẩu."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


@bp.post("/language/<code>")
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["locale"] = code
    if current_user.is_authenticated:  # remembered on the account for the next log-in too
        current_user.locale = code
        db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("main.home"))
