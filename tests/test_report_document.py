"""The weekly report as a Decree 30/2020/NĐ-CP document: the issuer's settings edited in the admin
forms (with defaults when empty), then the DOCX printed to PDF by LibreOffice and read back with
poppler: A4, margins, and every block of the layout in its place."""

import io
import re
import shutil
import subprocess
import unicodedata
from datetime import UTC, date, datetime

import pytest
from docx import Document
from factories import make_staff, make_survey, make_unit_summary, submit
from sqlalchemy import select

from surveys import org, reports
from surveys.models import AuditEntry, Role, Unit
from surveys.timeutil import local_today

A4_POINTS = (595.3, 841.9)
MM = 72 / 25.4  # points per millimetre
SETTINGS = {
    "report_superior": "UBND tỉnh Thử",
    "report_symbol": "sa",
    "report_place": "Hà Giang",
    "signer_authority": "KT. Giám đốc",
    "signer_title": "Phó Giám đốc",
    "signer_name": "Trần Thị Ký",
    "report_recipients": "UBND tỉnh (để báo cáo);\n- Ban Dân vận Tỉnh ủy;\n\nLưu: VT, VP.",
}


def unit_form(unit: Unit, **changes) -> dict:
    return {"name": unit.name, "kind": unit.kind.value, "parent_id": unit.parent_id, "is_active": "y"} | changes


def test_admin_sets_a_units_report_settings_and_the_change_is_audited(app, world, session, client):
    world.login_as(client, Role.ADMIN)
    page = client.get(f"/admin/units/{world.A.id}/edit").get_data(as_text=True)
    assert "Thông tin trên báo cáo" in page and "Để trống: Tuyên Quang." in page
    response = client.post(f"/admin/units/{world.A.id}/edit", data=unit_form(world.A, **SETTINGS))
    assert response.status_code == 302
    session.refresh(world.A)
    assert (world.A.report_symbol, world.A.signer_name) == ("SA", "Trần Thị Ký")
    assert world.A.report_recipients == "UBND tỉnh (để báo cáo);\n- Ban Dân vận Tỉnh ủy;\n\nLưu: VT, VP."
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "unit.update")).one()
    assert entry.actor_id == world.users[Role.ADMIN].id
    changes = entry.details["changes"]
    assert changes["signer_name"] == [None, "Trần Thị Ký"] and changes["report_symbol"] == [None, "SA"]
    # Saving the same values again changes nothing and records nothing.
    client.post(f"/admin/units/{world.A.id}/edit", data=unit_form(world.A, **SETTINGS))
    assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == "unit.update")).all()) == 1


def test_admin_sets_a_committees_report_settings(app, world, session, client):
    world.login_as(client, Role.ADMIN)
    data = {
        "name": world.C.name,
        "kind": world.C.kind.value,
        "unit_id": world.A.id,
        "overseen_ids": [world.A.id],
        "signer_title": "Phó Bí thư",
        "report_symbol": "ĐU",
    }
    assert client.post(f"/admin/committees/{world.C.id}/edit", data=data).status_code == 302
    session.refresh(world.C)
    head = reports.letterhead(world.C, default_place="Tuyên Quang")
    assert (head.signer_authority, head.signer_title, head.symbol) == ("TM. BAN THƯỜNG VỤ", "Phó Bí thư", "ĐU")
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "committee.update")).one()
    assert entry.details == {"changes": {"signer_title": [None, "Phó Bí thư"], "report_symbol": [None, "ĐU"]}}


def test_a_bad_symbol_is_refused_in_vietnamese_and_what_was_typed_is_kept(app, world, session, client):
    world.login_as(client, Role.ADMIN)
    page = client.post(
        f"/admin/units/{world.A.id}/edit", data=unit_form(world.A, report_symbol="S/A", signer_name="Người Gõ")
    ).get_data(as_text=True)
    assert "Chỉ gồm chữ không dấu (và Đ), số, dấu chấm, gạch ngang." in page and 'value="Người Gõ"' in page


def test_empty_settings_take_their_defaults(world):
    head = reports.letterhead(world.A, default_place="Tuyên Quang")
    assert (head.superior, head.issuer, head.symbol, head.place) == ("Tỉnh Thử", "Sở A", "SA", "Tuyên Quang")
    assert (head.signer_authority, head.signer_title, head.signer_name) == ("", "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", "")
    assert head.recipients == ["Tỉnh Thử (để báo cáo)", "Lưu: VT"]
    # A committee: its unit's parent above it, signing for its standing committee.
    committee = reports.letterhead(world.C, default_place="Tuyên Quang")
    assert (committee.superior, committee.symbol) == ("Tỉnh Thử", "ĐUSA")
    assert (committee.signer_authority, committee.signer_title) == ("TM. BAN THƯỜNG VỤ", "BÍ THƯ")
    root = reports.letterhead(world.P, default_place="Tuyên Quang")
    assert root.superior == "" and root.recipients == ["Lưu: VT"]


def test_symbols_dates_and_week_titles_follow_the_decree():
    assert reports.abbreviation("Sở Nội vụ") == "SNV"
    assert reports.abbreviation("Ủy ban nhân dân phường Minh Xuân") == "UBNDPMX"
    assert reports.abbreviation("Đảng ủy Sở Y tế") == "ĐUSYT"
    # Days below 10 and the months January and February take a leading zero; other months do not.
    assert reports.date_line("Tuyên Quang", date(2026, 2, 5)) == "Tuyên Quang, ngày 05 tháng 02 năm 2026"
    assert reports.date_line("Tuyên Quang", date(2026, 3, 9)) == "Tuyên Quang, ngày 09 tháng 3 năm 2026"
    assert reports.week_title("2026-W48") == "tuần 48/2026 (từ 23/11 đến 29/11/2026)"
    assert reports.week_title("2026-W53") == "tuần 53/2026 (từ 28/12/2026 đến 03/01/2027)"


# ---- the document as printed ------------------------------------------------------------------


def _require_office() -> None:
    for tool in ("soffice", "pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: `make test` installs libreoffice-writer and poppler-utils")


def _pdf_text(pdf: bytes, *options: str) -> str:
    result = subprocess.run(["pdftotext", *options, "-", "-"], input=pdf, capture_output=True, check=True)
    return unicodedata.normalize("NFC", result.stdout.decode("utf-8"))


def _word_boxes(pdf: bytes) -> list[list[tuple[float, float, float, float]]]:
    """Each page's word boxes (xMin, yMin, xMax, yMax) in points from the top left."""
    pages = _pdf_text(pdf, "-bbox").split("<page ")[1:]
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"'
    return [[tuple(map(float, box)) for box in re.findall(pattern, page)] for page in pages]


@pytest.fixture
def report_pdf(app, world, session, client):
    """Sở A's report for week 47 with its settings, as its unit head downloads it, printed to PDF."""
    _require_office()
    org.update_unit(
        session,
        world.A,
        name=world.A.name,
        kind=world.A.kind,
        parent=world.P,
        is_active=True,
        actor=None,
        report=SETTINGS,
    )
    survey = make_survey(session, owner=world.A, units=[world.A])
    for person in make_staff(session, world.A1, 5):
        submit(
            session,
            survey,
            {"q1": "co", "q3": "Đề nghị tăng phụ cấp."},
            respondent=person,
            now=datetime(2026, 11, 18, 3, tzinfo=UTC),
        )
    summary = make_unit_summary(session, world.A, "2026-W47")
    world.login_as(client, Role.UNIT_HEAD)
    response = client.get(f"/summaries/{summary.id}.docx")
    assert response.status_code == 200
    return response.data, reports.docx_to_pdf(response.data)


def test_the_docx_is_a4_with_the_decree_margins_and_fonts(report_pdf):
    document = Document(io.BytesIO(report_pdf[0]))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [round(getattr(section, f"{side}_margin").mm, 1) for side in ("top", "bottom", "left", "right")]
    assert 20 <= margins[0] <= 25 and 20 <= margins[1] <= 25 and 30 <= margins[2] <= 35 and 15 <= margins[3] <= 20
    body_runs = [run for paragraph in document.paragraphs for run in paragraph.runs if run.text]
    assert {run.font.name for run in body_runs} == {"Times New Roman"}
    assert {run.font.size.pt for run in body_runs} <= {13, 14}
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_the_printed_report_is_a4_and_holds_every_block(report_pdf):
    pdf = report_pdf[1]
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (round(width, 1), round(height, 1)) == A4_POINTS
    text = re.sub(r"[ \t]+", " ", _pdf_text(pdf, "-layout"))
    blocks = [
        "UBND TỈNH THỬ",
        "SỞ A",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: /BC-SA",
        date_line_today("Hà Giang"),
        "BÁO CÁO",
        "tuần 47/2026 (từ 16/11 đến 22/11/2026)",
        "I. TÌNH HÌNH CHUNG",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT",
        "Nơi nhận:",
        "- UBND tỉnh (để báo cáo);",
        "- Ban Dân vận Tỉnh ủy;",
        "- Lưu: VT, VP.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Trần Thị Ký",
    ]
    missing = [block for block in blocks if block not in text]
    assert missing == [], text
    assert "2026-W47" not in text
    # The motto's line sits beside the bodies' names; the number beside the place and date.
    lines = text.splitlines()
    assert any("SỞ A" in line and "Độc lập - Tự do - Hạnh phúc" in line for line in lines)
    assert any("Số: /BC-SA" in line and "Hà Giang, ngày" in line for line in lines)


def date_line_today(place: str) -> str:
    return reports.date_line(place, local_today())


def test_the_printed_text_stays_inside_the_margins(report_pdf):
    left, right, top, bottom = 30 * MM, A4_POINTS[0] - 15 * MM, 20 * MM, A4_POINTS[1] - 20 * MM
    first_page, *rest = _word_boxes(report_pdf[1])
    boxes = first_page + [box for page in rest for box in page if box[1] > top]  # page numbers sit above
    assert min(box[0] for box in boxes) >= left - 0.5
    assert max(box[2] for box in boxes) <= right + 0.5
    assert min(box[1] for box in first_page) >= top - 1
    assert max(box[3] for box in boxes) <= bottom + 1
