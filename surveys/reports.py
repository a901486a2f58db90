"""A weekly summary as documents: DOCX laid out as a Vietnamese administrative report
(Decree 30/2020/NĐ-CP, Appendix I: A4, Times New Roman, the superior and issuing bodies beside the
national motto, number and symbol, place and date, numbered sections, recipients and signature)
and XLSX with the figures."""

import io
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import Committee, CommitteeKind, Unit

SENTIMENT_LABELS = {"negative": "Tiêu cực", "neutral": "Trung tính", "positive": "Tích cực"}
ALERT_LABELS = {
    "corruption": "Tham nhũng, tiêu cực, nhũng nhiễu",
    "harassment": "Quấy rối, xúc phạm, trù dập",
    "violence": "Bạo lực",
    "safety": "An toàn, nguy hiểm",
}
SECTIONS = (
    "I. TÌNH HÌNH CHUNG",
    "II. NHỮNG MẶT TÍCH CỰC",
    "III. NHỮNG VẤN ĐỀ ĐƯỢC QUAN TÂM, PHẢN ÁNH",
    "IV. KIẾN NGHỊ, ĐỀ XUẤT",
    "V. NHỮNG VẤN ĐỀ CẦN LƯU Ý NGAY",
    "VI. TÌNH HÌNH GIẢI QUYẾT KIẾN NGHỊ",
)


# Decree 30, Appendix I: A4; margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top_margin": Mm(20), "bottom_margin": Mm(20), "left_margin": Mm(30), "right_margin": Mm(15)}
TEXT_WIDTH = PAGE_WIDTH - MARGINS["left_margin"] - MARGINS["right_margin"]
LEFT_COLUMN = Mm(68)  # the bodies' names and the number; the rest holds the motto and the date
BODY_SIZE = 14
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Letterhead:
    """Who issues a report and how it is signed and sent, with every default filled in."""

    superior: str  # cơ quan chủ quản; "" when there is none
    issuer: str
    symbol: str  # "SNV" in "Số: …/BC-SNV"
    place: str
    signer_authority: str  # "KT. GIÁM ĐỐC", "TM. BAN THƯỜNG VỤ"; "" when the head signs in their own right
    signer_title: str
    signer_name: str
    recipients: list[str]


def abbreviation(name: str) -> str:
    """A body's initials as document symbols write them: "Sở Nội vụ" → "SNV", "Đảng ủy…" → "ĐU…"."""
    initials = (word[0] for word in name.split() if word[0].isalpha())
    plain = (unicodedata.normalize("NFD", c)[0] if c not in "đĐ" else c for c in initials)
    return "".join(plain).upper()


def _issuer_defaults(issuer: Unit | Committee) -> tuple[Unit | None, str, str]:
    """(the unit whose name is the default superior body, default authority line, default title)."""
    if isinstance(issuer, Committee):
        authority = "TM. CHI BỘ" if issuer.kind == CommitteeKind.PARTY_CELL else "TM. BAN THƯỜNG VỤ"
        return issuer.unit.parent, authority, "BÍ THƯ"
    return issuer.parent, "", "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"


def letterhead(issuer: Unit | Committee, *, default_place: str) -> Letterhead:
    """The issuer's report settings, each empty one replaced by its default: the parent unit as the
    superior body, the name's initials as the symbol, ``default_place`` (REPORT_PLACE) as the place."""
    parent, authority, title = _issuer_defaults(issuer)
    superior = issuer.report_superior or (parent.name if parent else "")
    recipients = [line.strip(" -;.") for line in (issuer.report_recipients or "").splitlines() if line.strip(" -;.")]
    return Letterhead(
        superior=superior,
        issuer=issuer.name,
        symbol=issuer.report_symbol or abbreviation(issuer.name),
        place=issuer.report_place or default_place,
        signer_authority=issuer.signer_authority or authority,
        signer_title=issuer.signer_title or title,
        signer_name=issuer.signer_name or "",
        recipients=recipients or ([f"{superior} (để báo cáo)"] if superior else []) + ["Lưu: VT"],
    )


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%".replace(".", ",")


def date_line(place: str, day: date) -> str:
    """ "Tuyên Quang, ngày 05 tháng 02 năm 2026": days below 10 and months 1 and 2 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def week_title(week: str) -> str:
    """ "tuần 48/2026 (từ 23/11 đến 29/11/2026)" for ISO week "2026-W48"."""
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    sunday = monday + timedelta(days=6)
    start = f"{monday:%d/%m}" if monday.year == sunday.year else f"{monday:%d/%m/%Y}"
    return f"tuần {int(number)}/{year} (từ {start} đến {sunday:%d/%m/%Y})"


def _font(run, size: float = BODY_SIZE, bold: bool = False, italic: bool = False) -> None:
    run.font.name = "Times New Roman"
    run.font.size = Pt(size)
    run.bold, run.italic = bold, italic
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Times New Roman")


def _line(
    container,
    text: str = "",
    *,
    size: float = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
):
    """One unindented line (letterhead, title, signature): centred unless told otherwise."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    _font(paragraph.add_run(text), size, bold, italic)
    return paragraph


def _paragraph(document, text: str, *, bold: bool = False, italic: bool = False):
    """A body paragraph: justified, first line indented 1 cm, 6 pt after."""
    paragraph = _line(document, text, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
    paragraph.paragraph_format.first_line_indent = Cm(1)
    return paragraph


def _rule(container, length: Length, width: Length) -> None:
    """The short solid line under the issuing body, the motto and the title, centred in ``width``."""
    paragraph = container.add_paragraph()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)  # before spacing and indents, as the schema orders them
    layout = paragraph.paragraph_format
    layout.left_indent = layout.right_indent = Length(int((width - length) / 2))
    layout.space_before, layout.space_after = Pt(0), Pt(6)
    layout.line_spacing_rule, layout.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(2)


def _columns(document, rows: int, widths: tuple[Length, Length]):
    """A borderless table of two columns with fixed widths."""
    table = document.add_table(rows=rows, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")  # no padding: the columns' text lines up with the page margins
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table


def _letterhead(document, head: Letterhead, today: date) -> None:
    widths = (LEFT_COLUMN, TEXT_WIDTH - LEFT_COLUMN)
    table = _columns(document, 2, widths)
    (bodies, nation), (number, place) = (row.cells for row in table.rows)
    if head.superior:
        _line(bodies, head.superior.upper(), size=12)
    _line(bodies, head.issuer.upper(), size=12, bold=True)
    _rule(bodies, Mm(22), widths[0])
    _line(nation, NATIONAL_NAME, size=12, bold=True)
    _line(nation, MOTTO, size=13, bold=True)
    _rule(nation, Mm(57), widths[1])
    _line(number, f"Số:        /BC-{head.symbol}", size=13)
    _line(place, date_line(head.place, today), size=BODY_SIZE, italic=True)


def _page_numbers(section) -> None:
    """Page numbers from page 2, centred in the top margin."""
    section.different_first_page_header_footer = True
    section.header_distance = Mm(10)
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = paragraph.add_run()
    _font(run, 13)
    paragraph._p.remove(run._r)
    field.append(run._r)
    paragraph._p.append(field)


def _signature(document, head: Letterhead) -> None:
    """ "Nơi nhận:" on the left; authority, title, room to sign and the name on the right."""
    table = _columns(document, 1, (Mm(80), TEXT_WIDTH - Mm(80)))
    recipients, signature = table.rows[0].cells
    _line(recipients, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for number, recipient in enumerate(head.recipients, start=1):
        _line(
            recipients,
            f"- {recipient}{'.' if number == len(head.recipients) else ';'}",
            size=11,
            align=WD_ALIGN_PARAGRAPH.LEFT,
        )
    for text in (head.signer_authority, head.signer_title):
        if text:
            _line(signature, text.upper(), bold=True)
    for _ in range(4):
        _line(signature)
    _line(signature, head.signer_name, bold=True)


def _new_document():
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(BODY_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Times New Roman")
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side, margin in MARGINS.items():
        setattr(section, side, margin)
    _page_numbers(section)
    return document


def summary_docx(summary: dict[str, Any], *, head: Letterhead, today: date, link: str = "") -> bytes:
    document = _new_document()
    _letterhead(document, head, today)
    _line(document, "BÁO CÁO", bold=True).paragraph_format.space_before = Pt(18)
    _line(
        document,
        "Tổng hợp tâm tư, nguyện vọng của cán bộ, công chức, viên chức, người lao động và nhân dân "
        + week_title(summary["week"]),
        bold=True,
    )
    _rule(document, Mm(40), TEXT_WIDTH)
    _body(document, summary)
    if link:
        _paragraph(document, f"Xem đầy đủ: {link}", italic=True)
    _line(document)
    _signature(document, head)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _body(document, summary: dict[str, Any]) -> None:
    """Sections I–VI."""
    _overview(document, summary)
    for heading, items in ((SECTIONS[1], summary.get("positives", [])), (SECTIONS[2], summary.get("concerns", []))):
        _paragraph(document, heading, bold=True)
        if not items:
            _paragraph(document, "Không có nội dung nổi bật.")
        for number, item in enumerate(items, start=1):
            _paragraph(document, f"{number}. {item['label']}", bold=True)
            for quote in item["quotes"]:
                _paragraph(document, f"“{quote}”", italic=True)
    _paragraph(document, SECTIONS[3], bold=True)
    for quote in summary.get("recommendations", []) or ["Không có kiến nghị mới."]:
        _paragraph(document, f"- {quote}")
    _alerts(document, summary)
    followups = summary.get("followups")
    if followups is not None:
        _paragraph(document, SECTIONS[5], bold=True)
        _paragraph(
            document,
            f"Đang giải quyết: {followups['open']}; quá hạn: {followups['overdue']}; "
            f"đã trả lời trong tuần: {followups['answered_this_week']}.",
        )


def _overview(document, summary: dict[str, Any]) -> None:
    _paragraph(document, SECTIONS[0], bold=True)
    change = summary["responses"] - summary["previous_responses"]
    if summary["suppressed"]:
        _paragraph(
            document,
            f"Trong tuần có dưới {summary['k']} lượt trả lời nên không tổng hợp chi tiết, để bảo vệ người trả lời.",
        )
        return
    _paragraph(
        document,
        f"Trong tuần có {summary['responses']} lượt trả lời ({'+' if change >= 0 else ''}{change} "
        f"so với tuần trước); tỷ lệ cán bộ tham gia: {percent(summary.get('response_rate'))}.",
    )
    if summary.get("sentiment"):
        parts = [f"{SENTIMENT_LABELS[s]} {percent(v['share'])}" for s, v in summary["sentiment"].items()]
        _paragraph(document, "Sắc thái các ý kiến: " + "; ".join(parts) + ".")
    for number, topic in enumerate(summary.get("topics", [])[:6], start=1):
        _paragraph(
            document,
            f"{number}. {topic['label']}: {topic['count']} ý kiến, {percent(topic['negative_share'])} tiêu cực.",
        )


def _alerts(document, summary: dict[str, Any]) -> None:
    _paragraph(document, SECTIONS[4], bold=True)
    alerts = summary.get("alerts", {})
    if not (alerts.get("categories") or alerts.get("negative_jumps")):
        _paragraph(document, "Không có.")
    for category, count in alerts.get("categories", {}).items():
        _paragraph(document, f"- {ALERT_LABELS.get(category, category)}: {count} ý kiến cần xem xét ngay.")
    for jump in alerts.get("negative_jumps", []):
        _paragraph(
            document,
            f"- Ý kiến tiêu cực về “{jump['label']}” tăng từ {percent(jump['from'])} lên {percent(jump['to'])}.",
        )
    for theme in summary.get("emerging_themes", []):
        _paragraph(document, f"- Vấn đề mới nổi: {', '.join(theme['phrases'][:5])} ({theme['size']} ý kiến).")


def docx_to_pdf(content: bytes) -> bytes:
    """The DOCX as LibreOffice prints it (``soffice`` from Debian's libreoffice-writer), for checking
    the layout and for previews. A profile of its own lets several conversions run at once."""
    with tempfile.TemporaryDirectory(prefix="report-pdf-") as folder:
        work = Path(folder)
        (work / "report.docx").write_bytes(content)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(work / "report.docx"),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (work / "report.pdf").read_bytes()


def summary_xlsx(summary: dict[str, Any]) -> bytes:
    workbook = Workbook()
    bold = Font(bold=True)
    sheet = workbook.active
    sheet.title = "Tổng quan"
    rows = [
        ("Tuần", summary["week"]),
        ("Từ ngày", summary["period"][0]),
        ("Đến ngày", summary["period"][1]),
        ("Phạm vi", summary["scope"]["name"]),
        ("Lượt trả lời", summary["responses"] if not summary["suppressed"] else f"dưới {summary['k']}"),
        ("Tuần trước", summary["previous_responses"]),
        ("Tỷ lệ tham gia", summary.get("response_rate")),
    ]
    for row in rows:
        sheet.append(row)
        sheet.cell(sheet.max_row, 1).font = bold
    trend = workbook.create_sheet("Xu hướng 8 tuần")
    trend.append(("Tuần", "Lượt trả lời"))
    for point in summary["trend"]:
        trend.append((point["week"], point["responses"]))
    units = workbook.create_sheet("Theo đơn vị")
    units.append(("Đơn vị", "Lượt trả lời", "Số cán bộ", "Tỷ lệ tham gia", "Số đơn vị nhỏ gộp vào"))
    for unit in summary.get("units", []):
        units.append((unit["name"], unit["responses"], unit["staff"], unit["rate"], unit["merged_units"]))
    topics = workbook.create_sheet("Chủ đề")
    topics.append(
        (
            "Chủ đề",
            "Số ý kiến",
            "Tuần trước",
            "Tiêu cực",
            "Tích cực",
            "Tỷ lệ tiêu cực",
            "Tỷ lệ tiêu cực tuần trước",
            "Từ khóa",
        )
    )
    for topic in summary.get("topics", []):
        topics.append(
            (
                topic["label"],
                topic["count"],
                topic["previous_count"],
                topic["negative"],
                topic["positive"],
                topic["negative_share"],
                topic["previous_negative_share"],
                ", ".join(topic.get("keyphrases", [])),
            )
        )
    for sheet_ in workbook.worksheets:
        for cell in sheet_[1]:
            cell.font = bold
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
