"""Log-in, sessions, CSRF and rate limiting."""

import re

import pytest
from factories import PASSWORD, login
from sqlalchemy import select

from surveys.models import AuditEntry, Role


def test_login_lands_on_the_dashboard_and_is_audited(app, world, session):
    client = app.test_client()
    response = login(client, "unit_head@thu.vn", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Xin chào, Người unit_head" in page and "Sở A" in page
    assert session.scalar(select(AuditEntry.action).where(AuditEntry.action == "auth.login")) == "auth.login"


def test_wrong_password_gets_one_vietnamese_message_for_both_unknown_and_known_accounts(app, world):
    client = app.test_client()
    for who in ("unit_head@thu.vn", "khong-co@thu.vn"):
        page = login(client, who, "sai-mat-khau-roi").get_data(as_text=True)
        assert "E-mail/số điện thoại hoặc mật khẩu không đúng." in page
        assert f'value="{who}"' in page  # what was typed is kept


def test_session_cookie_is_hardened(app, world):
    client = app.test_client()
    response = login(client, "unit_head@thu.vn", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        cookie = login(app.test_client(), "unit_head@thu.vn", PASSWORD).headers["Set-Cookie"]
        assert "Secure" in cookie
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_login_is_rate_limited_per_account(app, world):
    client = app.test_client()
    limit = app.config["LOGIN_ATTEMPTS_PER_ACCOUNT"]
    for _ in range(limit):
        assert login(client, "unit_head@thu.vn", "sai-mat-khau-roi").status_code == 200
    blocked = login(client, "unit_head@thu.vn", PASSWORD)  # even the right password waits
    assert blocked.status_code == 429
    assert "quá nhiều lần" in blocked.get_data(as_text=True)
    # Another account from the same address is not blocked by this account's counter.
    assert login(app.test_client(), "inspector@thu.vn", PASSWORD).status_code == 302


def test_login_is_rate_limited_per_address(app, world):
    app.config["LOGIN_ATTEMPTS_PER_ADDRESS"] = 3
    try:
        client = app.test_client()
        for who in ("a@thu.vn", "b@thu.vn", "c@thu.vn"):
            assert login(client, who, "x").status_code == 200
        assert login(client, "unit_head@thu.vn", PASSWORD).status_code == 429
    finally:
        app.config["LOGIN_ATTEMPTS_PER_ADDRESS"] = 20


def test_forms_refuse_posts_without_a_csrf_token(app, world):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = login(client, "unit_head@thu.vn", PASSWORD)
        assert response.status_code == 400
        assert "phiên làm việc đã hết hạn" in response.get_data(as_text=True)
        assert client.get("/dashboard").status_code == 302  # not logged in
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/login", data={"login": "unit_head@thu.vn", "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_next_parameter_never_redirects_off_site(app, world, target):
    response = app.test_client().post(f"/login?next={target}", data={"login": "unit_head@thu.vn", "password": PASSWORD})
    assert response.headers["Location"] == "/dashboard"


def test_next_parameter_returns_to_the_page_asked_for(app, world):
    client = app.test_client()
    response = client.get(f"/units/{world.A.id}")
    assert "/login?next=" in response.headers["Location"]
    response = client.post(response.headers["Location"], data={"login": "unit_head@thu.vn", "password": PASSWORD})
    assert response.headers["Location"] == f"/units/{world.A.id}"


def test_logout_ends_the_session(app, world):
    client = world.login_as(app.test_client(), Role.UNIT_HEAD)
    client.post("/logout")
    assert client.get("/dashboard").status_code == 302


def test_logout_makes_the_old_session_cookie_useless(app, world):
    client = world.login_as(app.test_client(), Role.UNIT_HEAD)
    stolen = client.get_cookie("session").value  # what someone copied while the person was signed in
    assert client.get("/dashboard").status_code == 200
    client.post("/logout")
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/dashboard").status_code == 302


def test_deactivated_account_loses_its_session(app, world, session):
    client = world.login_as(app.test_client(), Role.UNIT_HEAD)
    world.users[Role.UNIT_HEAD].is_active = False
    session.commit()
    assert client.get("/dashboard").status_code == 302


def test_password_change_checks_the_current_password(app, world):
    client = world.login_as(app.test_client(), Role.STAFF)
    page = client.post("/account", data={"current": "sai", "new": "mat-khau-moi-dai", "confirm": "mat-khau-moi-dai"})
    assert "Mật khẩu hiện tại không đúng." in page.get_data(as_text=True)
    client.post("/account", data={"current": PASSWORD, "new": "mat-khau-moi-dai", "confirm": "mat-khau-moi-dai"})
    client.post("/logout")
    assert login(client, "staff@thu.vn", "mat-khau-moi-dai").status_code == 302


def test_english_is_the_second_locale(app, client):
    client.post("/language/en")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    client.post("/language/vi")
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)
