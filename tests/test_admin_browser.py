"""A real browser logs in and walks the admin screens (Playwright, Debian's Chromium)."""

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

from factories import PASSWORD, pick_unit
from playwright.sync_api import expect
from sqlalchemy import select

from surveys import audit, org
from surveys.models import AuditEntry, Committee, Role, Unit, User


def _login(page, email):
    page.goto("/login")
    page.get_by_label("E-mail hoặc số điện thoại").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_admin_walks_units_committees_people_import_calendar_and_audit(page, world, session, tmp_path):
    _login(page, "admin@thu.vn")
    expect(page.get_by_role("heading", name="Xin chào, Người admin")).to_be_visible()

    page.get_by_role("link", name="Quản trị", exact=True).click()
    page.get_by_role("link", name="Đơn vị", exact=True).first.click()
    page.get_by_role("link", name="Thêm đơn vị").click()
    page.get_by_label("Mã đơn vị").fill("A2")
    page.get_by_label("Tên đơn vị").fill("Phòng Cải cách hành chính")
    page.get_by_label("Loại").select_option(label="Phòng, ban")
    pick_unit(page, "#parent_id", "Sở A")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu đơn vị Phòng Cải cách hành chính.")).to_be_visible()
    expect(page.get_by_role("cell", name="Phòng Cải cách hành chính", exact=True)).to_be_visible()

    # A form error keeps what was typed.
    page.get_by_role("link", name="Thêm đơn vị").click()
    page.get_by_label("Mã đơn vị").fill("mã có dấu")
    page.get_by_label("Tên đơn vị").fill("Tên vẫn còn")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Mã chỉ gồm chữ không dấu")).to_be_visible()
    expect(page.get_by_label("Tên đơn vị")).to_have_value("Tên vẫn còn")

    page.get_by_role("link", name="Cấp ủy", exact=True).click()
    page.get_by_role("link", name="Thêm cấp ủy").click()
    page.get_by_label("Mã cấp ủy").fill("CB.A2")
    page.get_by_label("Tên cấp ủy").fill("Chi bộ Phòng Cải cách hành chính")
    page.get_by_label("Loại").select_option(label="Chi bộ")
    pick_unit(page, "#unit_id", "Phòng Cải cách hành chính", search="cai cach")
    pick_unit(page, "#overseen_ids", "Phòng Cải cách hành chính", search="cai cach")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("cell", name="Chi bộ Phòng Cải cách hành chính (CB.A2)")).to_be_visible()

    page.get_by_role("link", name="Người dùng", exact=True).first.click()
    page.get_by_role("link", name="Thêm người dùng").click()
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hòa")
    page.get_by_label("E-mail").fill("hoa@thu.vn")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    pick_unit(page, "#unit_id", "Phòng Cải cách hành chính")
    page.get_by_label("Mật khẩu mới (để trống nếu không đổi)").fill("mat-khau-cua-hoa")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu tài khoản Nguyễn Thị Hòa.")).to_be_visible()
    page.get_by_label("Vai trò", exact=True).select_option(label="Thủ trưởng đơn vị")
    pick_unit(page, "#role-unit_id", "Phòng Cải cách hành chính", search="phong cai cach")
    page.get_by_role("button", name="Thêm vai trò").click()
    expect(page.get_by_text("Đã thêm vai trò.")).to_be_visible()

    csv_file = tmp_path / "danh-sach.csv"
    csv_file.write_text("ho_ten,email,dien_thoai,ma_don_vi\nLê Văn Cường,cuong@thu.vn,0987 654 321,A2\n", "utf-8")
    page.get_by_role("link", name="Nhập danh sách").click()
    page.get_by_label("Tệp CSV danh sách").set_input_files(str(csv_file))
    page.get_by_role("button", name="Nhập").click()
    expect(page.get_by_text("Đã nhập 1 tài khoản.")).to_be_visible()

    # The holiday calendar: the Labour Code's days are there; a day announced for Tết is added.
    page.get_by_role("link", name="Lịch nghỉ").click()
    page.get_by_role("link", name="Năm 2027 →").click()
    expect(page.get_by_role("heading", name="Lịch nghỉ năm 2027")).to_be_visible()
    # 1/5/2027 is a Saturday: Monday 3/5 is taken in lieu.
    expect(page.get_by_role("row", name="01/05/2027 Ngày Quốc tế lao động")).to_be_visible()
    expect(page.get_by_role("row", name="03/05/2027 Nghỉ bù Ngày Quốc tế lao động")).to_be_visible()
    page.get_by_label("Ngày nghỉ", exact=True).fill("2027-02-08")
    page.get_by_label("Tên ngày nghỉ").fill("Tết Đinh Mùi")
    page.get_by_role("button", name="Thêm ngày nghỉ").click()
    expect(page.get_by_text("Đã thêm ngày nghỉ 08/02/2027.")).to_be_visible()
    expect(page.get_by_role("row", name="08/02/2027 Tết Đinh Mùi")).to_be_visible()

    page.get_by_role("link", name="Nhật ký").click()
    expect(page.get_by_role("cell", name="Nhập danh sách cán bộ")).to_be_visible()
    expect(page.get_by_role("cell", name="Thêm ngày nghỉ")).to_be_visible()

    session.commit()  # a fresh snapshot of what the browser changed
    a2 = session.scalar(select(Unit).where(Unit.code == "A2"))
    assert a2.parent_id == world.A.id
    assert session.scalar(select(Committee).where(Committee.code == "CB.A2")).overseen_units == [a2]
    hoa = session.scalar(select(User).where(User.email == "hoa@thu.vn"))
    assert hoa.phone == "0912345678" and hoa.role_set == {Role.STAFF, Role.UNIT_HEAD}
    assert session.scalar(select(User).where(User.phone == "0987654321")).unit_id == a2.id
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.create", AuditEntry.object_id == a2.id))

    # The new unit head now reads her unit, and nothing else.
    page.get_by_role("button", name="Đăng xuất").click()
    page.goto("/login")
    page.get_by_label("E-mail hoặc số điện thoại").fill("0912345678")
    page.get_by_label("Mật khẩu").fill("mat-khau-cua-hoa")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Phòng Cải cách hành chính").click()
    expect(page.get_by_role("heading", name="Phòng Cải cách hành chính")).to_be_visible()
    assert page.goto(f"/units/{world.B.id}").status == 403
    assert page.goto("/admin/").status == 403


def test_the_audit_log_filters_by_person_action_and_dates(page, world, session):
    admin, head = world.users[Role.ADMIN], world.users[Role.UNIT_HEAD]
    for day, actor, name in ((3, head, "Nghỉ đầu tháng"), (12, head, "Nghỉ giữa tháng"), (14, admin, "Nghỉ khác")):
        entry = audit.record(session, actor, "holiday.add", None, day=f"2026-11-{day:02d}", name=name)
        entry.occurred_at = datetime(2026, 11, day, 3, tzinfo=UTC)
    org.update_unit(
        session, world.A1, name="Phòng Tổ chức", kind=world.A1.kind, parent=world.A, is_active=True, actor=admin
    )
    session.commit()
    _login(page, "admin@thu.vn")
    page.goto("/admin/audit")
    log = page.get_by_role("table").first
    expect(log.get_by_role("row", name="Sửa đơn vị")).to_have_count(1)

    page.get_by_label("Người thực hiện").select_option(label="Người unit_head")
    page.get_by_label("Thao tác").select_option(label="Thêm ngày nghỉ")
    page.get_by_label("Từ ngày").fill("10/11/2026")
    page.get_by_label("Đến ngày").fill("30/11/2026")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_text("Tìm thấy 1 mục.")).to_be_visible()
    expect(log.get_by_text("Nghỉ giữa tháng")).to_be_visible()
    expect(log.get_by_text("Nghỉ đầu tháng")).to_have_count(0)
    expect(page.get_by_label("Từ ngày")).to_have_value("10/11/2026")
    expect(page.get_by_label("Người thực hiện")).to_have_value(str(head.id))

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert [row[1:3] for row in rows[1:]] == [["Người unit_head", "Thêm ngày nghỉ"]]

    page.get_by_label("Từ ngày").fill("31/13/2026")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_text("Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy.")).to_be_visible()

    page.get_by_role("link", name="Bỏ lọc").click()
    row = log.get_by_role("row", name="Sửa đơn vị")
    expect(row.get_by_role("row", name="Tên Phòng A1 Phòng Tổ chức")).to_be_visible()
    row.get_by_role("link", name="Phòng Tổ chức").click()
    expect(page.get_by_role("heading", name="Sửa đơn vị")).to_be_visible()
    expect(page.get_by_label("Tên đơn vị", exact=True)).to_have_value("Phòng Tổ chức")


def test_the_layout_fits_a_phone(browser, live_server, world):
    context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    _login(page, "admin@thu.vn")
    page.goto("/admin/users")
    # Nothing forces a horizontal scroll of the whole page on a small phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
