"""The results page a leader reads: question text (never keys), a section per page of the survey,
a summary strip saying what is counted, active filters as removable chips, each chart's numbers as
an accessible table, and a print stylesheet that fits A4."""

import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from factories import PASSWORD, make_aspirations_survey
from lxml import html

from surveys.models import Role


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return html.fromstring(response.get_data(as_text=True))


def _text(element) -> str:
    return " ".join(element.text_content().split())


def test_questions_by_text_in_sections_per_page(app, client, world, session):
    survey = make_aspirations_survey(session, world)
    world.login_as(client, Role.UNIT_HEAD)
    page = _page(client, f"/surveys/{survey.id}/results")

    sections = [_text(h) for h in page.xpath("//section[@class='results-section']/h2")]
    assert sections == ["Phần 1", "Phần 2", "Phần 3"]
    questions = [_text(h) for h in page.xpath("//section[contains(@class, 'question-result')]/h3")]
    assert questions[:2] == [
        "Câu 1. Anh/chị thuộc nhóm nào?",
        "Câu 2. Mức độ hài lòng chung của anh/chị với công việc hiện tại",
    ]
    keys = [q.key for q in survey.current_version.questions]
    headings = [_text(h) for h in page.xpath("//h1|//h2|//h3|//h4|//caption|//th")]
    assert not [h for h in headings for key in keys if key in h.split()], "a question key is shown"
    assert "vi_tri" not in _text(page.body) and "hai_long_chung" not in _text(page.body)
    # The strip says what is counted: respondents, period, scope, filters.
    assert _text(page.get_element_by_id("total-responses")) == "12"
    assert _text(page.get_element_by_id("summary-scope")) == "Sở A"
    assert _text(page.get_element_by_id("summary-filters")) == "không có"
    assert _text(page.get_element_by_id("summary-period")).startswith("từ ")


def test_every_chart_has_its_numbers_as_a_table(app, client, world, session):
    survey = make_aspirations_survey(session, world)
    world.login_as(client, Role.UNIT_HEAD)
    page = _page(client, f"/surveys/{survey.id}/results")
    figures = page.xpath("//figure[@class='chart-figure']")
    assert len(figures) >= 10  # sentiment, kind, topic; single, rating, six matrix rows, likert, multiple…
    for figure in figures:
        [svg] = figure.xpath("svg")
        assert svg.get("aria-hidden") == "true"
        [table] = figure.xpath("table")
        assert _text(table.xpath("caption")[0])
        assert {th.get("scope") for th in table.xpath(".//thead//th")} == {"col"}
        rows = table.xpath("tbody/tr")
        assert rows and all(row.xpath("th[@scope='row']") for row in rows)
    [satisfied] = [f for f in figures if "Anh/chị thuộc nhóm nào?" in _text(f.xpath("table/caption")[0])]
    counts = {_text(r.xpath("th")[0]): _text(r.xpath("td")[0]) for r in satisfied.xpath("table/tbody/tr")}
    assert counts["Cán bộ, công chức"] == "4" and counts["Viên chức"] == "4" and counts["Lãnh đạo, quản lý"] == "0"


def test_active_filters_are_chips_that_remove_themselves(app, client, world, session):
    survey = make_aspirations_survey(session, world)
    world.login_as(client, Role.UNIT_HEAD)
    url = f"/surveys/{survey.id}/results?unit={world.A1.id}&from=2020-01-01&sentiment=negative&topic=&q="
    page = _page(client, url)
    chips = page.xpath("//li[@class='chip']")
    assert [_text(c.xpath("span")[0]) for c in chips] == [
        "Đơn vị: Phòng A1",
        "Từ ngày: 01/01/2020",
        "Sắc thái: Tiêu cực",
    ]
    assert _text(page.get_element_by_id("summary-filters")) == "3 bộ lọc đang áp dụng"
    assert _text(page.get_element_by_id("summary-scope")) == "Phòng A1"
    remaining = [set(parse_qs(urlsplit(c.xpath("a")[0].get("href")).query)) for c in chips]
    assert remaining == [{"from", "sentiment"}, {"unit", "sentiment"}, {"unit", "from"}]
    assert all(_text(c.xpath("a")[0]) == "Bỏ lọc" for c in chips)
    assert page.get_element_by_id("filter-note") is not None
    # A value the page does not offer is no filter, and is never shown back.
    page = _page(client, f"/surveys/{survey.id}/results?sentiment=<b>x</b>&kind=zzz&topic=nope")
    assert not page.xpath("//li[@class='chip']")
    assert _text(page.get_element_by_id("summary-filters")) == "không có"


def test_sections_take_their_heading_from_an_opening_text_block(session, world):
    from factories import make_survey

    from surveys import results

    questions = [
        {"key": "gioi_thieu", "kind": "text_block", "text": "Thông tin chung", "page": 1},
        {"key": "q1", "kind": "rating", "text": "Chấm điểm", "page": 1},
        {"key": "q2", "kind": "rating", "text": "Chấm điểm lần nữa", "page": 2},
    ]
    survey = make_survey(session, owner=world.A, units=[world.A], questions=questions)
    by_key = {q.key: results.QuestionResult(q) for q in survey.current_version.questions if q.kind != "text_block"}
    sections = results.sections_of(survey.current_version.questions, by_key)
    assert [(s.number, s.title, [q.number for q in s.questions]) for s in sections] == [
        (1, "Thông tin chung", [1]),
        (2, None, [2]),
    ]


@pytest.mark.parametrize("role", [Role.UNIT_HEAD, Role.COMMITTEE_MEMBER])
def test_results_page_in_a_browser_and_on_a4(app, world, session, page, axe, role):
    survey = make_aspirations_survey(session, world)
    page.goto("/login")
    page.fill("#login", world.users[role].email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboard")
    page.goto(f"/surveys/{survey.id}/results?sentiment=negative")
    page.get_by_role("heading", name="Câu 1. Anh/chị thuộc nhóm nào?").wait_for()
    axe(page)
    # The strip stays in view at the top while the reader scrolls to the last section.
    page.locator("#section-3").scroll_into_view_if_needed()
    assert abs(page.locator("#summary").bounding_box()["y"]) < 2
    # A chip removes its filter.
    page.get_by_role("link", name="Bỏ lọc Sắc thái: Tiêu cực").click()
    page.wait_for_url(lambda url: "sentiment" not in url)
    assert page.locator("#summary-filters").inner_text() == "không có"

    page.emulate_media(media="print")
    assert page.locator("#summary").evaluate("e => getComputedStyle(e).position") == "static"
    assert page.locator("#filter-form").is_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "pts (A4)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 1 <= pages <= 8, pages
    text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode().split()
    )
    for expected in ("Người trả lời", "Phần 3", "Câu 1. Anh/chị thuộc nhóm nào?", "Tâm tư, nguyện vọng của anh/chị"):
        assert expected in text
    for hidden in ("Bỏ lọc", "Tải CSV", "Đăng xuất"):
        assert hidden not in text
