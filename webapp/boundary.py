"""The request boundary: one transaction per request, and the one place where an error
becomes what the reader sees.

- **Transaction.** What a request changed is committed once, after its view returned a
  response (a request that only read commits nothing); an exception anywhere rolls it back.
  Views never commit.
- **Refusals.** A ``DomainError`` (a rule of the domain refused the request) becomes:
  under ``/api/v1``, the JSON error ``{"error": code, "message": text}`` with the status its
  kind calls for; on a page posted to, the same page again, its form holding what was typed
  and the message shown (the view runs a second time and ``submitted(form)`` is False), or,
  for a view marked ``@redirect_on_refusal``, its page with the message; otherwise the error
  page with the message.
- **HTTP errors.** Every error under ``/api/v1`` is the same JSON; pages get ``error.html``.
"""

from collections.abc import Callable
from urllib.parse import parse_qsl, unquote_to_bytes

from flask import Flask, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter
from wtforms import Field

from surveys.errors import DomainError, Malformed, NotAccepting, NotEligible, Throttled, ValidationFailed
from surveys.privacy import ConsentRequired
from surveys.text import MAX_ID

from .extensions import db
from .i18n import domain_message

API_PREFIX = "/api/v1"

# Each kind of refusal: its HTTP status and the API's error code. The most specific kind wins.
REFUSALS: dict[type[DomainError], tuple[int, str]] = {
    ValidationFailed: (422, "invalid"),
    ConsentRequired: (422, "invalid"),
    Malformed: (400, "bad_request"),
    NotEligible: (403, "forbidden"),
    NotAccepting: (410, "rejected"),
    Throttled: (429, "too_many_requests"),
    DomainError: (409, "rejected"),
}
# Refusals a person can put right on the page they posted: the page comes back with the message.
CORRECTABLE = frozenset({400, 409, 422})

API_ERRORS = {
    400: ("bad_request", _l("Yêu cầu không hợp lệ.")),
    401: ("unauthorized", _l("Thiếu hoặc sai mã truy cập (Authorization: Bearer …).")),
    403: ("forbidden", _l("Bạn không có quyền thực hiện thao tác này.")),
    404: ("not_found", _l("Không tìm thấy địa chỉ này.")),
    405: ("method_not_allowed", _l("Địa chỉ này không nhận phương thức %(method)s.")),
    409: ("rejected", _l("Yêu cầu bị từ chối.")),
    410: ("rejected", _l("Khảo sát hiện không nhận câu trả lời.")),
    413: ("too_large", _l("Nội dung gửi lên vượt quá 10 MB.")),
    422: ("invalid", _l("Dữ liệu gửi lên không hợp lệ.")),
    429: ("too_many_requests", _l("Quá nhiều yêu cầu. Vui lòng thử lại sau ít phút.")),
    500: ("server_error", _l("Hệ thống gặp sự cố. Dữ liệu đã gửi trước đó không bị mất; vui lòng thử lại sau.")),
}
# The statuses error.html has a title and a text for.
PAGE_ERRORS = frozenset({400, 403, 404, 405, 409, 410, 413, 422, 429, 500})


def refusal_status(error: DomainError) -> tuple[int, str]:
    return next(REFUSALS[kind] for kind in type(error).__mro__ if kind in REFUSALS)


def is_api_request() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def api_error(status: int, message: str | None = None, headers: dict | None = None, **extra) -> tuple:
    """The API's error body: ``{"error": code, "message": Vietnamese text, …}``."""
    code, default = API_ERRORS.get(status, API_ERRORS[500 if status >= 500 else 400])
    body = {"error": code, "message": message or str(default) % {"method": request.method}, **extra}
    headers = dict(headers or {}) | ({"WWW-Authenticate": "Bearer"} if status == 401 else {})
    return jsonify(body), status, headers


# ---- what views use -----------------------------------------------------------------------------


def refusal() -> DomainError | None:
    """The refusal this request met, while its view runs the second time to show it."""
    return g.get("refusal")


def submitted(form: FlaskForm, *, about: Field | None = None) -> bool:
    """True when ``form`` was posted and is valid, and its operation has not just been refused.

    After a refusal it is False, and the refusal's message is shown: under the field
    ``about`` when given, above the page otherwise."""
    error = refusal()
    if error is None:
        return form.validate_on_submit()
    if about is not None:
        about.errors = [*about.errors, domain_message(error)]
    else:
        flash(domain_message(error), "error")
    return False


def redirect_on_refusal(target: str | Callable[..., str], *args: str, anchor: str = "") -> Callable:
    """Mark a view that, when refused, goes back to a page with the message shown: the endpoint
    ``target`` with the view's arguments named in ``args`` (and ``anchor``), or ``target(**view_args)``."""

    def to_endpoint(**view_args) -> str:
        return url_for(target, **{name: view_args[name] for name in args}) + anchor

    def mark(view: Callable) -> Callable:
        view.refusal_target = to_endpoint if isinstance(target, str) else target
        return view

    return mark


class DatabaseId(IntegerConverter):
    """``<int:…>`` in every route: an id above what the database's integers hold is simply not found."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, *args, **({"min": 1, "max": MAX_ID} | kwargs))


def _decode_form_leniently() -> None:
    """Werkzeug drops a url-encoded body that is not UTF-8 whole, so the page would only say
    "required": decode it here instead, the bytes that are not UTF-8 becoming U+FFFD, which every
    text field refuses with its message (webapp.forms.readable_text) while keeping the rest."""
    if request.method != "POST" or request.mimetype != "application/x-www-form-urlencoded":
        return
    raw = request.get_data(cache=True)
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="replace")
        request.files  # noqa: B018 -- parse the body first, so the form set below is not parsed again
        request.form = ImmutableMultiDict(pairs)


# ---- the handlers -------------------------------------------------------------------------------


def _commit(response):
    """Commit what the request wrote, once; a request that only read commits nothing."""
    if not db.session.registry.has():
        return response
    session = db.session()
    if not (session.info.get(WROTE) or session.new or session.dirty or session.deleted):
        return response
    # The request is done: what it loaded stays readable, without a reload, for a body still
    # being streamed (an export reads on with a session of its own).
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    return response


# Whether the transaction under way wrote anything: flushed objects, or INSERT/UPDATE/DELETE
# statements run through the session (an upsert, a bulk update).
WROTE = "boundary.wrote"


def _wrote(session: Session, *_args) -> None:
    session.info[WROTE] = True


def _wrote_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _wrote(state.session)


def _transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the whole transaction, committed or rolled back; not a savepoint
        session.info.pop(WROTE, None)


def _refused(error: DomainError):
    db.session.rollback()
    status, _code = refusal_status(error)
    if is_api_request():
        fields = (
            {key: domain_message(e) for key, e in error.errors.items()} if isinstance(error, ValidationFailed) else {}
        )
        return api_error(status, domain_message(error), **({"fields": fields} if fields else {}))
    view = current_app.view_functions.get(request.endpoint)
    if status in CORRECTABLE and view is not None:
        target = getattr(view, "refusal_target", None)
        if target is not None:
            flash(domain_message(error), "error")
            return redirect(target(**request.view_args))
        if request.method == "POST" and refusal() is None:
            g.refusal = error
            return current_app.ensure_sync(view)(**request.view_args)
    return render_template("error.html", code=status, message=domain_message(error)), status


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:  # routing redirects travel as exceptions too
        return error
    db.session.rollback()
    if is_api_request():
        custom = error.description if error.description != type(error).description else None
        kept = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
        return api_error(error.code, custom, kept)
    if error.code in PAGE_ERRORS:
        return render_template("error.html", code=error.code), error.code
    return error


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseId
    for name, listener in (
        ("after_flush", _wrote),
        ("do_orm_execute", _wrote_statement),
        ("after_transaction_end", _transaction_ended),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
    app.before_request(_decode_form_leniently)
    app.after_request(_commit)
    app.register_error_handler(DomainError, _refused)
    app.register_error_handler(HTTPException, _http_error)
