"""The page "Độ tin cậy của phân tích tự động" in a real browser: a reader opens it from a
survey's results and reads the figures per evaluation set and per class, the thresholds, the
data behind them and the known limits, from the card.json of the models in use."""

import json

from factories import PASSWORD, make_staff, make_survey, submit

import nlp
from nlp.training import MODELS_DIR
from surveys import tagging
from surveys.models import Role

TEXTS = [
    "Lương thấp, không đủ sống, mong được tăng phụ cấp.",
    "Đề nghị mở thêm lớp bồi dưỡng chuyển đổi số.",
    "Lãnh đạo lắng nghe, dân chủ, công khai minh bạch, tôi rất hài lòng.",
    "Khối lượng công việc quá nhiều sau khi sáp nhập, biên chế thiếu.",
    "Phòng làm việc chật chội, nóng bức vào mùa hè.",
]


def test_a_reader_opens_the_model_card_from_the_results_page(page, live_server, world, session):
    survey = make_survey(session, owner=world.A, units=[world.A])
    for person, text in zip(make_staff(session, world.A1, len(TEXTS)), TEXTS, strict=True):
        submit(session, survey, {"q1": "co", "q3": text}, respondent=person)
    tagging.tag_pending(session, nlp.load_tagger())
    card = json.loads((MODELS_DIR / "card.json").read_text(encoding="utf-8"))

    page.goto("/login")
    page.fill("#login", world.users[Role.COMMITTEE_MEMBER].email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboard")
    page.goto(f"/surveys/{survey.id}/results")
    page.click("#model-card-link")
    page.wait_for_url("**/surveys/analysis-reliability")
    assert page.get_by_role("heading", level=1).inner_text() == "Độ tin cậy của phân tích tự động"
    assert card["model_version"] in page.locator("#model-facts").inner_text()

    figures = page.locator("#figures")
    for entry in card["evaluation"].values():
        assert figures.get_by_role("heading", name=entry["description"]).is_visible()
    sentiment = card["evaluation"]["domain_eval"]["figures"]["sentiment"]
    row = figures.locator("table.figures").first.get_by_role("row", name="Sắc thái")
    assert f"{sentiment['accuracy'] * 100:.1f}%" in row.inner_text() and str(sentiment["n"]) in row.inner_text()
    figures.get_by_text("Sắc thái: tỷ lệ nhận ra đúng theo từng lớp").first.click()
    neutral = figures.get_by_role("row", name="Trung tính").first
    assert f"{sentiment['recall']['neutral'] * 100:.1f}%" in neutral.inner_text()

    threshold = card["tasks"]["sentiment"]["abstention"]["full"]["threshold"]
    assert f"{threshold * 100:.1f}%" in page.locator("#thresholds").inner_text()
    sources = page.locator("#data").inner_text()
    assert all(source["name"] in sources for source in card["data"]["sources"])
    assert card["limits"][0]["vi"] in page.locator("#limits").inner_text()
