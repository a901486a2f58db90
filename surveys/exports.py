"""CSV and XLSX exports, streamed: rows are read in batches and written as they come, so
memory stays flat however many responses there are (bench/export.py: 100,000 to 1,000,000).

The same rules as the results page: the reader's scope only, nothing when fewer than k
responded, units smaller than k shown as the group they merge into, quotes redacted,
and for anonymous surveys the ISO week instead of the day, in an order unrelated to
arrival."""

import csv
import io
import math
import re
import tempfile
from collections.abc import Iterator
from itertools import groupby
from typing import IO, Any

import xlsxwriter
from sqlalchemy import select
from sqlalchemy.orm import Session

from nlp.redact import redact

from . import kanon
from .errors import N_, DomainError
from .models import Anonymity, Answer, Question, Response, Survey, Unit, User
from .questions import OTHER, kind_of
from .results import Filters, response_scope, unit_groups
from .timeutil import format_date, iso_week_label

CHANNEL_LABELS = {"web": "Trực tuyến", "api": "Ứng dụng", "offline": "Trực tiếp"}


def _columns(survey: Survey) -> list[tuple[str, str, str | None]]:
    """(header, question key, part) for every exported column of the current version."""
    return [
        (header, question.key, part)
        for question in survey.current_version.questions
        for header, part in kind_of(question).columns(question)
    ]


def _cell(question: Question | None, value: Any, text: str | None, part: str | None) -> Any:
    """What one column shows of one answer; ``question`` is the one answered, maybe of an earlier version."""
    if question is None:
        return ""
    if part == OTHER:
        return redact(text) if text else ""
    return kind_of(question).cell(question, value, text, part)


def rows(
    session: Session, user: User, survey: Survey, filters: Filters | None = None, *, k: int, batch: int = 2000
) -> Iterator[list[Any]]:
    """The header, then one row per response. Raises when fewer than k responded."""
    scope = response_scope(session, user, survey, filters)
    total, groups = unit_groups(session, scope, k)
    if total < k:
        raise DomainError(
            N_("Chưa đủ %(k)s người trả lời trong phạm vi này nên không xuất dữ liệu (bảo vệ ẩn danh)."), k=k
        )
    shown = sorted((g for g in groups if g.unit is not None), key=lambda g: -len(g.unit.path))
    anonymous = survey.anonymity == Anonymity.ANONYMOUS
    identified = survey.anonymity == Anonymity.IDENTIFIED
    columns = _columns(survey)
    header = ["STT", "Đơn vị", "Tuần" if anonymous else "Ngày gửi", "Kênh"]
    yield header + (["Người trả lời"] if identified else []) + [c[0] for c in columns]

    units: dict[int, str] = {}

    def unit_label(unit_id: int | None) -> str:
        if unit_id not in units:
            unit = session.get(Unit, unit_id) if unit_id else None
            group = next((g for g in shown if unit and unit.path.startswith(g.unit.path)), None)
            units[unit_id] = group.unit.name if group else kanon.REMAINDER_LABEL
        return units[unit_id]

    questions = {q.id: q for version in survey.versions for q in version.questions}
    order = (Response.idempotency_key, Response.id) if anonymous else (Response.id,)
    query = (
        select(
            Response.id,
            Response.unit_id,
            Response.submitted_on,
            Response.channel,
            User.full_name,
            Answer.question_id,
            Answer.value,
            Answer.text,
        )
        .join(Answer, Answer.response_id == Response.id)
        .outerjoin(User, User.id == Response.respondent_id)  # names only ever exist for identified surveys
        .where(scope)
        .order_by(*order)
    )
    # yield_per as an execution option streams from a server-side cursor on PostgreSQL; called on the result
    # afterwards, the driver would already hold every row in memory.
    result = session.execute(query, execution_options={"yield_per": batch})
    for number, (_, answers) in enumerate(groupby(result, key=lambda row: row[0]), start=1):
        answers = list(answers)
        first = answers[0]
        by_key = {questions[a.question_id].key: (questions[a.question_id], a.value, a.text) for a in answers}
        when = iso_week_label(first.submitted_on) if anonymous else format_date(first.submitted_on)
        row = [number, unit_label(first.unit_id), when, CHANNEL_LABELS.get(first.channel.value, first.channel.value)]
        if identified:
            row.append(first.full_name or "")
        for _, key, part in columns:
            question, value, text = by_key.get(key, (None, None, None))
            row.append(_cell(question, value, text, part))
        yield row


# A cell starting with one of these runs as a formula (or a DDE command) when a spreadsheet opens the file.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 cannot hold (control characters, lone surrogates) is dropped from XLSX text.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
XLSX_MAX_ROWS = 1_048_576  # per sheet; more rows continue on a new sheet under the same header


def _defused(value: Any) -> Any:
    # A typed answer starting with "=" must not run as a formula when the CSV is opened.
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value


def csv_chunks(rows_: Iterator[list[Any]]) -> Iterator[str]:
    """CSV text in chunks, with a byte-order mark so spreadsheet programs read UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for number, row in enumerate(rows_):
        writer.writerow([_defused(v) for v in row])
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _write_cell(sheet, row: int, column: int, value: Any) -> None:
    # Text is always written as a string cell, never as a formula, whatever it starts with.
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, (int, float)) and math.isfinite(value):
        sheet.write_number(row, column, value)
    else:
        sheet.write_string(row, column, XML_ILLEGAL.sub("", str(value)))


def _results_sheet(workbook: xlsxwriter.Workbook, header: list[Any]):
    number = len(workbook.worksheets()) + 1
    sheet = workbook.add_worksheet("Kết quả" if number == 1 else f"Kết quả ({number})")
    for column, value in enumerate(header):
        _write_cell(sheet, 0, column, value)
    return sheet


def xlsx_file(rows_: Iterator[list[Any]]) -> IO[bytes]:
    """An XLSX workbook written row by row into a temporary file on disk, in constant memory: XlsxWriter
    flushes each row to disk as the next begins and writes text inline (no shared-strings table)."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the caller reads and closes it)
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
    rows_ = iter(rows_)
    header = next(rows_)
    sheet, row_number = _results_sheet(workbook, header), 1
    for row in rows_:
        if row_number == XLSX_MAX_ROWS:
            sheet, row_number = _results_sheet(workbook, header), 1
        for column, value in enumerate(row):
            _write_cell(sheet, row_number, column, value)
        row_number += 1
    workbook.close()
    output.seek(0)
    return output
