"""CSV and XLSX exports, streamed: rows are read in batches and written as they come, so
memory stays flat however many responses there are (bench/export.py: 100,000 to 1,000,000).

The same rules as the results page: the reader's scope only, nothing when fewer than k
responded, units smaller than k shown as the group they merge into, quotes redacted.
For anonymous surveys the rows are whole released batches (surveys/release.py), with the ISO
week of release instead of a day, no channel, in an order unrelated to arrival (by the keyed
hash of each response's idempotency key)."""

import csv
import io
import math
import re
import tempfile
from collections.abc import Iterator, Mapping
from itertools import groupby
from typing import IO, Any

import xlsxwriter
from sqlalchemy import select
from sqlalchemy.orm import Session

from nlp.redact import redact

from . import kanon, tagging
from .errors import N_, DomainError
from .models import Anonymity, Answer, AnswerTag, Question, Response, Survey, TagCorrection, Unit, User
from .questions import OTHER, kind_of
from .results import Filters, response_scope, unit_groups
from .timeutil import format_date, iso_week_label

CHANNEL_LABELS = {"web": "Trực tuyến", "api": "Ứng dụng", "offline": "Trực tiếp"}
TAG_FIELDS = (
    AnswerTag.sentiment,
    AnswerTag.sentiment_sure,
    AnswerTag.kind,
    AnswerTag.kind_sure,
    AnswerTag.main_topic,
    TagCorrection.sentiment.label("fixed_sentiment"),
    TagCorrection.kind.label("fixed_kind"),
    TagCorrection.topics.label("fixed_topics"),
)


# The NLP's tags of a free-text answer, each in a column of its own after the answer.
TAG_COLUMNS = (("sắc thái", "tag:sentiment"), ("loại ý kiến", "tag:kind"), ("chủ đề chính", "tag:topic"))
TAG_PARTS = {part for _, part in TAG_COLUMNS}


def _columns(survey: Survey) -> list[tuple[str, str, str | None]]:
    """(header, question key, part) for every exported column of the current version."""
    columns = []
    for question in survey.current_version.questions:
        columns += [(header, question.key, part) for header, part in kind_of(question).columns(question)]
        if kind_of(question).tagged:
            columns += [(f"{question.key} ({name})", question.key, part) for name, part in TAG_COLUMNS]
    return columns


def _tag_cells(answer: Any, topic_labels: Mapping[str, str]) -> dict[str, str]:
    """The tags readers see, in Vietnamese: a reviewer's correction wins; a tag the model is not
    sure of is "Chưa rõ" (sentiment and kind), never the model's guess."""

    def shown(corrected: str | None, model: str | None, sure: bool) -> str | None:
        return corrected or (model if sure or model is None else tagging.UNSURE)

    sentiment = shown(answer.fixed_sentiment, answer.sentiment, answer.sentiment_sure)
    kind = shown(answer.fixed_kind, answer.kind, answer.kind_sure)
    topic = (answer.fixed_topics or [None])[0] or answer.main_topic
    return {
        "tag:sentiment": tagging.SENTIMENT_NAMES.get(sentiment, ""),
        "tag:kind": tagging.KIND_NAMES.get(kind, ""),
        "tag:topic": topic_labels.get(topic, topic or ""),
    }


def _cell(question: Question | None, answer: Any, part: str | None, topic_labels: Mapping[str, str]) -> Any:
    """What one column shows of one answer; ``question`` is the one answered, maybe of an earlier version."""
    if question is None:
        return ""
    if part == OTHER:
        return redact(answer.text) if answer.text else ""
    if part in TAG_PARTS:
        return _tag_cells(answer, topic_labels)[part]
    return kind_of(question).cell(question, answer.value, answer.text, part)


def _answers(scope, anonymous: bool):
    """Every answer in scope with its response's facts and its tags, one response after another."""
    order = (Response.idempotency_key, Response.id) if anonymous else (Response.id,)
    return (
        select(
            Response.id,
            Response.unit_id,
            Response.submitted_on,
            Response.channel,
            User.full_name,
            Answer.question_id,
            Answer.value,
            Answer.text,
            *TAG_FIELDS,
        )
        .join(Answer, Answer.response_id == Response.id)
        .outerjoin(AnswerTag, AnswerTag.answer_id == Answer.id)
        .outerjoin(TagCorrection, TagCorrection.answer_id == Answer.id)
        .outerjoin(User, User.id == Response.respondent_id)  # names only ever exist for identified surveys
        .where(scope)
        .order_by(*order)
    )


def _when_and_how(first, anonymous: bool) -> list[str]:
    """An anonymous response's week of release; another's day and channel."""
    if anonymous:
        return [iso_week_label(first.submitted_on)]
    channel = first.channel.value if first.channel else ""
    return [format_date(first.submitted_on), CHANNEL_LABELS.get(channel, channel)]


def rows(
    session: Session,
    user: User,
    survey: Survey,
    filters: Filters | None = None,
    *,
    k: int,
    batch: int = 2000,
    topic_labels: Mapping[str, str] | None = None,
) -> Iterator[list[Any]]:
    """The header, then one row per response. Raises when fewer than k responded. ``topic_labels``
    names the NLP's topics (the deployment's taxonomy); without it the keys are shown."""
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
    # Anonymous answers: the ISO week of their batch's release and no channel, which could single one out.
    header = ["STT", "Đơn vị", "Tuần công bố"] if anonymous else ["STT", "Đơn vị", "Ngày gửi", "Kênh"]
    yield header + (["Người trả lời"] if identified else []) + [c[0] for c in columns]

    units: dict[int, str] = {}

    def unit_label(unit_id: int | None) -> str:
        if unit_id not in units:
            unit = session.get(Unit, unit_id) if unit_id else None
            group = next((g for g in shown if unit and unit.path.startswith(g.unit.path)), None)
            units[unit_id] = group.unit.name if group else kanon.REMAINDER_LABEL
        return units[unit_id]

    questions = {q.id: q for version in survey.versions for q in version.questions}
    query = _answers(scope, anonymous)
    # yield_per as an execution option streams from a server-side cursor on PostgreSQL; called on the result
    # afterwards, the driver would already hold every row in memory.
    result = session.execute(query, execution_options={"yield_per": batch})
    for number, (_, answers) in enumerate(groupby(result, key=lambda row: row[0]), start=1):
        answers = list(answers)
        first = answers[0]
        by_key = {questions[a.question_id].key: (questions[a.question_id], a) for a in answers}
        row = [number, unit_label(first.unit_id), *_when_and_how(first, anonymous)]
        if identified:
            row.append(first.full_name or "")
        for _, key, part in columns:
            question, answer = by_key.get(key, (None, None))
            row.append(_cell(question, answer, part, topic_labels or {}))
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
