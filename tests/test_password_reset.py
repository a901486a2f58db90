"""Forgotten passwords (issue 14, item 5): a one-time link valid 30 minutes, sent through the
outbox to a real local SMTP server; the page never says whether an address has an account;
the link is built from BASE_URL, never from the request's Host header."""

import re
from datetime import timedelta

from factories import PASSWORD, login
from sqlalchemy import func, select

from surveys import people
from surveys.models import OutboxEmail, Role, utcnow
from webapp.scheduler import send_queued_mail

NEW_PASSWORD = "mat-khau-moi-2026"
SENT = "một thư có đường dẫn đặt lại mật khẩu vừa được gửi"


def _deliver(app, session, smtp_server) -> list:
    session.commit()
    with app.app_context():
        from webapp.extensions import db

        send_queued_mail(app, db.session)
        db.session.commit()
    return smtp_server.messages


def _link(message) -> str:
    [link] = re.findall(r"https?://\S+/reset-password/\S+", message.get_body(("plain",)).get_content())
    return link


def test_a_forgotten_password_is_reset_through_a_real_smtp_server(app, page, world, session, smtp_server, axe):
    staff = world.users[Role.STAFF]
    page.goto("/login")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    axe(page, "forgot password")
    page.fill("#email", staff.email.upper())
    page.get_by_role("button", name="Gửi đường dẫn đặt lại mật khẩu").click()
    page.get_by_text(SENT).wait_for()
    axe(page, "forgot password, sent")

    [message] = _deliver(app, session, smtp_server)
    assert message["To"] == staff.email and "Đặt lại mật khẩu" in message["Subject"]
    link = _link(message)
    assert link.startswith(app.config["BASE_URL"])
    path = link[len(app.config["BASE_URL"]) :]

    page.goto(path)
    axe(page, "reset password")
    page.fill("#new", NEW_PASSWORD)
    page.fill("#confirm", "khong-khop-nhau-123")
    page.get_by_role("button", name="Đặt mật khẩu mới").click()
    page.get_by_text("Hai lần nhập mật khẩu mới không khớp.").wait_for()
    axe(page, "reset password, with an error")
    page.fill("#new", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    page.get_by_role("button", name="Đặt mật khẩu mới").click()
    page.get_by_text("Đã đặt mật khẩu mới. Vui lòng đăng nhập.").wait_for()

    page.fill("#login", staff.email)
    page.fill("#password", NEW_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboard")

    # One time only: the same link again is spent.
    page.goto(path)
    page.get_by_text("Đường dẫn này đã hết hạn hoặc đã được dùng.").wait_for()
    axe(page, "spent reset link")


def test_the_answer_never_says_whether_an_address_has_an_account(app, client, world, session):
    known = client.post("/forgot-password", data={"email": world.users[Role.STAFF].email}).get_data(as_text=True)
    unknown = client.post("/forgot-password", data={"email": "khong-co@thu.vn"}).get_data(as_text=True)
    assert SENT in known and SENT in unknown

    # The CSRF token carries a timestamp: two pages a second apart differ there, and only there.
    def page(text: str, address: str) -> str:
        return re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "", text.replace(address, "X"))

    assert page(known, world.users[Role.STAFF].email) == page(unknown, "khong-co@thu.vn")
    session.commit()
    assert session.scalar(select(func.count()).select_from(OutboxEmail)) == 1


def test_the_link_comes_from_base_url_not_from_the_host_header(app, client, world, session, smtp_server):
    client.post("/forgot-password", data={"email": world.users[Role.STAFF].email}, headers={"Host": "ke-gian.example"})
    [message] = _deliver(app, session, smtp_server)
    assert "ke-gian.example" not in message.get_body(("plain",)).get_content()
    assert _link(message).startswith(app.config["BASE_URL"])


def test_a_link_expires_after_30_minutes_and_dies_with_a_password_change(app, world, session):
    staff = world.users[Role.STAFF]
    code = people.password_reset_code(staff, now=utcnow() - timedelta(minutes=29))
    assert people.user_for_reset_code(session, code) == staff
    old = people.password_reset_code(staff, now=utcnow() - timedelta(minutes=31))
    assert people.user_for_reset_code(session, old) is None
    tampered = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert people.user_for_reset_code(session, tampered) is None
    for junk in ("", "1", "x.y.z", f"{staff.id}.zz.{code.rsplit('.', 1)[1]}", "9" * 40 + ".1.a"):
        assert people.user_for_reset_code(session, junk) is None
    people.set_password(session, staff, NEW_PASSWORD, actor=None)
    session.commit()
    assert people.user_for_reset_code(session, code) is None


def test_requests_are_limited_per_account_and_per_address(app, client, world, session):
    email = world.users[Role.STAFF].email
    for _ in range(5):
        assert client.post("/forgot-password", data={"email": email}).status_code == 200
    session.commit()
    # One message per account every ten minutes however often it is asked for.
    assert session.scalar(select(func.count()).select_from(OutboxEmail)) == 1
    assert login(client, email, PASSWORD).status_code == 302  # the old password still works meanwhile
    # Ten requests an hour from one address: the eleventh sends nothing, whatever the account.
    for _ in range(5):
        client.post("/forgot-password", data={"email": "khong-co@thu.vn"})
    page = client.post("/forgot-password", data={"email": world.users[Role.AUTHOR].email}).get_data(as_text=True)
    assert SENT in page
    session.commit()
    assert session.scalar(select(func.count()).select_from(OutboxEmail)) == 1
