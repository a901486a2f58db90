"""In a real browser: an officer of the Front raises a recommendation to the area it supervises
and follows it until it is answered, without being able to change it."""

from datetime import timedelta

from factories import PASSWORD
from sqlalchemy import select

from surveys import recommendations
from surveys.models import Recommendation, Role, SourceKind
from surveys.timeutil import local_today


def test_front_officer_raises_and_follows_a_recommendation(page, world, session):
    page.goto("/login")
    page.fill("#login", world.users[Role.FRONT_OFFICER].email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboard")
    page.get_by_role("link", name="Giám sát").click()
    page.get_by_text("Địa bàn giám sát: Sở A").wait_for()
    page.get_by_role("link", name="Gửi kiến nghị, ý kiến tổng hợp").click()
    page.fill("#title", "Bố trí phòng nghỉ trưa cho người lao động")
    page.fill("#content", "Công đoàn tổng hợp ý kiến đoàn viên: cần phòng nghỉ trưa cho người lao động ở xa.")
    page.locator("#owner_unit_id").evaluate("(el, v) => { el.value = v; }", str(world.A.id))  # behind the unit picker
    page.get_by_role("button", name="Tiếp nhận").click()
    page.get_by_text("Đã tiếp nhận kiến nghị.").wait_for()
    assert page.get_by_role("button", name="Xác định thuộc thẩm quyền").count() == 0  # follows, never acts

    session.commit()
    item = session.scalar(select(Recommendation))
    assert item.source_kind == SourceKind.ORGANISATION and item.owner_unit_id == world.A.id
    head, today = world.users[Role.UNIT_HEAD], local_today()
    recommendations.act(session, item, "classify", head, today=today)
    recommendations.act(session, item, "assign", head, unit=world.A1, due=today + timedelta(days=10), today=today)
    recommendations.act(session, item, "resolve", head, note="Đã bố trí phòng nghỉ tầng 2.", today=today)
    session.commit()

    page.get_by_role("link", name="Giám sát").click()
    row = page.locator("#supervised tbody tr").first
    assert "Đã giải quyết" in row.inner_text() and "Đã bố trí phòng nghỉ tầng 2." in row.inner_text()
    assert "Trả lời đúng hạn\n1 (100%)" in page.locator("#supervision-figures").inner_text()
    row.get_by_role("link", name="Bố trí phòng nghỉ trưa cho người lao động").click()
    page.get_by_text("Đã bố trí phòng nghỉ tầng 2.").first.wait_for()
    assert page.locator("form[action$='/resolve']").count() == 0
