"""Sharing a citizens' survey: its QR code (segno) and a printable A4 notice (reportlab) for the
notice board of a commune's one-stop office. The caller gives the words, already in Vietnamese;
this module only lays them out. The QR code is drawn as vector squares, so it prints sharp at any size."""

import io
from dataclasses import dataclass
from pathlib import Path

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .errors import N_, DomainError

# Unicode TrueType fonts with every Vietnamese letter, regular and bold: Debian's fonts-dejavu-core
# (installed with almost any desktop or office package) or fonts-liberation.
FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
]
MARGIN = 20 * mm
QR_SIDE = 105 * mm


def qr_code(link: str) -> segno.QRCode:
    """Error correction M (15 %): survives a smudged print yet stays readable at notice-board size."""
    return segno.make_qr(link, error="m", boost_error=False)


def qr_svg(link: str) -> str:
    buffer = io.BytesIO()
    qr_code(link).save(buffer, kind="svg", scale=6, border=4, xmldecl=False, svgns=True, title=None)
    return buffer.getvalue().decode()


@dataclass(frozen=True)
class NoticeText:
    """The notice's words, in the order they are printed."""

    issuer: str  # the unit that runs the survey, upper case
    heading: str  # "THÔNG BÁO"
    invitation: str  # "Mời ông/bà tham gia khảo sát"
    title: str
    scan: str  # how to answer: scan or type the link
    link: str
    closing: str  # until when
    promise: str  # the anonymity promise


def _fonts() -> tuple[str, str]:
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).exists() and Path(bold).exists():
            if "Notice" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("Notice", regular))
                pdfmetrics.registerFont(TTFont("Notice-Bold", bold))
            return "Notice", "Notice-Bold"
    raise DomainError(N_("Máy chủ thiếu phông chữ tiếng Việt để in thông báo (cài gói fonts-dejavu-core)."))


class _Writer:
    """Centred lines down an A4 page, wrapped to the margins."""

    def __init__(self, canvas: Canvas):
        self.canvas, self.y = canvas, A4[1] - MARGIN

    def lines(self, text: str, font: str, size: float, gap: float = 0.0) -> None:
        width = A4[0] - 2 * MARGIN
        for line in simpleSplit(text, font, size, width):
            self.y -= size * 1.3
            self.canvas.setFont(font, size)
            self.canvas.drawCentredString(A4[0] / 2, self.y, line)
        self.y -= gap

    def qr(self, link: str, side: float) -> None:
        matrix = qr_code(link).matrix
        module = side / (len(matrix) + 8)  # a quiet zone of four modules each side
        left, top = (A4[0] - side) / 2 + 4 * module, self.y - 4 * module
        for row, bits in enumerate(matrix):
            for column, dark in enumerate(bits):
                if dark:
                    x, y = left + column * module, top - (row + 1) * module
                    self.canvas.rect(x, y, module, module, stroke=0, fill=1)
        self.y -= side


def notice_pdf(text: NoticeText) -> bytes:
    """One A4 page: issuer, heading, the survey's title, its QR code, its link, closing date and promise."""
    regular, bold = _fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(text.title)
    canvas.setAuthor(text.issuer)
    write = _Writer(canvas)
    write.lines(text.issuer, bold, 13, gap=10 * mm)
    write.lines(text.heading, bold, 26, gap=4 * mm)
    write.lines(text.invitation, regular, 16)
    write.lines(text.title, bold, 20, gap=6 * mm)
    write.qr(text.link, QR_SIDE)
    write.lines(text.scan, regular, 13, gap=1 * mm)
    write.lines(text.link, bold, 12, gap=6 * mm)
    write.lines(text.closing, bold, 15, gap=5 * mm)
    write.lines(text.promise, regular, 12)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
