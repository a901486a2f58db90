"""The unit picker (issue 14, item 1), in a real browser: every drop-down of units becomes a
searchable tree that ignores tone marks, shows each match with the units above it, offers "and
all below" in a multiple choice, works by keyboard, lists only the units in the person's scope,
and without JavaScript the drop-down itself still works."""

from factories import PASSWORD, pick_unit
from sqlalchemy import select

from surveys.models import Role, Survey, UnitKind
from surveys.org import create_unit


def _log_in(page, email: str) -> None:
    page.goto("/login")
    page.fill("#login", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboard")


def _wards(session, world) -> None:
    create_unit(session, code="MX", name="Phường Minh Xuân", kind=UnitKind.WARD, parent=world.P)
    create_unit(session, code="NT", name="Phường Nông Tiến", kind=UnitKind.WARD, parent=world.P)
    create_unit(session, code="DD", name="Xã Đạo Đức", kind=UnitKind.COMMUNE, parent=world.P)
    session.commit()


def test_search_without_tone_marks_all_below_and_keyboard(page, world, session, axe):
    _wards(session, world)
    _log_in(page, world.users[Role.ADMIN].email)
    page.goto("/surveys/new")
    page.fill("#title", "Khảo sát chọn đơn vị")
    units = page.locator("#unit_ids + .unit-picker")
    assert page.locator("#unit_ids").is_hidden()
    axe(page, "survey form with unit pickers")

    units.locator("input[type=search]").fill("minh xuan")
    shown = units.locator("li:not([hidden]) > label")
    assert [t.strip() for t in shown.all_inner_texts()] == ["Tỉnh Thử", "Phường Minh Xuân"]
    assert units.get_by_text("1 đơn vị").is_visible()
    units.locator("input[type=search]").fill("DAO DUC")  # upper case, no tone marks, đ as d
    assert [t.strip() for t in shown.all_inner_texts()] == ["Tỉnh Thử", "Xã Đạo Đức"]

    # "And all below": Sở A with its department.
    units.locator("input[type=search]").fill("so a")
    units.get_by_role("button", name="Chọn Sở A và mọi đơn vị trực thuộc").click()
    # By keyboard: type, Arrow Down to the match, Space to tick it.
    search = units.locator("input[type=search]")
    search.fill("")
    search.press_sequentially("nong tien")
    search.press("ArrowDown")
    page.keyboard.press("Space")
    assert units.get_by_label("Phường Nông Tiến", exact=True).is_checked()

    pick_unit(page, "#owner_unit_id", "Tỉnh Thử", search="tinh thu")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã tạo khảo sát.").wait_for()
    session.commit()
    survey = session.scalar(select(Survey).where(Survey.title == "Khảo sát chọn đơn vị"))
    assert survey.owner_unit_id == world.P.id
    assert sorted(u.name for u in survey.units) == ["Công đoàn Sở A", "Phòng A1", "Phường Nông Tiến", "Sở A"]


def test_only_units_in_scope_are_offered(page, world, session):
    _wards(session, world)
    _log_in(page, world.users[Role.AUTHOR].email)  # an author of Sở A
    page.goto("/surveys/new")
    offered = page.locator("#unit_ids + .unit-picker li > label").all_inner_texts()
    assert [t.strip() for t in offered] == ["Sở A", "Phòng A1", "Công đoàn Sở A"]


def test_without_javascript_the_drop_down_is_the_picker(browser, live_server, world, session):
    _wards(session, world)
    context = browser.new_context(base_url=live_server, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    _log_in(page, world.users[Role.ADMIN].email)
    page.goto("/surveys/new")
    assert page.locator(".unit-picker").count() == 0 and page.locator("#unit_ids").is_visible()
    page.fill("#title", "Không có JavaScript")
    page.select_option("#owner_unit_id", str(world.A.id))
    page.select_option("#unit_ids", [str(world.A.id), str(world.B.id)])
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã tạo khảo sát.").wait_for()
    context.close()
    session.commit()
    survey = session.scalar(select(Survey).where(Survey.title == "Không có JavaScript"))
    assert sorted(u.name for u in survey.units) == ["Sở A", "Sở B"]
