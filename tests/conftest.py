"""Shared fixtures: a real database (SQLite, or PostgreSQL when DATABASE_URL says so),
migrated once per run with Alembic and emptied between tests; a live server and a
headless Chromium for browser tests."""

import os
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import World
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from surveys.db import ENGINE_OPTIONS, configure_engine
from surveys.models import Base

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    return url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """A database of our own for this run, so parallel runs never meet."""
    base = _postgres_url()
    if base is None:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory) -> Iterator[Flask]:
    os.environ["INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))
    # No scheduler tick of the suite (nor of the scheduler processes it starts) retrains the models;
    # tests/test_model_versions.py turns the weekly job on with small training data.
    os.environ["NLP_RETRAIN_CRON"] = ""
    from webapp import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            # Cheap hashing: the suite logs in thousands of times.
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST_KIB": 64,
        }
    )
    app.test_client_class = _TestClient
    with app.app_context():
        upgrade()
    yield app


@pytest.fixture(autouse=True)
def _empty_tables(request) -> Iterator[None]:
    """Every test starts from empty tables (only when it used the database)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    from webapp.extensions import db

    with app.app_context():
        db.session.remove()
        tables = [t.name for t in Base.metadata.sorted_tables]
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                # Self-referencing rows (the unit tree) are checked only at commit, when all are gone.
                connection.execute(text("PRAGMA defer_foreign_keys=ON"))
                for table in reversed(tables):
                    connection.execute(text(f"DELETE FROM {table}"))


_open_test_sessions: list[Session] = []


class _TestClient(FlaskClient):
    """Ends the test's own transaction before each request, so the request sees what the
    test wrote and the test's next read sees what the request wrote (SQLite snapshots)."""

    def open(self, *args, **kwargs):
        for session in _open_test_sessions:
            session.commit()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def test_engine(app, database_url):
    """The test's own connection pool, like another process's. Its SQLite transactions
    begin DEFERRED so a test reading data never holds the write lock the server needs."""
    engine = create_engine(database_url, **ENGINE_OPTIONS)
    configure_engine(engine, sqlite_begin="DEFERRED")
    yield engine
    engine.dispose()


@pytest.fixture
def session(test_engine) -> Iterator[Session]:
    """A session of the test's own, holding no application context open: test-client
    requests get their own context, session and ``g``, exactly as in production.
    In browser tests, call ``session.commit()`` before reading what the page changed."""
    with Session(test_engine) as session:
        _open_test_sessions.append(session)
        try:
            yield session
        finally:
            _open_test_sessions.remove(session)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world(session) -> World:
    """The small organisation of tests/factories.py: agencies A (with A1) and B, committee C, an account per role."""
    return World(session)


# ---- browser ---------------------------------------------------------------------------


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app on a real socket, with CSRF protection on as in production."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    app.config["WTF_CSRF_ENABLED"] = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe():
    """``axe(page)`` runs axe-core (WCAG 2.1 A and AA rules) on the page as it is and fails on any violation."""
    if not AXE.exists():  # a fresh checkout: install the pinned axe-core as `make install-test` does
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=AXE.parents[2], check=False)
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make install-test` runs npm ci")
    source = AXE.read_text()

    def check(page, context: str = "") -> None:
        page.evaluate(source + "\n;0")  # through the DevTools protocol: the app's CSP forbids inline scripts
        found = page.evaluate(
            "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations"
            ".map(v => v.id + ': ' + v.help + ' — ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
        )
        assert found == [], f"axe-core on {context or page.url}: {found}"

    return check


# ---- mail ------------------------------------------------------------------------------


class _Inbox:
    """Collects every message a real SMTP server on 127.0.0.1 receives.

    ``refused`` recipients get a permanent 550; ``before_accept``, when set, sees each message
    before the server accepts it and may refuse it by returning a reply such as "451 …"."""

    def __init__(self):
        self.messages = []
        self.refused: set[str] = set()
        self.before_accept = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        reply = self.before_accept(message) if self.before_accept else None
        if reply:
            return reply
        self.messages.append(message)
        return "250 OK"


@pytest.fixture
def smtp_server(app):
    """aiosmtpd listening on a free localhost port; the app is pointed at it."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {key: app.config[key] for key in ("SMTP_HOST", "SMTP_PORT")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    try:
        yield inbox
    finally:
        controller.stop()
        app.config.update(saved)
