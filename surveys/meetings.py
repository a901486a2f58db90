"""Opinions heard in meetings and at desks: recording a meeting, its opinions (typed, or
imported from an XLSX template or a DOCX minutes file), and the channel breakdown the weekly
summary shows.

An opinion is stored as the answer of the meeting's record survey (see ``models.meeting``),
so the tagging worker, results, recommendations, summaries and the public follow-up page
read it like any survey answer. Its response carries the meeting's channel and the day it
was entered (so a meeting recorded late still reaches the next weekly summary); the meeting
keeps the day it was held.
"""

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import audit, authoring, tokens
from .errors import N_, DomainError, Malformed
from .models import (
    MEETING_CHANNELS,
    RESIDENTIAL_KINDS,
    Anonymity,
    Answer,
    Audience,
    Channel,
    Meeting,
    Opinion,
    Response,
    SurveyState,
    Unit,
    User,
)
from .org import subtree_clause
from .text import nfc, nfc_multiline
from .timeutil import format_date, local_today

CHANNEL_LABELS = {
    Channel.WEB: N_("Khảo sát trực tuyến"),
    Channel.API: N_("Ứng dụng (API)"),
    Channel.OFFLINE: N_("Phiếu giấy"),
    Channel.VOTER_CONTACT: N_("Tiếp xúc cử tri"),
    Channel.DIALOGUE: N_("Hội nghị đối thoại"),
    Channel.RECEPTION: N_("Tiếp công dân định kỳ"),
    Channel.SUGGESTION_BOX: N_("Hòm thư góp ý"),
    Channel.HOTLINE: N_("Đường dây nóng"),
}
OTHER_CHANNELS_LABEL = N_("Các kênh khác (gộp)")
QUESTION_KEY = "y_kien"
MAX_OPINION_LENGTH = 5000
MAX_OPINIONS_PER_FILE = 1000
# Characters no text field keeps (PostgreSQL refuses NUL; the others are invisible).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class OpinionInput:
    text: str
    speaker: str | None = None  # only when they agreed to be named
    concerned_unit: Unit | None = None
    line: int | None = None  # where it was in an imported file


@dataclass
class ImportReport:
    added: int = 0
    duplicates: int = 0


def _clean(value: str | None, *, multiline: bool = False) -> str:
    value = _CONTROL.sub("", value or "")
    return nfc_multiline(value) if multiline else nfc(value)


# ---- recording ----------------------------------------------------------------------------------


def _check_meeting(kind: Channel, held_on: date, place: str, chair: str, attendance: int | None, today: date) -> None:
    if kind not in MEETING_CHANNELS:
        raise DomainError(N_("Hình thức tiếp nhận không hợp lệ."))
    if held_on > today:
        raise DomainError(N_("Ngày tổ chức không được sau hôm nay."))
    if not place or not chair:
        raise DomainError(N_("Cần ghi địa điểm và người chủ trì."))
    if len(place) > 255 or len(chair) > 255:
        raise DomainError(N_("Địa điểm và người chủ trì không quá 255 ký tự."))
    if attendance is not None and not 0 <= attendance <= 1_000_000:
        raise DomainError(N_("Số người dự không hợp lệ."))


def record_meeting(
    session: Session,
    *,
    kind: Channel,
    held_on: date,
    place: str,
    chair: str,
    attendance: int | None,
    unit: Unit,
    actor: User | None,
    note: str = "",
    today: date | None = None,
) -> Meeting:
    """A meeting, with the record survey its opinions are kept in. The caller commits."""
    place, chair = _clean(place), _clean(chair)
    _check_meeting(kind, held_on, place, chair, attendance, today or local_today())
    residential = unit.kind in RESIDENTIAL_KINDS
    survey = authoring.create_survey(
        session,
        title=f"{CHANNEL_LABELS[kind]} — {place} — {format_date(held_on)}",
        audience=Audience.CITIZENS if residential else Audience.INVITED,
        anonymity=Anonymity.CONFIDENTIAL,
        owner_unit=unit,
        units=[unit],
        author=actor,
        questions=[{"key": QUESTION_KEY, "kind": "long_text", "text": "Ý kiến, kiến nghị"}],
    )
    survey.state = SurveyState.ARCHIVED  # a record: nobody answers it, nobody edits its questions
    meeting = Meeting(
        kind=kind,
        held_on=held_on,
        place=place,
        chair=chair,
        attendance=attendance,
        note=_clean(note, multiline=True),
        unit=unit,
        survey=survey,
        recorded_by=actor,
    )
    session.add(meeting)
    session.flush()
    audit.record(session, actor, "meeting.record", meeting, kind=CHANNEL_LABELS[kind], place=place)
    return meeting


def _opinion_key(meeting: Meeting, text: str) -> str:
    """The same opinion entered twice (a double click, the same file again) is stored once."""
    return tokens.keyed_hash("meeting-opinion", str(meeting.id), text.casefold())


def add_opinions(
    session: Session, meeting: Meeting, items: list[OpinionInput], actor: User | None, today: date | None = None
) -> ImportReport:
    """Store the opinions not already recorded for this meeting; all or none. The caller commits."""
    if not items:
        raise DomainError(N_("Chưa có ý kiến nào."))
    survey, report = meeting.survey, ImportReport()
    question = survey.current_version.questions[0]
    number = session.scalar(select(func.max(Opinion.number)).where(Opinion.meeting_id == meeting.id)) or 0
    known = set(session.scalars(select(Response.idempotency_key).where(Response.survey_id == survey.id)))
    for item in items:
        text = _clean(item.text, multiline=True)
        _check_opinion(text, item.line)
        key = _opinion_key(meeting, text)
        if key in known:
            report.duplicates += 1
            continue
        known.add(key)
        number += 1
        answer = Answer(question=question, text=text)
        session.add(
            Response(
                survey=survey,
                version=survey.current_version,
                channel=meeting.kind,
                idempotency_key=key,
                submitted_on=today or local_today(),
                unit=meeting.unit,
                answers=[answer],
            )
        )
        speaker = _clean(item.speaker)[:255] or None
        session.add(
            Opinion(meeting=meeting, answer=answer, number=number, speaker=speaker, concerned_unit=item.concerned_unit)
        )
        report.added += 1
    session.flush()
    audit.record(session, actor, "meeting.opinions", meeting, opinions=report.added)
    return report


def _check_opinion(text: str, line: int | None) -> None:
    where = {"line": line} if line is not None else {}
    if not text:
        raise DomainError(N_("Dòng %(line)s: ý kiến trống.") if where else N_("Ý kiến không được để trống."), **where)
    if len(text) > MAX_OPINION_LENGTH:
        message = N_("Dòng %(line)s: ý kiến dài quá %(n)s ký tự.") if where else N_("Ý kiến dài quá %(n)s ký tự.")
        raise DomainError(message, n=MAX_OPINION_LENGTH, **where)


# ---- importing ----------------------------------------------------------------------------------

XLSX_HEADERS = ("STT", "Nội dung ý kiến", "Người nêu ý kiến", "Đồng ý nêu tên (có/không)", "Mã đơn vị liên quan")
_YES = frozenset({"có", "co", "x", "yes", "1", "đồng ý"})


def xlsx_template() -> bytes:
    """The XLSX template officers fill in: one opinion per row under the header."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ý kiến"
    sheet.append(XLSX_HEADERS)
    sheet.append([1, "Đề nghị sửa đường liên thôn đoạn qua tổ 5.", "", "không", ""])
    for column, width in zip("ABCDE", (6, 80, 28, 24, 22), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _units_by_code(session: Session, codes: set[str]) -> dict[str, Unit]:
    if not codes:
        return {}
    return {u.code.casefold(): u for u in session.scalars(select(Unit).where(func.lower(Unit.code).in_(codes)))}


def read_xlsx(session: Session, data: bytes) -> list[OpinionInput]:
    """Opinions from the XLSX template (header row, then one opinion per row)."""
    rows = _xlsx_rows(data)
    header = next(
        (i for i, row in enumerate(rows) if any(_clean(c).casefold() == "nội dung ý kiến" for c in row)), None
    )
    if header is None:
        raise Malformed(N_("Không thấy cột “Nội dung ý kiến” trong tệp. Hãy dùng tệp mẫu."))
    body = [(number, row) for number, row in enumerate(rows[header + 1 :], start=header + 2) if any(row)]
    if len(body) > MAX_OPINIONS_PER_FILE:
        raise Malformed(N_("Mỗi tệp không quá %(n)s ý kiến."), n=MAX_OPINIONS_PER_FILE)
    codes = {_clean(row[4]).casefold() for _, row in body if len(row) > 4 and _clean(row[4])}
    units = _units_by_code(session, codes)
    items = []
    for line, row in body:
        cells = [*row, "", "", "", "", ""][:5]
        code = _clean(cells[4]).casefold()
        if code and code not in units:
            raise DomainError(N_("Dòng %(line)s: không có đơn vị mã “%(code)s”."), line=line, code=cells[4])
        consent = _clean(cells[3]).casefold() in _YES
        speaker = _clean(cells[2]) if consent else None
        items.append(OpinionInput(cells[1], speaker=speaker, concerned_unit=units.get(code), line=line))
    return items


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True)  # a formula is kept as its text, never run
        sheet = workbook.worksheets[0]
        rows = [
            ["" if c is None else str(c) for c in row]
            for _, row in zip(range(MAX_OPINIONS_PER_FILE + 50), sheet.iter_rows(values_only=True), strict=False)
        ]
        workbook.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as error:
        raise Malformed(N_("Không đọc được tệp Excel (.xlsx).")) from error
    return rows


# "1.", "2)", "3 -", "Ý kiến 4:" at the start of a paragraph typed by hand.
_NUMBERED = re.compile(r"^\s*(?:ý kiến\s*)?(\d{1,4})\s*[.):/-]\s*", re.IGNORECASE)


def read_docx(data: bytes) -> list[OpinionInput]:
    """Opinions from minutes: one per numbered paragraph (Word's numbering or a typed "1."). Other
    paragraphs (the heading, who attended, the closing) are not opinions and are left out."""
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise Malformed(N_("Không đọc được tệp Word (.docx).")) from error
    items = []
    for line, paragraph in enumerate(document.paragraphs, start=1):
        typed = _NUMBERED.match(paragraph.text)
        if not (typed or _word_numbered(paragraph)):
            continue
        text = paragraph.text[typed.end() :] if typed else paragraph.text
        if _clean(text):
            items.append(OpinionInput(text, line=line))
    if not items:
        raise Malformed(N_("Biên bản không có đoạn đánh số nào (mỗi ý kiến là một đoạn đánh số 1., 2., …)."))
    if len(items) > MAX_OPINIONS_PER_FILE:
        raise Malformed(N_("Mỗi tệp không quá %(n)s ý kiến."), n=MAX_OPINIONS_PER_FILE)
    return items


def _word_numbered(paragraph) -> bool:
    """Numbered by Word: on the paragraph itself, or through its style (List Number) or a style it is based on."""
    from docx.oxml.ns import qn

    elements = [paragraph._p]
    style = paragraph.style
    for _ in range(10):  # styles are based on styles; a loop in a hostile file must not hang
        if style is None:
            break
        elements.append(style.element)
        style = style.base_style
    return any(
        e.pPr is not None and e.pPr.find(qn("w:numPr")) is not None
        for e in elements
        if getattr(e, "pPr", None) is not None
    )


# ---- reading ------------------------------------------------------------------------------------


def meetings_clause(user_units_clause):
    """Meetings held by a unit the reader may read (``user_units_clause``: a WHERE on ``Unit``)."""
    return Meeting.unit_id.in_(select(Unit.id).where(user_units_clause))


def channel_counts(session: Session, roots: list[Unit], first: date, end: date, k: int) -> list[dict]:
    """Responses per channel in the units under ``roots`` from ``first`` to before ``end``, every
    figure of at least k: small channels merge into "other channels", and when that would still be
    below k the smallest shown joins it (so no channel can be worked out by subtraction)."""
    rows = session.execute(
        select(Response.channel, func.count())
        .where(Response.submitted_on >= first, Response.submitted_on < end)
        .where(Response.unit_id.in_(select(Unit.id).where(subtree_clause(roots))))
        .group_by(Response.channel)
    ).all()
    # Anonymous answers keep no channel (it could single a respondent out): they count with "other".
    counts = Counter({Channel(channel): n for channel, n in rows if channel is not None})
    shown = sorted(((c, n) for c, n in counts.items() if n >= k), key=lambda item: -item[1])
    rest = sum(n for n in counts.values() if n < k) + sum(n for channel, n in rows if channel is None)
    while 0 < rest < k and shown:
        rest += shown.pop()[1]
    result = [{"channel": c.value, "label": CHANNEL_LABELS[c], "count": n} for c, n in shown]
    if rest >= k:
        result.append({"channel": "other", "label": OTHER_CHANNELS_LABEL, "count": rest})
    return result
