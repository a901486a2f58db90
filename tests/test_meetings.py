"""Opinions from meetings and desks: recorded, imported from XLSX and DOCX, stored once, tagged,
counted by channel under k, and readable only in scope."""

import io
from datetime import date, timedelta

import pytest
from docx import Document
from factories import make_staff, make_survey, submit
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from test_recommendations_browser import _Plain

from surveys import meetings, org, results, tagging
from surveys.errors import DomainError, Malformed
from surveys.models import (
    Answer,
    AnswerTag,
    Audience,
    Channel,
    Opinion,
    Response,
    Role,
    SurveyState,
    UnitKind,
)
from surveys.timeutil import local_today

TODAY = date(2026, 11, 26)


def _meeting(session, world, unit=None, **extra):
    values = dict(
        kind=Channel.VOTER_CONTACT,
        held_on=TODAY - timedelta(days=2),
        place="Nhà văn hóa tổ 5",
        chair="Ông Nguyễn Văn Chủ trì",
        attendance=120,
        unit=unit or world.A,
        actor=world.users[Role.UNIT_HEAD],
        today=TODAY,
    )
    meeting = meetings.record_meeting(session, **(values | extra))
    session.commit()
    return meeting


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(meetings.XLSX_HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _docx(paragraphs):
    document = Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_meeting_keeps_its_opinions_as_answers_of_an_archived_record(session, world):
    ward = org.create_unit(session, code="W1", name="Phường Một", kind=UnitKind.WARD, parent=world.P)
    meeting = _meeting(session, world, unit=ward)
    assert meeting.survey.state == SurveyState.ARCHIVED
    assert meeting.survey.audience == Audience.CITIZENS  # its follow-up page is public
    assert _meeting(session, world).survey.audience == Audience.INVITED  # an agency's is not
    items = [
        meetings.OpinionInput("  Đề nghị  sửa đường liên thôn\x00 ", speaker="Bà Lan", concerned_unit=world.B),
        meetings.OpinionInput("Cần thêm đèn chiếu sáng ngõ 3"),
    ]
    report = meetings.add_opinions(session, meeting, items, world.users[Role.UNIT_HEAD], today=TODAY)
    session.commit()
    assert (report.added, report.duplicates) == (2, 0)
    responses = session.scalars(select(Response).where(Response.survey_id == meeting.survey_id)).all()
    assert {r.channel for r in responses} == {Channel.VOTER_CONTACT}
    assert {r.unit_id for r in responses} == {ward.id} and {r.submitted_on for r in responses} == {TODAY}
    assert all(r.respondent_id is None and r.receipt_hash is None for r in responses)
    first, second = meeting.opinions
    assert first.answer.text == "Đề nghị sửa đường liên thôn" and first.speaker == "Bà Lan"
    assert first.concerned_unit_id == world.B.id and (first.number, second.number) == (1, 2)


def test_the_same_opinion_twice_is_stored_once(session, world):
    meeting = _meeting(session, world)
    item = meetings.OpinionInput("Đề nghị sửa đường")
    meetings.add_opinions(session, meeting, [item], None, today=TODAY)
    report = meetings.add_opinions(session, meeting, [item, meetings.OpinionInput("ĐỀ NGHỊ SỬA ĐƯỜNG")], None)
    session.commit()
    assert (report.added, report.duplicates) == (0, 2)
    assert session.scalar(select(func.count()).select_from(Opinion)) == 1


@pytest.mark.parametrize(
    "values,message",
    [
        ({"held_on": TODAY + timedelta(days=1)}, "sau hôm nay"),
        ({"place": "  "}, "địa điểm"),
        ({"attendance": -1}, "Số người dự"),
        ({"kind": Channel.WEB}, "Hình thức"),
    ],
)
def test_a_meeting_with_bad_facts_is_refused(session, world, values, message):
    with pytest.raises(DomainError, match=message):
        _meeting(session, world, **values)


def test_empty_and_overlong_opinions_are_refused_and_nothing_is_stored(session, world):
    meeting = _meeting(session, world)
    with pytest.raises(DomainError, match="Dòng 3"):
        items = [meetings.OpinionInput("Tốt"), meetings.OpinionInput(" ", line=3)]
        meetings.add_opinions(session, meeting, items, None)
    session.rollback()
    with pytest.raises(DomainError, match="5000"):
        meetings.add_opinions(session, meeting, [meetings.OpinionInput("x" * 5001)], None)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Answer)) == 0


def test_xlsx_template_round_trip_with_consent_and_unit_codes(session, world):
    template = load_workbook(io.BytesIO(meetings.xlsx_template())).active
    assert [c.value for c in template[1]] == list(meetings.XLSX_HEADERS)
    data = _xlsx(
        [
            [1, "Đề nghị nạo vét kênh mương", "Ông Ba", "có", "b"],
            [2, '=HYPERLINK("http://x")', "Bà Tư", "không", ""],
            [None, None, None, None, None],
            [3, "Xin hỗ trợ giống lúa", "", "", "A1"],
        ]
    )
    items = meetings.read_xlsx(session, data)
    assert [i.text for i in items] == ["Đề nghị nạo vét kênh mương", '=HYPERLINK("http://x")', "Xin hỗ trợ giống lúa"]
    assert [i.speaker for i in items] == ["Ông Ba", None, None]  # named only with consent
    assert [i.concerned_unit for i in items] == [world.B, None, world.A1]
    assert [i.line for i in items] == [2, 3, 5]


def test_xlsx_errors_name_the_row_or_the_file(session, world):
    with pytest.raises(DomainError, match=r"Dòng 2.*ZZ"):
        meetings.read_xlsx(session, _xlsx([[1, "Ý kiến", "", "", "ZZ"]]))
    with pytest.raises(Malformed):
        meetings.read_xlsx(session, b"PK\x03\x04 not a workbook")
    workbook = Workbook()
    workbook.active.append(["Cột lạ"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(Malformed, match="Nội dung ý kiến"):
        meetings.read_xlsx(session, buffer.getvalue())


def test_docx_minutes_give_one_opinion_per_numbered_paragraph():
    data = _docx(
        [
            ("BIÊN BẢN HỘI NGHỊ TIẾP XÚC CỬ TRI", None),
            ("Thành phần: 120 cử tri tổ 5.", None),
            ("Đề nghị sửa đường liên thôn.", "List Number"),
            ("2. Cần thêm đèn chiếu sáng ngõ 3.", None),
            ("Ý kiến 3: Xin hỗ trợ vốn vay cho hộ nghèo.", None),
            ("Hội nghị kết thúc lúc 11 giờ.", None),
        ]
    )
    items = meetings.read_docx(data)
    assert [i.text for i in items] == [
        "Đề nghị sửa đường liên thôn.",
        "Cần thêm đèn chiếu sáng ngõ 3.",
        "Xin hỗ trợ vốn vay cho hộ nghèo.",
    ]
    with pytest.raises(Malformed, match="đánh số"):
        meetings.read_docx(_docx([("Không có ý kiến nào được đánh số.", None)]))
    with pytest.raises(Malformed):
        meetings.read_docx(b"not a docx")


def test_opinions_are_tagged_and_read_in_scope_with_redacted_quotes(session, world):
    meeting = _meeting(session, world, unit=world.A1)
    texts = [f"Đề nghị sửa đường số {n}, liên hệ 0912 000 11{n}" for n in range(5)]
    meetings.add_opinions(session, meeting, [meetings.OpinionInput(t) for t in texts], None)
    session.commit()
    assert tagging.tag_pending(session, _Plain()) == 5
    tags = session.scalars(select(AnswerTag)).all()
    assert len(tags) == 5 and all("0912" not in t.redacted for t in tags)
    head = world.users[Role.UNIT_HEAD]
    counted = session.scalar(
        select(func.count()).select_from(Response).where(results.response_scope(session, head, meeting.survey))
    )
    assert counted == 5


def test_channel_counts_keep_every_figure_at_k_or_more(session, world):
    # Confidential: an anonymous answer keeps no channel (see the next test).
    survey = make_survey(session, owner=world.A, units=[world.A], anonymity="confidential")
    for person in make_staff(session, world.A1, 6):
        submit(session, survey, {"q1": "co"}, respondent=person)
    meeting = _meeting(session, world, unit=world.A1, held_on=local_today())
    meetings.add_opinions(session, meeting, [meetings.OpinionInput(f"Ý kiến số {n}") for n in range(3)], None)
    hotline = _meeting(session, world, unit=world.A1, kind=Channel.HOTLINE, held_on=local_today())
    meetings.add_opinions(session, hotline, [meetings.OpinionInput(f"Phản ánh số {n}") for n in range(5)], None)
    session.commit()
    today = local_today()
    counts = meetings.channel_counts(session, [world.A], today, today + timedelta(days=1), k=5)
    # Web 6 and hotline 5 stand; voter contact's 3 alone would be below k, so the smallest shown joins it.
    assert [(c["channel"], c["count"]) for c in counts] == [("web", 6), ("other", 8)]
    assert meetings.channel_counts(session, [world.B], today, today + timedelta(days=1), k=5) == []


def test_anonymous_answers_are_never_counted_by_channel(session, world):
    survey = make_survey(session, owner=world.A, units=[world.A])
    for person in make_staff(session, world.A1, 6):
        submit(session, survey, {"q1": "co"}, respondent=person)
    session.commit()
    today = local_today()
    counts = meetings.channel_counts(session, [world.A], today, today + timedelta(days=1), k=5)
    assert [(c["channel"], c["count"]) for c in counts] == [("other", 6)]
