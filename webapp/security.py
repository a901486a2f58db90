"""Log-in wiring, role checks and scope checks used by every blueprint."""
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import Flask, abort, current_app, request
from flask_babel import gettext
from flask_login import current_user, login_required

from surveys import access, people
from surveys.models import Role, Unit, User

from .extensions import db, login_manager

T = TypeVar("T")


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    # Session and remember-me cookies name "<id>:<nonce>"; log-out or a new password changes the nonce.
    return people.user_for_session(db.session, session_id)


def roles_required(*roles: Role) -> Callable:
    """Signed-in users holding any of ``roles`` (administrators always pass); others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(Role.ADMIN, *roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset({Role.ADMIN, *roles})
        return wrapped

    return decorator


def get_permitted(model: type[T], object_id: int, permitted: Callable[[User, T], bool]) -> T:
    """The object, or 404 when it does not exist and 403 when ``permitted`` refuses the current user."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    if not permitted(current_user, obj):
        abort(403)
    return obj


def require_readable(unit: Unit | None) -> Unit:
    """404 for a missing unit, 403 for one outside the reader's scope."""
    if unit is None:
        abort(404)
    if not access.can_read_unit(current_user, unit):
        abort(403)
    return unit


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
