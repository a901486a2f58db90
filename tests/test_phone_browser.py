"""Answering on a phone (issue 14, item 4), in Chromium at 390×844: a survey for one ward does
not ask for the ward; the matrix is one card per row with the scale's words in each card and no
sideways scrolling; a number question says its range and refuses decimals for a count; a long
answer is counted as it is typed, warned about before the limit and never cut; after an error,
focus is on the error summary, whose links lead to each field."""

from factories import make_survey
from sqlalchemy import select

from surveys.models import PendingResponse, Role, UnitKind
from surveys.org import create_unit

PHONE = {"width": 390, "height": 844}
QUESTIONS = [
    {
        "key": "dich_vu",
        "kind": "matrix",
        "text": "Đánh giá các mặt phục vụ của bộ phận một cửa",
        "rows": [
            {"key": "thai_do", "label": "Thái độ, tinh thần phục vụ của công chức tiếp nhận hồ sơ"},
            {"key": "thoi_gian", "label": "Thời gian chờ đợi"},
            {"key": "co_so", "label": "Cơ sở vật chất, chỗ ngồi chờ"},
        ],
        "required": True,
    },
    {
        "key": "so_nguoi",
        "kind": "number",
        "text": "Hộ gia đình có bao nhiêu người?",
        "validation": {"min": 1, "max": 20, "integer": True},
    },
    {"key": "y_kien", "kind": "long_text", "text": "Ý kiến, kiến nghị của ông/bà", "validation": {"max_length": 200}},
]


def test_a_citizen_answers_on_a_phone(browser, live_server, world, session, axe):
    ward = create_unit(session, code="MX", name="Phường Minh Xuân", kind=UnitKind.WARD, parent=world.P)
    survey = make_survey(
        session, owner=world.A, units=[ward], audience="citizens", questions=QUESTIONS, author=world.users[Role.AUTHOR]
    )
    context = browser.new_context(
        base_url=live_server, locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"/s/{survey.public_token}")
    # One ward: it is said, not asked.
    assert page.locator("#unit_id").count() == 0
    page.get_by_text("Khảo sát dành cho người dân Phường Minh Xuân.").wait_for()
    # A citizen is addressed as ông/bà, throughout (issue 14, item 7), and told the anonymity promise once.
    assert "ông/bà gửi" in page.locator("#anonymity-promise").inner_text()
    assert "bạn" not in page.locator("main").inner_text()
    page.get_by_role("button", name="Bắt đầu").click()

    # The matrix: one card per row, the ends' words inside each card, nothing wider than the screen.
    cards = page.locator("table.matrix tbody tr")
    assert cards.count() == 3
    assert page.locator("table.matrix thead").is_hidden()
    for index in range(3):
        card = cards.nth(index)
        assert card.evaluate("e => getComputedStyle(e).display") == "grid"
        assert card.get_by_text("Rất kém").is_visible() and card.get_by_text("Rất tốt").is_visible()
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe(page, "phone: the answering page")

    # The number says its range; the long answer its limit.
    page.get_by_text("Nhập số nguyên. Từ 1 đến 20.").wait_for()
    page.get_by_text("Tối đa 200 ký tự.").wait_for()
    page.fill("#q_so_nguoi", "3,5")
    long_answer = "Đề nghị bố trí thêm ghế chờ và quạt mát ở bộ phận một cửa. " * 5  # 295 characters
    page.fill("#q_y_kien", long_answer)
    counter = page.locator("#q_y_kien-counter")
    assert "Vượt quá 95 ký tự" in counter.inner_text()
    assert len(page.input_value("#q_y_kien")) == len(long_answer)  # never cut
    page.fill("#q_y_kien", long_answer[:185])
    assert "Còn 15 ký tự là tới giới hạn." in counter.inner_text()
    page.fill("#q_y_kien", long_answer)
    # Two of three rows answered, by tapping the cards' buttons.
    cards.nth(0).get_by_text("4").tap()
    cards.nth(1).get_by_text("Rất tốt").tap()
    page.get_by_role("button", name="Gửi câu trả lời").click()

    # Refused: focus on the summary, one link per question in error, everything kept as typed.
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    links = summary.get_by_role("link")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        "#question-dich_vu",
        "#question-so_nguoi",
        "#question-y_kien",
    ]
    assert "số nguyên" in summary.inner_text()
    assert page.input_value("#q_y_kien") == long_answer.strip()
    assert page.input_value("#q_so_nguoi") == "3,5"
    axe(page, "phone: the answering page with errors")
    links.nth(1).click()
    assert page.evaluate("location.hash") == "#question-so_nguoi"

    page.fill("#q_so_nguoi", "4")
    page.fill("#q_y_kien", "Đề nghị bố trí thêm ghế chờ.")
    cards.nth(2).get_by_text("Rất kém").tap()
    page.get_by_role("button", name="Gửi câu trả lời").click()
    page.get_by_text("Cảm ơn ông/bà đã trả lời!").wait_for()
    assert "bạn" not in page.locator("main").inner_text() and page.locator("#anonymity-promise").count() == 0
    axe(page, "phone: thank-you page")
    context.close()

    session.commit()
    # Anonymous: the answer waits for its batch (surveys/release.py), stored as submitted.
    [response] = session.scalars(select(PendingResponse).where(PendingResponse.survey_id == survey.id)).all()
    assert response.unit_id == ward.id
    keys = {q.id: q.key for q in survey.current_version.questions}
    values = {keys[a["question_id"]]: a["value"] for a in response.answers if a["value"] is not None}
    assert values["dich_vu"] == {"thai_do": 4, "thoi_gian": 5, "co_so": 1}
    assert values["so_nguoi"] == 4
