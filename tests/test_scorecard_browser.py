"""In a real browser: a respondent rates the answer their opinion led to, from their follow
page; a committee member reads the scorecard of the units their committee oversees."""

from datetime import timedelta

from factories import PASSWORD, make_survey, submit
from sqlalchemy import select

from surveys import recommendations
from surveys.models import RecommendationKind, Role, SatisfactionRating, SourceKind
from surveys.timeutil import local_today


def test_a_respondent_rates_the_answer_and_the_committee_reads_the_scorecard(page, world, session):
    today = local_today()
    survey = make_survey(session, owner=world.A, units=[world.A])
    response = submit(
        session, survey, {"q1": "khong", "q3": "Đề nghị sửa máy tính"}, respondent=world.users[Role.STAFF]
    )
    head = world.users[Role.UNIT_HEAD]
    item = recommendations.create(
        session,
        title="Sửa máy tính phòng A1",
        content="Cán bộ đề nghị sửa máy tính.",
        kind=RecommendationKind.OPINION,
        source_kind=SourceKind.ANSWERS,
        owner_unit=world.A,
        actor=head,
        today=today,
        survey=survey,
        answers=list(response.answers),
    )
    recommendations.act(session, item, "classify", head, today=today)
    recommendations.act(session, item, "assign", head, unit=world.A1, due=today + timedelta(days=5), today=today)
    recommendations.act(session, item, "resolve", head, note="Đã thay máy tính mới.", today=today)
    session.commit()

    page.goto(f"/follow/{response.receipt}")
    page.get_by_text("Ông/bà có hài lòng với kết quả giải quyết?").wait_for()
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.get_by_text("Cảm ơn ông/bà đã đánh giá.").wait_for()
    session.commit()
    assert session.scalar(select(SatisfactionRating.score)) == 4

    page.goto("/login")
    page.fill("#login", world.users[Role.COMMITTEE_MEMBER].email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboard")
    page.get_by_role("link", name="Đánh giá").click()
    first = page.locator("#scorecard tbody tr").first
    assert first.locator("td").nth(0).inner_text() == "1" and "Phòng A1" in first.inner_text()
    assert "1 / 1 / 0" in first.inner_text()
    assert page.locator("#scorecard-trend thead th").count() == 5  # the unit and four quarters
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
