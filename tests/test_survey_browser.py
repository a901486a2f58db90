"""In a real browser: an author builds a survey with every question type and skip logic,
publishes it, staff answer it, a citizen answers a public survey, and a reader sees the
charts and downloads CSV and XLSX whose contents are checked."""

import csv
import io
from pathlib import Path

from factories import PASSWORD, make_staff, pick_unit, release_all, submit
from openpyxl import load_workbook
from sqlalchemy import select

from surveys import org
from surveys.models import PendingResponse, Role, Survey, UnitKind

QUESTIONS = [
    {"kind": "text_block", "text": "Cảm ơn anh/chị đã tham gia."},
    {"kind": "single", "text": "Anh/chị có hài lòng không?", "choices": "co | Có\nkhong | Không", "required": True},
    {"kind": "long_text", "text": "Vì sao anh/chị chưa hài lòng?", "show_if": ("q2", "khong")},
    {"kind": "multiple", "text": "Vấn đề quan tâm", "choices": "Lương\nNhà ở\nĐào tạo", "allow_other": True},
    {"kind": "dropdown", "text": "Nhóm tuổi", "choices": "Dưới 30\nTừ 30 đến 50\nTrên 50"},
    {"kind": "rating", "text": "Chấm điểm điều kiện làm việc"},
    {"kind": "likert", "text": "Lãnh đạo lắng nghe ý kiến"},
    {"kind": "nps", "text": "Giới thiệu cơ quan cho người khác"},
    {"kind": "matrix", "text": "Đánh giá các mặt", "rows": "Lương\nĐiều kiện"},
    {"kind": "number", "text": "Số năm công tác", "minimum": "0", "maximum": "45", "page": 2},
    {"kind": "date", "text": "Ngày vào cơ quan", "page": 2},
    {"kind": "short_text", "text": "Mã phòng (4 chữ số)", "pattern": "[0-9]{4}", "page": 2},
    {"kind": "consent", "text": "Tôi xác nhận thông tin là trung thực", "required": True, "page": 2},
]


def _add_question(page, spec):
    page.get_by_role("link", name="Thêm câu hỏi").first.click()
    page.select_option("#kind", spec["kind"])
    page.fill("#text", spec["text"])
    for field in ("choices", "rows", "minimum", "maximum", "pattern"):
        if field in spec:
            page.fill(f"#{field}", spec[field])
    page.fill("#page", str(spec.get("page", 1)))
    if spec.get("required"):
        page.check("#required")
    if spec.get("allow_other"):
        page.check("#allow_other")
    if "show_if" in spec:
        page.select_option("#show_if_question", spec["show_if"][0])
        page.fill("#show_if_values", spec["show_if"][1])
    page.get_by_role("button", name="Lưu câu hỏi").click()
    page.get_by_text("Đã lưu câu hỏi.").wait_for()


def _log_in(page, login):
    page.goto("/login")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboard")


def test_build_publish_answer_and_read_a_survey(page, browser, live_server, world, session, axe):
    author = world.users[Role.AUTHOR]
    _log_in(page, author.email)
    page.goto("/surveys/new")
    page.fill("#title", "Khảo sát thử mọi loại câu hỏi")
    pick_unit(page, "#owner_unit_id", "Sở A")
    pick_unit(page, "#unit_ids", "Sở A")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã tạo khảo sát.").wait_for()
    for spec in QUESTIONS:
        _add_question(page, spec)
    assert page.locator(".question-list > li").count() == len(QUESTIONS)
    # Publishing asks for a confirmation that shows whom the survey reaches and how.
    page.get_by_role("link", name="Mở khảo sát").click()
    facts = page.locator("#publish-facts")
    facts.get_by_text("Sở A").wait_for()
    assert page.locator("#invited-count").inner_text() == "1 người"  # the one staff member of Sở A's subtree
    assert "Ẩn danh" in facts.inner_text() and f"{len(QUESTIONS) - 1} câu hỏi" in facts.inner_text()
    axe(page, "publish confirmation")
    page.get_by_role("button", name="Xác nhận mở khảo sát").click()
    page.get_by_text("Khảo sát đã mở.").wait_for()
    session.commit()
    survey = session.scalar(select(Survey).where(Survey.title == "Khảo sát thử mọi loại câu hỏi"))
    assert [q.kind.value for q in survey.current_version.questions] == [q["kind"] for q in QUESTIONS]

    # A staff member answers, with a mistake first; what they typed stays.
    staff_context = browser.new_context(base_url=live_server, locale="vi-VN")
    staff_page = staff_context.new_page()
    _log_in(staff_page, world.users[Role.STAFF].email)
    staff_page.goto(f"/answer/{survey.id}")
    staff_page.get_by_text("Khảo sát ẩn danh").wait_for()
    staff_page.get_by_role("button", name="Bắt đầu").click()
    staff_page.get_by_label("Không").first.check()
    reason = staff_page.locator("#q_q3")
    assert reason.is_visible(), "the follow-up shows once “Không” is chosen"
    reason.fill("Phòng làm việc chật, máy tính cũ; liên hệ 0912 345 678")
    staff_page.get_by_label("Lương").first.check()
    staff_page.select_option("#q_q5", label="Từ 30 đến 50")
    staff_page.locator("input[name=q_q6][value='4']").check()
    staff_page.locator("input[name=q_q7][value='2']").check()
    staff_page.locator("input[name=q_q8][value='7']").check()
    staff_page.locator("input[name=q_q9__luong][value='2']").check()
    staff_page.locator("input[name=q_q9__dieu_kien][value='3']").check()
    staff_page.get_by_role("button", name="Tiếp tục").click()
    staff_page.fill("#q_q10", "60")
    staff_page.fill("#q_q11", "2015-09-01")
    staff_page.fill("#q_q12", "0123")
    staff_page.get_by_role("button", name="Gửi câu trả lời").click()
    staff_page.locator("#q_q10-error").get_by_text("Giá trị phải từ 0 đến 45.").wait_for()
    assert staff_page.locator("#q_q12").input_value() == "0123"
    staff_page.fill("#q_q10", "11")
    staff_page.get_by_label("Tôi đồng ý").check()
    staff_page.get_by_role("button", name="Gửi câu trả lời").click()
    staff_page.get_by_text("Cảm ơn anh/chị đã trả lời!").wait_for()
    staff_context.close()
    session.commit()  # end the read snapshot before writing (SQLite)
    for person in make_staff(session, world.A1, 4):
        submit(session, survey, {"q2": "co", "q6": 5, "q13": True}, respondent=person, released=False)
    assert release_all(session) == 5, "the browser's answer and these four: one batch of Phòng A1"

    # A citizen answers a public survey made from the SIPAS template.
    ward = org.create_unit(session, code="W9", name="Phường Minh Xuân", kind=UnitKind.WARD, parent=world.P)
    session.commit()
    admin_context = browser.new_context(base_url=live_server, locale="vi-VN")
    admin_page = admin_context.new_page()
    _log_in(admin_page, world.users[Role.ADMIN].email)
    admin_page.goto("/surveys/new?template=citizen_sipas")
    pick_unit(admin_page, "#owner_unit_id", "Tỉnh Thử")
    pick_unit(admin_page, "#unit_ids", "Phường Minh Xuân", search="phuong minh xuan")
    admin_page.get_by_role("button", name="Lưu").click()
    admin_page.get_by_role("link", name="Mở khảo sát").click()
    assert admin_page.locator("#invited-count").inner_text() == "Mọi người dân có đường dẫn hoặc mã QR"
    admin_page.get_by_role("button", name="Xác nhận mở khảo sát").click()
    public_url = admin_page.locator("#public-link").get_attribute("href")
    admin_context.close()
    citizen = browser.new_context(locale="vi-VN").new_page()
    citizen.goto(public_url)
    citizen.get_by_text("Khảo sát dành cho người dân Phường Minh Xuân.").wait_for()  # one ward: not asked
    citizen.get_by_role("button", name="Bắt đầu").click()
    citizen.select_option("#q_linh_vuc", label="Hộ tịch, chứng thực")
    citizen.get_by_label("Trực tuyến trên Cổng dịch vụ công").check()
    for row in ("tiep_can", "thu_tuc", "cong_chuc", "ket_qua", "gop_y"):
        citizen.locator(f"input[name=q_sipas__{row}][value='4']").check()
    citizen.get_by_role("button", name="Tiếp tục").click()
    citizen.get_by_label("Đúng hoặc sớm hơn hẹn").check()
    citizen.locator("input[name=q_nhung_nhieu][value='khong']").check()
    citizen.get_by_role("button", name="Tiếp tục").click()
    citizen.locator("input[name=q_hai_long_chung][value='5']").check()
    citizen.fill("#q_nguyen_vong", "Mong có thêm chỗ để xe.")
    citizen.get_by_role("button", name="Gửi câu trả lời").click()
    citizen.get_by_text("Cảm ơn ông/bà đã trả lời!").wait_for()
    citizen.context.close()
    session.commit()
    [_waiting] = session.scalars(select(PendingResponse).where(PendingResponse.unit_id == ward.id)).all()
    assert not {"respondent_id", "invitation_id", "submitted_at", "channel"} & set(PendingResponse.__table__.c.keys())

    # The unit head reads the results and downloads both files.
    reader_context = browser.new_context(base_url=live_server, locale="vi-VN", accept_downloads=True)
    reader = reader_context.new_page()
    _log_in(reader, world.users[Role.UNIT_HEAD].email)
    reader.goto(f"/surveys/{survey.id}/results")
    assert reader.locator("#total-responses").inner_text() == "5"
    assert reader.locator("svg.chart").count() >= 6
    assert "[số điện thoại]" in reader.locator("#result-q3").inner_text()
    assert "0912" not in reader.content()
    with reader.expect_download() as csv_download:
        reader.locator("#export-csv").click()
    rows = list(csv.reader(io.StringIO(Path(csv_download.value.path()).read_text(encoding="utf-8-sig"))))
    header = rows[0]
    assert len(rows) == 6
    reasons = [row[header.index("q3. Vì sao anh/chị chưa hài lòng?")] for row in rows[1:]]
    assert "Phòng làm việc chật, máy tính cũ; liên hệ [số điện thoại]" in reasons
    years = [row[header.index("q10. Số năm công tác")] for row in rows[1:]]
    assert "11" in years
    with reader.expect_download() as xlsx_download:
        reader.locator("#export-xlsx").click()
    sheet = list(
        load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert len(sheet) == 6
    assert sorted(str(row[sheet[0].index("q9: Lương")]) for row in sheet[1:])[0] == "2"
    reader_context.close()
