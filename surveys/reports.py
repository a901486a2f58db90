"""A weekly summary as documents: DOCX laid out as a Vietnamese administrative report
(Decree 30/2020/NĐ-CP: national emblem line, Times New Roman, numbered sections, "Nơi nhận")
and XLSX with the figures."""
import io
from datetime import date
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Font

SENTIMENT_LABELS = {"negative": "Tiêu cực", "neutral": "Trung tính", "positive": "Tích cực"}
ALERT_LABELS = {"corruption": "Tham nhũng, tiêu cực, nhũng nhiễu", "harassment": "Quấy rối, xúc phạm, trù dập",
                "violence": "Bạo lực", "safety": "An toàn, nguy hiểm"}
SECTIONS = ("I. TÌNH HÌNH CHUNG", "II. NHỮNG MẶT TÍCH CỰC", "III. NHỮNG VẤN ĐỀ ĐƯỢC QUAN TÂM, PHẢN ÁNH",
            "IV. KIẾN NGHỊ, ĐỀ XUẤT", "V. NHỮNG VẤN ĐỀ CẦN LƯU Ý NGAY", "VI. TÌNH HÌNH GIẢI QUYẾT KIẾN NGHỊ")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%".replace(".", ",")


def _font(run, size: float = 13, bold: bool = False, italic: bool = False) -> None:
    run.font.name = "Times New Roman"
    run.font.size = Pt(size)
    run.bold, run.italic = bold, italic
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")


def _paragraph(document, text: str = "", *, size: float = 13, bold: bool = False, italic: bool = False,
               align=None, indent: bool = True):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    elif indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.space_after = Pt(6)
    _font(paragraph.add_run(text), size, bold, italic)
    return paragraph


def _header(document, agency: str, place: str, today: date) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    for cell, lines in ((left, [(agency.upper(), True), ("Số:      /BC-TH", False)]),
                        (right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True),
                                 (f"{place}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}", False)])):
        cell.paragraphs[0].text = ""
        for number, (text, bold) in enumerate(lines):
            paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(paragraph.add_run(text), 12 if cell is left or bold else 13, bold, italic=not bold)


def summary_docx(summary: dict[str, Any], *, agency: str, place: str, today: date, link: str = "") -> bytes:
    document = Document()
    section = document.sections[0]
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    _header(document, agency, place, today)
    _paragraph(document, "BÁO CÁO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, f"Tổng hợp tâm tư, nguyện vọng của cán bộ, công chức, viên chức, người lao động và nhân dân "
               f"tuần {summary['week']} ({summary['period'][0]} – {summary['period'][1]})", size=14, bold=True,
               align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, f"Phạm vi: {summary['scope']['name']}", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    _paragraph(document, SECTIONS[0], bold=True, indent=False)
    change = summary["responses"] - summary["previous_responses"]
    if summary["suppressed"]:
        _paragraph(document, f"Trong tuần có dưới {summary['k']} lượt trả lời nên không tổng hợp chi tiết, "
                             "để bảo vệ người trả lời.")
    else:
        _paragraph(document, f"Trong tuần có {summary['responses']} lượt trả lời ({'+' if change >= 0 else ''}{change} "
                             f"so với tuần trước); tỷ lệ cán bộ tham gia: {percent(summary.get('response_rate'))}.")
        if summary.get("sentiment"):
            parts = [f"{SENTIMENT_LABELS[s]} {percent(v['share'])}" for s, v in summary["sentiment"].items()]
            _paragraph(document, "Sắc thái các ý kiến: " + "; ".join(parts) + ".")
        for number, topic in enumerate(summary.get("topics", [])[:6], start=1):
            _paragraph(document, f"{number}. {topic['label']}: {topic['count']} ý kiến, "
                                 f"{percent(topic['negative_share'])} tiêu cực.")
    for heading, items in ((SECTIONS[1], summary.get("positives", [])), (SECTIONS[2], summary.get("concerns", []))):
        _paragraph(document, heading, bold=True, indent=False)
        if not items:
            _paragraph(document, "Không có nội dung nổi bật.")
        for number, item in enumerate(items, start=1):
            _paragraph(document, f"{number}. {item['label']}", bold=True)
            for quote in item["quotes"]:
                _paragraph(document, f"“{quote}”", italic=True)
    _paragraph(document, SECTIONS[3], bold=True, indent=False)
    for quote in summary.get("recommendations", []) or ["Không có kiến nghị mới."]:
        _paragraph(document, f"- {quote}")
    _paragraph(document, SECTIONS[4], bold=True, indent=False)
    alerts = summary.get("alerts", {})
    if not (alerts.get("categories") or alerts.get("negative_jumps")):
        _paragraph(document, "Không có.")
    for category, count in alerts.get("categories", {}).items():
        _paragraph(document, f"- {ALERT_LABELS.get(category, category)}: {count} ý kiến cần xem xét ngay.")
    for jump in alerts.get("negative_jumps", []):
        _paragraph(document, f"- Ý kiến tiêu cực về “{jump['label']}” tăng từ {percent(jump['from'])} "
                             f"lên {percent(jump['to'])}.")
    for theme in summary.get("emerging_themes", []):
        _paragraph(document, f"- Vấn đề mới nổi: {', '.join(theme['phrases'][:5])} ({theme['size']} ý kiến).")
    followups = summary.get("followups")
    if followups is not None:
        _paragraph(document, SECTIONS[5], bold=True, indent=False)
        _paragraph(document, f"Đang giải quyết: {followups['open']}; quá hạn: {followups['overdue']}; "
                             f"đã trả lời trong tuần: {followups['answered_this_week']}.")
    if link:
        _paragraph(document, f"Xem đầy đủ: {link}", italic=True)
    recipients = document.add_paragraph()
    _font(recipients.add_run("Nơi nhận:"), 12, bold=True, italic=True)
    for line in ("- Thường trực cấp ủy;", "- Thủ trưởng cơ quan, đơn vị;", "- Lưu: VT."):
        _font(document.add_paragraph().add_run(line), 11)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def summary_xlsx(summary: dict[str, Any]) -> bytes:
    workbook = Workbook()
    bold = Font(bold=True)
    sheet = workbook.active
    sheet.title = "Tổng quan"
    rows = [("Tuần", summary["week"]), ("Từ ngày", summary["period"][0]), ("Đến ngày", summary["period"][1]),
            ("Phạm vi", summary["scope"]["name"]), ("Lượt trả lời", summary["responses"] if not summary["suppressed"]
                                                    else f"dưới {summary['k']}"),
            ("Tuần trước", summary["previous_responses"]), ("Tỷ lệ tham gia", summary.get("response_rate"))]
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
    topics.append(("Chủ đề", "Số ý kiến", "Tuần trước", "Tiêu cực", "Tích cực", "Tỷ lệ tiêu cực",
                   "Tỷ lệ tiêu cực tuần trước", "Từ khóa"))
    for topic in summary.get("topics", []):
        topics.append((topic["label"], topic["count"], topic["previous_count"], topic["negative"], topic["positive"],
                       topic["negative_share"], topic["previous_negative_share"], ", ".join(topic.get("keyphrases", []))))
    for sheet_ in workbook.worksheets:
        for cell in sheet_[1]:
            cell.font = bold
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
