"""Sessions that end on the server, revocable API tokens, and a log-in lock-out nobody can turn
against an account's owner (issue 13, finding 8)."""

from datetime import UTC, datetime, timedelta

from factories import PASSWORD
from sqlalchemy import event, select

from surveys import lockout, people
from surveys.models import ApiToken, AuditEntry, Role
from surveys.timeutil import local_today
from webapp.extensions import db

NEW_PASSWORD = "mat-khau-moi-dai-hon"


def _login(client, who: str, password: str = PASSWORD, address: str = "127.0.0.1", **form):
    return client.post(
        "/login", data={"login": who, "password": password, **form}, environ_base={"REMOTE_ADDR": address}
    )


def _copy_cookies(app, source, *names):
    """A second browser holding copies of ``source``'s cookies, as a thief would."""
    thief = app.test_client()
    for name in names:
        thief.set_cookie(name, source.get_cookie(name).value)
    return thief


def _signed_in(client) -> bool:
    return client.get("/dashboard").status_code == 200


def test_a_session_cookie_copied_before_log_out_no_longer_works(app, world):
    client = world.login_as(app.test_client(), Role.UNIT_HEAD)
    thief = _copy_cookies(app, client, "session")
    assert _signed_in(thief)
    client.post("/logout")
    assert not _signed_in(client)
    assert not _signed_in(thief), "the cookie of a logged-out session was accepted"


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, world, session):
    here = world.login_as(app.test_client(), Role.STAFF)
    elsewhere = world.login_as(app.test_client(), Role.STAFF)
    stolen = _copy_cookies(app, here, "session")
    response = here.post("/account", data={"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Các phiên đăng nhập trên máy khác đã kết thúc." in here.get("/account").get_data(as_text=True)
    assert _signed_in(here)
    assert not _signed_in(elsewhere) and not _signed_in(stolen)


def test_an_administrator_setting_a_password_ends_that_persons_sessions(app, world):
    staff = world.login_as(app.test_client(), Role.STAFF)
    admin = world.login_as(app.test_client(), Role.ADMIN)
    user = world.users[Role.STAFF]
    admin.post(
        f"/admin/users/{user.id}/edit",
        data={
            "full_name": user.full_name,
            "email": user.email,
            "unit_id": str(user.unit_id),
            "is_active": "y",
            "password": NEW_PASSWORD,
        },
    )
    assert not _signed_in(staff)
    assert _signed_in(admin)


def test_a_remember_me_cookie_replayed_after_log_out_is_refused(app, world):
    client = app.test_client()
    assert _login(client, "unit_head@thu.vn", remember="y").status_code == 302
    assert client.get_cookie("remember_token") is not None
    before = _copy_cookies(app, client, "remember_token")
    assert _signed_in(before), "a remember-me cookie alone signs in (before log-out)"
    client.post("/logout")
    replayed = _copy_cookies(app, before, "remember_token")
    assert not _signed_in(replayed), "a remember-me cookie still worked after log-out"


def test_a_stolen_remember_me_cookie_dies_with_a_password_change(app, world):
    client = app.test_client()
    _login(client, "staff@thu.vn", remember="y")
    stolen = _copy_cookies(app, client, "remember_token")
    client.post("/account", data={"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert not _signed_in(stolen)
    kept = _copy_cookies(app, client, "remember_token")
    assert _signed_in(kept), "the browser that changed the password keeps its remember-me cookie"


# ---- log-in lock-out ------------------------------------------------------------------------


def test_successful_log_ins_from_one_address_are_never_counted(app, world):
    """One office behind one address: 40 correct log-ins in a row all succeed."""
    for _ in range(40):
        client = app.test_client()
        assert _login(client, "staff@thu.vn", address="203.0.113.7").status_code == 302


def test_a_lock_on_one_address_does_not_keep_the_owner_out_from_another(app, world):
    attacker, owner = app.test_client(), app.test_client()
    for _ in range(app.config["LOGIN_ATTEMPTS_PER_ACCOUNT"]):
        assert _login(attacker, "unit_head@thu.vn", "doan-mo-mat-khau", address="198.51.100.9").status_code == 200
    locked = _login(attacker, "unit_head@thu.vn", address="198.51.100.9")
    assert locked.status_code == 429 and "quá nhiều lần" in locked.get_data(as_text=True)
    assert int(locked.headers["Retry-After"]) > 0
    assert _login(owner, "unit_head@thu.vn", address="192.0.2.44").status_code == 302


def test_the_wait_doubles_with_every_further_failure_and_success_clears_it(app, session):
    policy = lockout.LoginPolicy(free_failures=3, first_wait=timedelta(seconds=30), longest_wait=timedelta(minutes=5))
    now = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    account, address = "user:1", "198.51.100.9"
    waits = []
    for _ in range(8):
        lockout.record_failure(session, account, address, policy, now=now)
        until = lockout.locked_until(session, account, address, policy, now=now)
        waits.append((until - now).total_seconds() if until else 0)
        now = until or now
    assert waits == [0, 0, 30, 60, 120, 240, 300, 300]
    assert lockout.locked_until(session, account, "192.0.2.44", policy, now=now) is None
    lockout.record_success(session, account, address)
    assert lockout.locked_until(session, account, address, policy, now=now) is None


def test_failures_from_one_address_across_accounts_are_limited_coarsely(app, world):
    limit = app.config["LOGIN_ATTEMPTS_PER_ADDRESS"]
    client = app.test_client()
    for number in range(limit):
        _login(client, f"khong-co-{number}@thu.vn", "sai", address="198.51.100.20")
    assert _login(client, "unit_head@thu.vn", address="198.51.100.20").status_code == 429
    assert _login(app.test_client(), "unit_head@thu.vn", address="192.0.2.44").status_code == 302


def test_guessing_the_current_password_on_the_account_page_is_locked_out_too(app, world):
    client = world.login_as(app.test_client(), Role.STAFF)
    for _ in range(app.config["LOGIN_ATTEMPTS_PER_ACCOUNT"]):
        client.post("/account", data={"current": "doan-thu", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    page = client.post("/account", data={"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert "quá nhiều lần" in page.get_data(as_text=True)
    assert _login(app.test_client(), "staff@thu.vn").status_code == 429  # the same account and address
    elsewhere = app.test_client()
    assert _login(elsewhere, "staff@thu.vn", NEW_PASSWORD, address="192.0.2.44").status_code == 200  # unchanged
    assert _login(elsewhere, "staff@thu.vn", address="192.0.2.44").status_code == 302


# ---- API tokens -------------------------------------------------------------------------------


def _token(session, user, name="Phần mềm một cửa") -> str:
    token = people.create_api_token(session, user, name)
    session.commit()
    return token


def test_a_person_lists_and_revokes_their_own_tokens(app, world, session):
    staff = world.users[Role.STAFF]
    token = _token(session, staff)
    bearer = {"Authorization": f"Bearer {token}"}
    client = world.login_as(app.test_client(), Role.STAFF)
    assert client.get("/api/v1/surveys", headers=bearer).status_code == 200
    page = client.get("/account").get_data(as_text=True)
    assert "Phần mềm một cửa" in page and "Thu hồi" in page and local_today().strftime("%d/%m/%Y") in page
    token_id = session.scalar(select(ApiToken.id))
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    assert client.get("/api/v1/surveys", headers=bearer).status_code == 401
    assert "Đã thu hồi ngày" in client.get("/account").get_data(as_text=True)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "api_token.revoke"))
    assert entry.actor_id == staff.id and entry.details["token_id"] == token_id


def test_nobody_revokes_someone_elses_token_from_their_account_page(app, world, session):
    _token(session, world.users[Role.STAFF])
    token_id = session.scalar(select(ApiToken.id))
    client = world.login_as(app.test_client(), Role.UNIT_HEAD)
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 403
    assert session.scalar(select(ApiToken.revoked_at)) is None


def test_the_administrator_revokes_a_users_token(app, world, session):
    staff = world.users[Role.STAFF]
    token = _token(session, staff, "Máy chủ báo cáo")
    token_id = session.scalar(select(ApiToken.id))
    admin = world.login_as(app.test_client(), Role.ADMIN)
    assert "Máy chủ báo cáo" in admin.get(f"/admin/users/{staff.id}/edit").get_data(as_text=True)
    assert admin.post(f"/admin/users/{staff.id}/tokens/{token_id}/revoke").status_code == 302
    assert app.test_client().get("/api/v1/surveys", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "api_token.revoke"))
    assert entry.actor_id == world.users[Role.ADMIN].id and entry.object_id == staff.id
    log = admin.get("/admin/audit").get_data(as_text=True)
    assert "Thu hồi mã truy cập API" in log and "Máy chủ báo cáo" in log


def test_a_token_keeps_only_the_day_it_was_used_written_once_a_day(app, world, session):
    token = _token(session, world.users[Role.STAFF])
    client = app.test_client()
    writes, commits = [], []
    with app.app_context():
        engine = db.engine

    def seen(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE API_TOKENS"):
            writes.append(statement)

    def committed(conn):
        commits.append(conn)

    event.listen(engine, "before_cursor_execute", seen)
    event.listen(engine, "commit", committed)
    try:
        per_call = []
        for _ in range(3):
            before = (len(writes), len(commits))
            assert client.get("/api/v1/surveys", headers={"Authorization": f"Bearer {token}"}).status_code == 200
            per_call.append((len(writes) - before[0], len(commits) - before[1]))
    finally:
        event.remove(engine, "before_cursor_execute", seen)
        event.remove(engine, "commit", committed)
    assert per_call == [(1, 1), (0, 0), (0, 0)], "only the day's first call writes, and nothing else commits"
    session.expire_all()
    assert session.scalar(select(ApiToken.last_used_on)) == local_today()
    assert "last_used_at" not in ApiToken.__table__.c
