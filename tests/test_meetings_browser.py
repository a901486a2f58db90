"""In a real browser: an officer records a dialogue meeting, types one opinion (a refused one keeps
what was typed), imports the rest from the XLSX template, and sees them in the results and, with
their channel, in the weekly summary."""

import io

from factories import PASSWORD
from openpyxl import Workbook
from sqlalchemy import select

from surveys import meetings
from surveys.models import Meeting, Role, WeeklySummary
from surveys.timeutil import iso_week_label, local_today

OPINIONS = [
    "Đề nghị nâng cấp phần mềm một cửa, gọi 0912 345 678",
    "Cần bố trí thêm chỗ để xe cho người dân đến làm thủ tục",
    "Mong đơn vị trả lời kiến nghị đúng hạn",
    "Đề nghị niêm yết công khai phí, lệ phí",
    "Xin kéo dài giờ tiếp công dân vào thứ bảy",
]


def _template_filled(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(meetings.XLSX_HEADERS)
    for number, text in enumerate(OPINIONS, start=1):
        sheet.append([number, text, "", "không", "A1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_officer_records_a_meeting_and_finds_its_opinions_in_results_and_summary(page, app, world, session, tmp_path):
    page.goto("/login")
    page.fill("#login", world.users[Role.UNIT_HEAD].email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboard")
    page.get_by_role("link", name="Tiếp nhận ý kiến").click()
    page.get_by_role("link", name="Ghi nhận buổi tiếp nhận ý kiến").click()
    page.select_option("#kind", "dialogue")
    page.fill("#held_on", local_today().isoformat())
    page.locator("#unit_id").evaluate(
        "(el, v) => { el.value = v; }", str(world.A1.id)
    )  # hidden when it is the only choice
    page.fill("#place", "Hội trường Sở A")
    page.fill("#chair", "Giám đốc Sở A")
    page.fill("#attendance", "45")
    page.get_by_role("button", name="Ghi nhận").click()
    page.get_by_text("Đã ghi nhận buổi tiếp nhận ý kiến").wait_for()

    page.fill("#speaker", "Bà Nguyễn Thị Lan")
    page.check("#consent")
    page.get_by_role("button", name="Ghi ý kiến").click()
    page.get_by_text("Trường này là bắt buộc.").wait_for()
    assert page.input_value("#speaker") == "Bà Nguyễn Thị Lan"  # what was typed is kept
    page.fill("#text", "Đề nghị sửa chữa mái nhà bộ phận một cửa bị dột")
    page.get_by_role("button", name="Ghi ý kiến").click()
    page.get_by_text("Đã ghi ý kiến.").wait_for()
    page.set_input_files("#file", str(_template_filled(tmp_path / "y-kien.xlsx")))
    page.get_by_role("button", name="Nhập", exact=True).click()
    page.get_by_text("Đã nhập 5 ý kiến; 0 ý kiến trùng đã bỏ qua.").wait_for()
    page.set_input_files("#file", str(_template_filled(tmp_path / "lan-hai.xlsx")))
    page.get_by_role("button", name="Nhập", exact=True).click()
    page.get_by_text("Đã nhập 0 ý kiến; 5 ý kiến trùng đã bỏ qua.").wait_for()
    assert page.locator("ol.opinions li").count() == 6
    assert "Người nêu: Bà Nguyễn Thị Lan" in page.locator("ol.opinions").inner_text()

    session.commit()  # a fresh read of what the app committed
    meeting = session.scalar(select(Meeting))
    runner = app.test_cli_runner()
    week = iso_week_label(local_today())
    result = runner.invoke(args=["summaries", "run", "--week", week, "--scope", "A", "--no-mail"])
    assert result.exit_code == 0, result.output

    page.goto(f"/surveys/{meeting.survey_id}/results")
    answers = page.locator(".quotes li")
    assert answers.count() == 6
    assert "0912" not in page.locator("main").inner_text()
    session.commit()
    summary = session.scalar(select(WeeklySummary).where(WeeklySummary.unit_id == world.A.id))
    page.goto(f"/summaries/{summary.id}")
    assert "Hội nghị đối thoại 6" in page.locator("#summary-channels").inner_text()
