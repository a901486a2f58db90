"""The follow link (issue 15, item 7), in a real browser: after a submission through each channel
(a staff web form, a public link, a personal invitation) the thank-you page hands over the
respondent's private follow link and a code to write down, once; both open the follow page,
which lists the recommendations the answer fed into. Staff find theirs in "Ý kiến của tôi"."""

import re
from datetime import date

import pytest
from factories import PASSWORD, make_survey, pick_unit
from sqlalchemy import select

from surveys import authoring, recommendations, release
from surveys.models import Answer, PendingResponse, RecommendationKind, Response, Role, SourceKind, UnitKind
from surveys.org import create_unit

CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def _answer_and_get_code(page, axe, you: str, *, unit_label: str | None = None) -> tuple[str, str]:
    """Answers the standard three questions from the introduction on; returns the code and the link shown."""
    if unit_label:
        pick_unit(page, "#unit_id", unit_label, search="minh xuan")
    if page.locator("#consent").count():  # a survey that keeps who answered asks for consent first
        page.check("#consent")
    page.get_by_role("button", name="Bắt đầu").click()
    page.locator("input[name=q_q1][value='co']").check()
    page.fill("#q_q3", "Mong cơ quan bố trí thêm chỗ để xe.")
    page.get_by_role("button", name="Gửi câu trả lời").click()
    page.get_by_text(f"Cảm ơn {you} đã trả lời!").wait_for()  # one form of address for the survey's audience
    assert "bạn" not in page.locator("main").inner_text()
    axe(page, "thank-you page")
    code = page.locator("#follow-code").inner_text().strip()
    link = page.locator("#follow-link").get_attribute("href")
    assert CODE.match(code), code
    assert link.endswith(f"/follow/{code}")
    # Shown once: a reload of the thank-you page no longer holds it.
    page.reload()
    page.get_by_text(f"Cảm ơn {you} đã trả lời!").wait_for()
    assert page.locator("#follow-code").count() == 0
    return code, link


def _raise_from(session, response_id: int, unit, title: str) -> None:
    answers = session.scalars(select(Answer).where(Answer.response_id == response_id)).all()
    recommendations.create(
        session,
        title=title,
        content="Tổng hợp từ ý kiến.",
        kind=RecommendationKind.OPINION,
        source_kind=SourceKind.ANSWERS,
        owner_unit=unit,
        actor=None,
        today=date(2026, 11, 20),
        survey=answers[0].response.survey,
        answers=answers,
    )
    session.commit()


@pytest.mark.parametrize("channel", ["staff", "public", "invitation"])
def test_each_channel_hands_over_a_follow_link_and_code(channel, page, browser, live_server, world, session, axe):
    author = world.users[Role.AUTHOR]
    if channel == "staff":
        survey = make_survey(session, owner=world.A, units=[world.A], author=author, anonymity="confidential")
        page.goto("/login")
        page.fill("#login", world.users[Role.STAFF].email)
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/dashboard")
        page.goto(f"/answer/{survey.id}")
        code, link = _answer_and_get_code(page, axe, "anh/chị")
    elif channel == "public":
        ward = create_unit(session, code="W1", name="Phường Minh Xuân", kind=UnitKind.WARD, parent=world.P)
        other = create_unit(session, code="W2", name="Phường Nông Tiến", kind=UnitKind.WARD, parent=world.P)
        survey = make_survey(session, owner=world.A, units=[ward, other], author=author, audience="citizens")
        page.goto(f"/s/{survey.public_token}")
        code, link = _answer_and_get_code(page, axe, "ông/bà", unit_label=ward.name)
    else:
        survey = make_survey(session, owner=world.A, units=[], author=author, audience="invited")
        [(_, token)] = authoring.create_invitations(session, survey, [("Khách mời", "")], author)
        session.commit()
        page.goto(f"/i/{token}")
        code, link = _answer_and_get_code(page, axe, "anh/chị")

    session.commit()
    # An anonymous answer waits for k of its unit (surveys/release.py); a test shortcut releases it alone.
    for waiting in session.scalars(select(PendingResponse).where(PendingResponse.survey_id == survey.id)).all():
        release.release_cell(session, survey, waiting.unit_id, [waiting], date.today())
    session.commit()
    [response] = session.scalars(select(Response).where(Response.survey_id == survey.id)).all()
    _raise_from(session, response.id, world.A, "Bố trí thêm chỗ để xe")

    # The link opens the follow page, from another browser too (nothing but the code is needed).
    stranger = browser.new_context(base_url=live_server, locale="vi-VN").new_page()
    stranger.goto(link)
    stranger.get_by_role("heading", name="Bố trí thêm chỗ để xe").wait_for()
    assert "Mong cơ quan bố trí" not in stranger.content()  # the answer itself is never shown
    axe(stranger, "follow page")
    # The code written down on paper, typed in lower case with spaces, finds the same page.
    stranger.goto("/follow")
    axe(stranger, "enter a code")
    stranger.fill("#code", code.lower().replace("-", " "))
    stranger.get_by_role("button", name="Xem").click()
    stranger.get_by_role("heading", name="Bố trí thêm chỗ để xe").wait_for()
    stranger.context.close()


def test_staff_find_their_non_anonymous_answers_in_my_opinions(page, world, session, axe):
    from factories import submit

    staff = world.users[Role.STAFF]
    named = make_survey(session, owner=world.A, units=[world.A], title="Khảo sát có ghi tên", anonymity="identified")
    hidden = make_survey(session, owner=world.A, units=[world.A], title="Khảo sát ẩn danh")
    response = submit(session, named, {"q1": "co", "q3": "Cần thêm máy tính."}, respondent=staff)
    submit(session, hidden, {"q1": "khong"}, respondent=staff)
    _raise_from(session, response.id, world.A, "Trang bị thêm máy tính")
    page.goto("/login")
    page.fill("#login", staff.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboard")
    page.get_by_role("link", name="Ý kiến của tôi").click()
    page.get_by_role("heading", name="Khảo sát có ghi tên").wait_for()
    assert page.get_by_text("Trang bị thêm máy tính").is_visible()
    assert "Khảo sát ẩn danh" not in page.content()
    axe(page, "Ý kiến của tôi")
