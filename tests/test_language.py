"""Vietnamese by default: the browser's Accept-Language never changes the interface; the
language switch does, remembered in the session and on the account; mail and documents
stay Vietnamese whatever the reader chose."""

import io

from docx import Document
from factories import PASSWORD, login, make_survey, make_unit_summary
from sqlalchemy import select

from surveys.models import OutboxEmail, Role

ENGLISH_BROWSER = {"Accept-Language": "en-US,en;q=0.9"}


def html_lang(response) -> str:
    page = response.get_data(as_text=True)
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def test_an_english_browser_gets_vietnamese(app, client):
    response = client.get("/", headers=ENGLISH_BROWSER)
    assert html_lang(response) == "vi"
    assert "Đăng nhập" in response.get_data(as_text=True)
    assert "Sign in" not in response.get_data(as_text=True)


def test_the_switch_chooses_english_for_the_session(app, client):
    client.post("/language/en", headers=ENGLISH_BROWSER)
    response = client.get("/", headers=ENGLISH_BROWSER)
    assert html_lang(response) == "en" and "Sign in" in response.get_data(as_text=True)
    client.post("/language/vi", headers=ENGLISH_BROWSER)
    assert html_lang(client.get("/", headers=ENGLISH_BROWSER)) == "vi"


def test_the_choice_is_remembered_on_the_account(app, world, session):
    first = world.login_as(app.test_client(), Role.STAFF)
    first.post("/language/en")
    session.refresh(world.users[Role.STAFF])
    assert world.users[Role.STAFF].locale == "en"
    # A new browser (no session cookie yet): Vietnamese until the person signs in.
    second = app.test_client()
    assert html_lang(second.get("/dashboard", headers=ENGLISH_BROWSER, follow_redirects=True)) == "vi"
    login(second, world.users[Role.STAFF].email, PASSWORD)
    assert html_lang(second.get("/dashboard")) == "en"


def test_mail_and_documents_stay_vietnamese_for_an_english_reader(app, world, session, client):
    survey = make_survey(session, owner=world.A, units=[world.A], audience="invited", author=world.users[Role.AUTHOR])
    summary = make_unit_summary(session, world.A, "2026-W48")
    world.login_as(client, Role.AUTHOR)
    client.post("/language/en")
    assert html_lang(client.get("/dashboard")) == "en"
    client.post(f"/surveys/{survey.id}/invitations", data={"people": "Nguyễn Văn Mời, moi@thu.vn"})
    [email] = session.scalars(select(OutboxEmail)).all()
    assert email.subject.startswith("Mời tham gia khảo sát") and "Kính gửi Nguyễn Văn Mời" in email.body_text
    response = client.get(f"/summaries/{summary.id}.docx")
    document = Document(io.BytesIO(response.data))
    assert "BÁO CÁO" in [p.text for p in document.paragraphs]
    assert document.tables[-1].rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"
