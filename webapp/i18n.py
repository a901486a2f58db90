"""Locale (Vietnamese first, English second), dates as dd/mm/yyyy in Vietnam time."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, session
from flask_babel import force_locale, format_number, get_locale, gettext
from flask_login import current_user

from surveys.errors import DomainError
from surveys.timeutil import format_date, format_datetime

from .extensions import babel


def select_locale() -> str:
    """The language the person chose with the switch (this session, else their account), or
    Vietnamese. The browser's Accept-Language is never consulted: the surveys, documents and
    mail are Vietnamese, and an interface that followed the browser would wrap them in English."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return "vi"


def domain_message(error: DomainError) -> str:
    """The DomainError's message in the reader's language."""
    text = gettext(error.message)
    return text % error.params if error.params else text


@contextmanager
def mail_context(app: Flask) -> Iterator[None]:
    """Where the scheduler renders mail: links absolute to BASE_URL, text in Vietnamese."""
    with app.test_request_context("/", base_url=app.config["BASE_URL"]), force_locale("vi"):
        yield


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Asia/Ho_Chi_Minh")
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["date_vn"] = format_date
    app.jinja_env.filters["datetime_vn"] = format_datetime
    app.jinja_env.filters["num"] = format_number  # 5.000 in Vietnamese, 5,000 in English
    app.jinja_env.globals["translate_message"] = lambda message, params=None: (
        gettext(message) % params if params else gettext(message)
    )
