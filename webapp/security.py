"""Log-in wiring and the permission checks every blueprint uses (the policy itself: ``surveys.access``)."""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import Flask, abort, current_app, request
from flask_babel import gettext
from flask_login import current_user, login_required

from surveys import access, people
from surveys.models import User

from .extensions import db, login_manager

T = TypeVar("T")


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    # Session and remember-me cookies name "<id>:<nonce>"; log-out or a new password changes the nonce.
    return people.user_for_session(db.session, session_id)


def permission_required(name: str) -> Callable:
    """Signed-in users who can hold permission ``name`` (``surveys.access``); others get 403.

    This is the route's gate; the object a route works on is checked by ``get_permitted``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not access.can(current_user, name):
                abort(403)
            return view(*args, **kwargs)

        wrapped.permission = name
        return wrapped

    return decorator


def get_permitted(model: type[T], object_id: int, permission: str) -> T:
    """The object, or 404 when it does not exist and 403 when the current user lacks ``permission`` on it."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    if not access.can(current_user, permission, obj):
        abort(403)
    return obj


def offered(choices: dict[int, T], chosen: int | None) -> T:
    """What a form's drop-down chose, which must be one of the ``choices`` it offered (those within
    the person's permission); 403 for anything else a crafted request might send."""
    if chosen not in choices:
        abort(403)
    return choices[chosen]


def _security_headers(response):
    # Everything is served from this origin: no CDN, no inline script.
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint and not request.endpoint.endswith("static") and current_user.is_authenticated:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.localize_callback = gettext
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    app.after_request(_security_headers)
    app.jinja_env.globals["can"] = lambda name, obj=None: access.can(current_user, name, obj)
