"""The survey lifecycle through the domain and the web: anonymity, idempotency, validation,
skip logic, versions, k-anonymity, exports and recurring instances."""

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from factories import STANDARD_QUESTIONS, make_staff, make_survey, submit
from openpyxl import load_workbook
from sqlalchemy import func, inspect, select

from surveys import answering, authoring, definitions, exports, kanon, results
from surveys.errors import DomainError
from surveys.models import (
    Answer,
    Participation,
    PendingResponse,
    Recurrence,
    Response,
    Role,
    Survey,
    SurveyState,
    Unit,
    UnitKind,
)


def count(session, model) -> int:
    session.commit()
    return session.scalar(select(func.count()).select_from(model))


# ---- anonymity and duplicates -------------------------------------------------------------------


def test_an_anonymous_response_holds_nothing_that_identifies(world, session):
    survey = make_survey(session, owner=world.A, units=[world.A])
    staff = world.users[Role.STAFF]
    response = submit(session, survey, {"q1": "co", "q3": "Mong được tăng lương"}, respondent=staff)
    assert response.respondent_id is None and response.invitation_id is None
    assert response.submitted_at is None, "only the day is kept"
    assert response.submitted_on is not None
    participation = session.scalar(select(Participation))
    assert participation.user_id == staff.id
    # Nothing links who answered to what was answered.
    columns = {c.key for c in inspect(Participation).columns}
    assert not {"response_id", "answer_id"} & columns
    assert not {c.key for c in inspect(Response).columns} & {"participation_id", "ip", "user_agent"}


def test_a_confidential_response_keeps_the_respondent_for_deduplication(world, session):
    survey = make_survey(session, owner=world.A, units=[world.A], anonymity="confidential")
    response = submit(session, survey, {"q1": "co"}, respondent=world.users[Role.STAFF])
    assert response.respondent_id == world.users[Role.STAFF].id and response.submitted_at is not None


def test_the_same_idempotency_key_stores_one_response(world, session):
    survey = make_survey(session, owner=world.A, units=[world.A])
    staff = world.users[Role.STAFF]
    first = submit(session, survey, {"q1": "co"}, respondent=staff, key="same-key-123")
    again = submit(session, survey, {"q1": "khong"}, respondent=staff, key="same-key-123")
    assert again.id == first.id
    assert count(session, Response) == 1 and count(session, Answer) == 1


def test_an_idempotency_key_belongs_to_one_person(world, session):
    survey = make_survey(session, owner=world.A, units=[world.A])
    a, b = make_staff(session, world.A1, 2)
    first = submit(session, survey, {"q1": "co"}, respondent=a, key="khoa-chung-1")
    other = submit(session, survey, {"q1": "khong"}, respondent=b, key="khoa-chung-1")
    assert other.id != first.id and other.answers[0].value == "khong"
    assert count(session, Response) == 2


def test_one_response_per_staff_account(world, session):
    survey = make_survey(session, owner=world.A, units=[world.A])
    staff = world.users[Role.STAFF]
    submit(session, survey, {"q1": "co"}, respondent=staff)
    with pytest.raises(DomainError, match="đã trả lời"):
        submit(session, survey, {"q1": "khong"}, respondent=staff)
    session.rollback()
    assert count(session, Response) == 1


def test_staff_of_another_unit_cannot_answer(world, session):
    survey = make_survey(session, owner=world.B, units=[world.B])
    with pytest.raises(DomainError, match="không dành cho đơn vị"):
        submit(session, survey, {"q1": "co"}, respondent=world.users[Role.STAFF])


def test_an_invitation_is_used_once(world, session):
    survey = make_survey(session, owner=world.A, units=[], audience="invited", anonymity="identified")
    [(invitation, token)] = authoring.create_invitations(
        session, survey, [("Ông Khách", "khach@x.vn")], world.users[Role.AUTHOR]
    )
    session.commit()
    assert authoring.find_invitation(session, token).id == invitation.id
    submit(session, survey, {"q1": "co"}, invitation=invitation)
    with pytest.raises(DomainError):
        submit(session, survey, {"q1": "co"}, invitation=invitation)


# ---- validation and skip logic ------------------------------------------------------------------

ALL_KINDS = [
    {"key": "intro", "kind": "text_block", "text": "Xin chào"},
    {
        "key": "single",
        "kind": "single",
        "text": "Một",
        "required": True,
        "allow_other": True,
        "choices": ["Có", "Không"],
    },
    {"key": "multi", "kind": "multiple", "text": "Nhiều", "choices": ["A", "B", "C"], "validation": {"max_choices": 2}},
    {"key": "drop", "kind": "dropdown", "text": "Danh sách", "choices": ["X", "Y"]},
    {"key": "rating", "kind": "rating", "text": "Điểm"},
    {"key": "likert", "kind": "likert", "text": "Đồng ý"},
    {"key": "nps", "kind": "nps", "text": "Giới thiệu"},
    {"key": "matrix", "kind": "matrix", "text": "Bảng", "required": True, "rows": ["Lương", "Điều kiện"]},
    {"key": "number", "kind": "number", "text": "Tuổi", "validation": {"min": 18, "max": 70}},
    {"key": "day", "kind": "date", "text": "Ngày"},
    {
        "key": "short",
        "kind": "short_text",
        "text": "Mã",
        "validation": {"pattern": "[0-9]{4}", "pattern_message": "Nhập đúng 4 chữ số."},
    },
    {
        "key": "long",
        "kind": "long_text",
        "text": "Ý kiến",
        "page": 2,
        "show_if": {"question": "single", "equals": "khong"},
    },
    {"key": "consent", "kind": "consent", "text": "Đồng ý", "page": 2, "required": True},
]


def test_every_question_kind_parses_and_validates(world, session):
    survey = make_survey(session, owner=world.A, units=[world.A], questions=ALL_KINDS)
    version = survey.current_version
    raw = answering.raw_from_json(
        version,
        {
            "single": "__other__",
            "single__other": "Ý kiến riêng",
            "multi": ["a", "b", "c"],
            "rating": 9,
            "matrix": {"luong": 4},
            "number": "12",
            "day": "31/02/2026",
            "short": "12a",
        },
    )
    errors = answering.parse(version, raw).errors
    assert set(errors) == {"multi", "rating", "matrix", "number", "day", "short", "consent"}
    assert errors["number"].params == {"min": "18", "max": "70"}
    assert errors["short"].message == "Nhập đúng 4 chữ số."
    good = answering.parse(
        version,
        answering.raw_from_json(
            version,
            {
                "single": "co",
                "multi": ["a"],
                "drop": "x",
                "rating": 5,
                "likert": 1,
                "nps": 0,
                "matrix": {"luong": 4, "dieu_kien": 2},
                "number": "35,5",
                "day": "2026-11-02",
                "short": "1234",
                "long": "bị bỏ qua vì câu single không là 'khong'",
                "consent": True,
            },
        ),
    )
    assert good.errors == {}
    assert good.values["number"] == 35.5 and good.values["day"] == "2026-11-02"
    assert "long" not in good.values, "a hidden question's answer is ignored"
    assert good.values["matrix"] == {"luong": 4, "dieu_kien": 2}


def test_skip_logic_shows_a_question_only_when_its_condition_holds(world, session):
    survey = make_survey(session, owner=world.A, units=[world.A], questions=ALL_KINDS)
    version = survey.current_version
    assert "long" not in {q.key for q in answering.visible_questions(version, {"single": "co"})}
    assert "long" in {q.key for q in answering.visible_questions(version, {"single": "khong"})}
    assert answering.visible_pages(version, {}) == [1, 2]


def test_definitions_reject_bad_input_in_vietnamese():
    with pytest.raises(DomainError, match="đứng trước"):
        definitions.clean_questions(
            [{"key": "a", "kind": "long_text", "text": "x", "show_if": {"question": "b", "equals": "c"}}]
        )
    with pytest.raises(DomainError, match="ít nhất một lựa chọn"):
        definitions.clean_questions([{"key": "a", "kind": "single", "text": "x"}])
    with pytest.raises(DomainError, match="định dạng"):
        definitions.clean_definition({"title": "x"})


def test_definitions_round_trip_and_the_shipped_templates_load(world, session):
    library = definitions.library()
    assert set(library) == {"staff_aspirations", "citizen_sipas"}
    survey = authoring.create_from_definition(
        session, library["staff_aspirations"], owner_unit=world.A, units=[world.A], author=None
    )
    session.commit()
    exported = definitions.export_definition(survey)
    assert definitions.clean_definition(exported)["questions"] == library["staff_aspirations"]["questions"]
    json.dumps(exported, ensure_ascii=False)


# ---- versions -----------------------------------------------------------------------------------


def test_editing_after_answers_makes_a_new_version(world, session):
    survey = make_survey(session, owner=world.A, units=[world.A])
    author = world.users[Role.AUTHOR]
    authoring.save_question(session, survey, {"key": "q4", "kind": "short_text", "text": "Thêm"}, author)
    session.commit()
    assert survey.current_version.number == 1, "no answers yet: edit in place"
    old = submit(session, survey, {"q1": "co"}, respondent=world.users[Role.STAFF])
    authoring.save_question(
        session, survey, {**STANDARD_QUESTIONS[0], "text": "Câu hỏi đã sửa"}, author, original_key="q1"
    )
    session.commit()
    assert [v.number for v in survey.versions] == [1, 2]
    old_answer = session.scalar(select(Answer).where(Answer.response_id == old.id))
    assert old_answer.question.text == STANDARD_QUESTIONS[0]["text"]
    assert survey.current_version.questions[0].text == "Câu hỏi đã sửa"


# ---- k-anonymity and results --------------------------------------------------------------------


def _units(session, world):
    return {u.id: u for u in session.scalars(select(Unit))}


def test_small_units_merge_into_their_parent(world, session):
    units = _units(session, world)
    groups = kanon.roll_up({world.A.id: 6, world.A1.id: 2, world.B.id: 3}, units, k=5)
    shown = {(g.unit.code if g.unit else None): g.count for g in groups}
    # A1 folds into A (8); B climbs to the province (3), too small to stand alone, so the
    # smallest shown group (A) joins it: one merged group of 11.
    assert shown == {None: 11}
    groups = kanon.roll_up({world.A.id: 6, world.A1.id: 5, world.B.id: 7}, units, k=5)
    assert sorted((g.unit.code, g.count) for g in groups) == [("A", 6), ("A1", 5), ("B", 7)]
    assert kanon.roll_up({world.A1.id: 4}, units, k=5) == []


def test_results_are_suppressed_below_k_and_scoped(world, session, app):
    survey = make_survey(session, owner=world.A, units=[world.A, world.B])
    a_staff, b_staff = make_staff(session, world.A1, 4, "a"), make_staff(session, world.B, 6, "b")
    for person in a_staff:
        submit(session, survey, {"q1": "co", "q3": "Gọi tôi 0912 345 678"}, respondent=person)
    for person in b_staff:
        submit(session, survey, {"q1": "khong", "q2": 2}, respondent=person)
    head_of_a = world.users[Role.UNIT_HEAD]
    outcome = results.compute(session, head_of_a, survey, k=5)
    assert outcome.total == 4 and outcome.suppressed and outcome.questions == []
    admin_view = results.compute(session, world.users[Role.ADMIN], survey, k=5)
    assert admin_view.total == 10 and not admin_view.suppressed
    q3 = next(q for q in admin_view.questions if q.question.key == "q3")
    assert [t.text for t in q3.texts] == ["Gọi tôi [số điện thoại]"] * 4, "quotes are redacted"
    # A1's 4 cannot stand alone anywhere, and B's 6 would reveal them by subtraction: one merged group.
    assert [(g.unit, g.count) for g in admin_view.groups] == [(None, 10)]
    with pytest.raises(DomainError, match="Chưa đủ"):
        next(exports.rows(session, head_of_a, survey, k=5))


def test_a_reader_cannot_open_another_units_results(world, session, client):
    survey = make_survey(session, owner=world.B, units=[world.B])
    for person in make_staff(session, world.B, 5, "b"):
        submit(session, survey, {"q1": "co"}, respondent=person)
    world.login_as(client, Role.UNIT_HEAD)
    for url in (
        f"/surveys/{survey.id}/results",
        f"/surveys/{survey.id}/export.csv",
        f"/surveys/{survey.id}/export.xlsx",
    ):
        assert client.get(url).status_code == 403, url
    own = make_survey(session, owner=world.A, units=[world.A])
    assert client.get(f"/surveys/{own.id}/results?unit={world.B.id}").status_code == 403


def test_exports_hold_the_answers(world, session, client):
    survey = make_survey(session, owner=world.A, units=[world.A], questions=ALL_KINDS[:3] + ALL_KINDS[7:8])
    for number, person in enumerate(make_staff(session, world.A1, 6)):
        submit(
            session,
            survey,
            {
                "single": "__other__" if number == 0 else "co",
                "single__other": "=SUM(1) gọi 0987654321",
                "multi": ["a", "c"],
                "matrix": {"luong": 3, "dieu_kien": 5},
            },
            respondent=person,
        )
    world.login_as(client, Role.UNIT_HEAD)
    response = client.get(f"/surveys/{survey.id}/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["STT", "Đơn vị", "Tuần công bố", "single. Một"], "anonymous: no channel, no day"
    assert len(rows) == 7
    assert all(row[1] == "Phòng A1" for row in rows[1:])
    other_column = rows[0].index("single (ý kiến khác)")
    assert sorted(row[other_column] for row in rows[1:])[-1] == "'=SUM(1) gọi [số điện thoại]"
    assert {row[rows[0].index("multi. Nhiều")] for row in rows[1:]} == {"A; C"}
    workbook = load_workbook(io.BytesIO(client.get(f"/surveys/{survey.id}/export.xlsx").data), read_only=True)
    sheet = list(workbook.active.iter_rows(values_only=True))
    assert sheet[0][:2] == ("STT", "Đơn vị") and len(sheet) == 7
    assert {row[sheet[0].index("matrix: Lương")] for row in sheet[1:]} == {3}


HOSTILE_STARTS = ['=HYPERLINK("http://x.vn","bấm")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def test_exports_never_carry_a_formula(world, session, client):
    """Issue 13, finding 2: a typed =HYPERLINK(…), =1+1 or a leading tab was a live formula in the XLSX."""
    survey = make_survey(
        session, owner=world.A, units=[world.A], questions=[{"key": "y", "kind": "long_text", "text": "Ý kiến"}]
    )
    typed = HOSTILE_STARTS[:4] + ["=1+1 một", "bình thường"]
    for text, person in zip(typed, make_staff(session, world.A1, 6), strict=True):
        submit(session, survey, {"y": text}, respondent=person)
    world.login_as(client, Role.UNIT_HEAD)
    workbook = load_workbook(io.BytesIO(client.get(f"/surveys/{survey.id}/export.xlsx").data))
    cells = [row[3] for row in workbook.active.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted(typed), "kept exactly as typed"
    assert {c.data_type for c in cells} == {"s"}, "a string cell each, not one formula"
    rows = list(csv.reader(io.StringIO(client.get(f"/surveys/{survey.id}/export.csv").data.decode("utf-8-sig"))))
    assert sorted(row[3] for row in rows[1:]) == sorted("'" + t if t != "bình thường" else t for t in typed)


def test_files_defuse_every_formula_start_and_continue_past_a_full_sheet(monkeypatch):
    rows = [
        ["STT", "Ý kiến"],
        *[[number, text] for number, text in enumerate(HOSTILE_STARTS, start=1)],
        [7, "nul\x00 và \ud800 bỏ đi"],
    ]
    written = list(csv.reader(io.StringIO("".join(exports.csv_chunks(iter(rows))).lstrip("\ufeff"))))
    assert [row[1] for row in written[1:7]] == ["'" + text for text in HOSTILE_STARTS]
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 5)  # a sheet holds the header and four rows
    with exports.xlsx_file(iter(rows)) as output:
        workbook = load_workbook(io.BytesIO(output.read()))
    assert workbook.sheetnames == ["Kết quả", "Kết quả (2)"]
    cells = [row for sheet in workbook for row in sheet.iter_rows()]
    assert [c.value for c in cells[0]] == ["STT", "Ý kiến"] == [c.value for c in cells[5]], "the header on each sheet"
    answers = [row[1] for row in cells if row[0].data_type == "n"]
    excel_escaped = HOSTILE_STARTS[:5] + ["_x000D_=1+1"]  # a carriage return is kept as Excel's own escape
    assert [c.value for c in answers] == excel_escaped + ["nul và  bỏ đi"], "every row once, in order"
    assert {c.data_type for c in answers} == {"s"}


# ---- answering in the browser's way (forms, no JavaScript) --------------------------------------


def test_a_page_with_errors_keeps_what_was_typed(world, session, client):
    questions = [
        {"key": "age", "kind": "number", "text": "Tuổi", "validation": {"min": 18, "max": 70}},
        {"key": "idea", "kind": "long_text", "text": "Ý kiến"},
    ]
    survey = make_survey(session, owner=world.A, units=[world.A], questions=questions)
    world.login_as(client, Role.STAFF)
    assert "Ẩn danh" in client.get(f"/answer/{survey.id}").get_data(as_text=True)
    key = uuid.uuid4().hex
    form = {"page": "1", "idempotency_key": key, "action": "submit", "q_age": "7", "q_idea": "Cần thêm máy tính"}
    page = client.post(f"/answer/{survey.id}", data=form)
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Giá trị phải từ 18 đến 70." in html and "Cần thêm máy tính" in html and 'value="7"' in html
    assert count(session, PendingResponse) == 0
    form["q_age"] = "30"
    assert client.post(f"/answer/{survey.id}", data=form).status_code == 302
    assert client.post(f"/answer/{survey.id}", data=form).status_code == 302, "a double click is harmless"
    assert count(session, PendingResponse) == 1


def test_the_public_link_with_honeypot_and_rate_limit(world, session, client, app):
    from surveys import org

    ward = org.create_unit(session, code="W1", name="Phường Một", kind=UnitKind.WARD, parent=world.P)
    other = org.create_unit(session, code="W2", name="Phường Hai", kind=UnitKind.WARD, parent=world.P)
    survey = make_survey(session, owner=world.A, units=[ward, other], audience="citizens")
    url = f"/s/{survey.public_token}"
    start = client.post(url, data={"page": "0", "idempotency_key": "x" * 32, "action": "next"})
    assert start.status_code == 422 and "Vui lòng chọn xã, phường" in start.get_data(as_text=True)
    # A survey for one ward does not ask for it.
    single = make_survey(session, owner=world.A, units=[ward], audience="citizens", title="Một phường")
    start = client.post(f"/s/{single.public_token}", data={"page": "0", "idempotency_key": "y" * 32, "action": "next"})
    assert start.status_code == 200 and "Vui lòng chọn xã, phường" not in start.get_data(as_text=True)
    base = {"page": "1", "unit_id": str(ward.id), "action": "submit", "q_q1": "co"}
    robot = client.post(url, data=base | {"idempotency_key": "r" * 32, "website": "http://spam"})
    assert robot.status_code == 302 and count(session, PendingResponse) == 0
    app.config["PUBLIC_SUBMITS_PER_HOUR"] = 2
    try:
        statuses = [client.post(url, data=base | {"idempotency_key": uuid.uuid4().hex}).status_code for _ in range(3)]
    finally:
        app.config["PUBLIC_SUBMITS_PER_HOUR"] = 30
    assert statuses == [302, 302, 429]
    assert count(session, PendingResponse) == 2
    assert {r.unit_id for r in session.scalars(select(PendingResponse))} == {ward.id}


def test_save_and_resume(world, session, client):
    survey = make_survey(session, owner=world.A, units=[world.A])
    world.login_as(client, Role.STAFF)
    client.post(
        f"/answer/{survey.id}",
        data={"page": "1", "idempotency_key": "k" * 32, "action": "save", "q_q3": "Đang viết dở"},
    )
    assert "Đang viết dở" in client.get(f"/answer/{survey.id}").get_data(as_text=True)
    assert count(session, Response) == 0


# ---- the lifecycle the scheduler drives ---------------------------------------------------------


def test_surveys_close_on_time_and_pulses_recur(world, session):
    now = datetime(2027, 3, 3, 3, 0, tzinfo=UTC)  # a Wednesday, after the real clock
    short = make_survey(session, owner=world.A, units=[world.A], closes_at=now + timedelta(hours=1))
    pulse = make_survey(session, owner=world.A, units=[world.A], recurrence=Recurrence.WEEKLY, publish=False)
    authoring.publish(session, pulse, None, now=now)
    session.commit()
    assert pulse.period_start.isoformat() == "2027-03-01"
    assert authoring.advance_lifecycle(session, now) == {"closed": 0, "created": 0}
    next_week = now + timedelta(days=7)
    assert authoring.advance_lifecycle(session, next_week) == {"closed": 2, "created": 1}
    assert authoring.advance_lifecycle(session, next_week) == {"closed": 0, "created": 0}
    session.commit()
    assert short.state == SurveyState.CLOSED
    instance = session.scalar(select(Survey).where(Survey.series_id == pulse.id))
    assert instance.period_start.isoformat() == "2027-03-08" and instance.state == SurveyState.OPEN
    assert [q.key for q in instance.current_version.questions] == ["q1", "q2", "q3"]
