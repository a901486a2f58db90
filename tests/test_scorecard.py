"""The responsiveness scorecard: its periods, its components counted by hand, k on every
satisfaction figure, the administrator's weights, citizens' ratings and a formula-safe XLSX."""

import io
from datetime import date, timedelta

import pytest
from factories import PASSWORD, login, make_staff, make_survey, make_unit, submit
from openpyxl import load_workbook
from sqlalchemy import select

from surveys import org, recommendations, scorecard
from surveys.errors import DomainError
from surveys.models import (
    CommitteeKind,
    RecommendationKind,
    Role,
    SatisfactionRating,
    SourceKind,
    UnitKind,
)
from surveys.timeutil import local_today

SIPAS = [
    {
        "key": "sipas",
        "kind": "matrix",
        "text": "Mức độ hài lòng",
        "rows": [{"key": k, "label": k} for k in ("tiep_can", "thu_tuc", "cong_chuc", "ket_qua", "gop_y")],
    }
]


def test_periods():
    today = date(2026, 11, 26)
    assert scorecard.parse_period("", today).label == "2026-Q4"
    q1 = scorecard.parse_period("2027-Q1", today)
    assert (q1.first, q1.end) == (date(2027, 1, 1), date(2027, 4, 1))
    assert [q.label for q in q1.quarters()] == ["2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"]
    assert [q.label for q in scorecard.parse_period("2026", today).quarters()][-1] == "2026-Q4"
    for bad in ("2026-Q5", "Q4", "1999", "=1+1"):
        with pytest.raises(DomainError):
            scorecard.parse_period(bad, today)


def _answered(session, world, unit, *, received, days, due_in=15):
    head = world.users[Role.UNIT_HEAD]
    item = recommendations.create(
        session,
        title=f"Kiến nghị {days}",
        content="Nội dung",
        kind=RecommendationKind.OPINION,
        source_kind=SourceKind.MEETING,
        owner_unit=world.A,
        actor=head,
        today=received,
    )
    recommendations.act(session, item, "classify", head, today=received)
    recommendations.act(session, item, "assign", head, unit=unit, due=received + timedelta(days=due_in), today=received)
    if days is not None:
        recommendations.act(session, item, "resolve", head, note="Xong.", today=received + timedelta(days=days))
    session.commit()
    return item


def _rate(session, item, scores, today):
    for number, score in enumerate(scores):
        scorecard.rate(session, item, f"bien-nhan-{number}", score, today)
    session.commit()


def test_components_by_hand_and_k_on_satisfaction(session, world):
    today = local_today()
    period = scorecard.parse_period("", today)
    start = period.first
    make_unit(session, "A2", "Phòng A2", UnitKind.DEPARTMENT, world.A)
    survey = make_survey(session, owner=world.A, units=[world.A])
    for person in make_staff(session, world.A1, 5):
        submit(session, survey, {"q1": "co"}, respondent=person)
    fast = _answered(session, world, world.A1, received=start, days=4)
    _answered(session, world, world.A1, received=start, days=10)
    _answered(session, world, world.A1, received=start, days=20)  # after its 15-day deadline
    overdue = _answered(session, world, world.A1, received=start, days=None, due_in=0)
    _rate(session, fast, [5, 5, 4, 4], today)
    rows = {r.unit.code: r for r in scorecard.scorecard(session, world.C, period, today=today + timedelta(days=1), k=5)}
    # One level under what committee C oversees (A); its trade union AU supervises, it is not judged.
    assert set(rows) == {"A1", "A2"}
    row = rows["A1"]
    # 6 staff of A1 addressed (5 made here, and the world's staff member), 5 took part.
    assert (row.figures.addressed, row.figures.took_part) == (6, 5)
    assert row.components["participation"] == 83.3
    assert row.components["on_time"] == 66.7  # 2 of 3 answered by their deadline
    assert row.components["speed"] == round(100 * (1 - 10 / 30), 1)
    assert row.replies.overdue_now == 1 and row.components["overdue"] == 75.0
    assert row.components["satisfaction"] is None  # 4 ratings: fewer than k
    assert overdue.reply_due < today + timedelta(days=1)
    _rate(session, fast, [5, 5, 4, 4, 2], today)  # the first four again (replaced), and a fifth
    assert session.query(SatisfactionRating).count() == 5
    rows = {r.unit.code: r for r in scorecard.scorecard(session, world.C, period, today=today + timedelta(days=1), k=5)}
    assert rows["A1"].components["satisfaction"] == 75.0  # mean 4 on 1–5
    weights = scorecard.weights(session)
    parts = rows["A1"].components
    expected = sum(weights[c] * parts[c] for c in parts if parts[c] is not None) / sum(
        weights[c] for c in parts if parts[c] is not None
    )
    assert rows["A1"].score == round(expected, 1) and rows["A1"].rank == 1
    assert rows["A2"].score is None and rows["A2"].rank is None  # nothing to judge it by: unranked


def test_sipas_from_citizens_surveys_only_from_k_responses(session, world):
    today = local_today()
    ward = org.create_unit(session, code="W", name="Phường Thử", kind=UnitKind.WARD, parent=world.P)
    province = org.create_committee(
        session, code="TU", name="Tỉnh ủy Thử", kind=CommitteeKind.PROVINCIAL, unit=world.P, overseen=[world.P]
    )
    survey = make_survey(session, owner=world.P, units=[ward], audience="citizens", questions=SIPAS)
    answers = [5, 4, 4, 3]  # per respondent, the same on all five criteria
    for value in answers:
        submit(
            session,
            survey,
            {"sipas": dict.fromkeys(("tiep_can", "thu_tuc", "cong_chuc", "ket_qua", "gop_y"), value)},
            unit=ward,
        )
    period = scorecard.parse_period("", today)
    rows = {r.unit.code: r for r in scorecard.scorecard(session, province, period, today=today, k=5)}
    assert rows["W"].components["sipas"] is None  # 4 responses: fewer than k
    submit(
        session,
        survey,
        {"sipas": dict.fromkeys(("tiep_can", "thu_tuc", "cong_chuc", "ket_qua", "gop_y"), 2)},
        unit=ward,
    )
    rows = {r.unit.code: r for r in scorecard.scorecard(session, province, period, today=today, k=5)}
    assert rows["W"].components["sipas"] == 60.0  # 3 of 5 respondents satisfied on every criterion
    assert rows["W"].rank == 1


def test_ratings_need_an_answer_and_keep_no_link_to_the_response(session, world):
    today = local_today()
    item = _answered(session, world, world.A1, received=today, days=None)
    with pytest.raises(DomainError, match="chưa có kết quả"):
        scorecard.rate(session, item, "bien-nhan", 5, today)
    item = _answered(session, world, world.A1, received=today, days=0)
    with pytest.raises(DomainError):
        scorecard.rate(session, item, "bien-nhan", 6, today)
    scorecard.rate(session, item, "bien-nhan", 4, today)
    session.commit()
    rating = session.scalar(select(SatisfactionRating))
    assert "bien-nhan" not in rating.rater_key and len(rating.rater_key) == 64


def test_weights_are_set_by_the_administrator_and_audited(session, world):
    values = dict.fromkeys(scorecard.COMPONENTS, 0) | {"sipas": 100}
    scorecard.set_weights(session, values, world.users[Role.ADMIN])
    session.commit()
    assert scorecard.weights(session) == values
    assert scorecard.score({"sipas": 40.0, "on_time": 100.0}, values) == 40.0
    with pytest.raises(DomainError):
        scorecard.set_weights(session, dict.fromkeys(scorecard.COMPONENTS, 0), None)
    with pytest.raises(DomainError):
        scorecard.set_weights(session, values | {"speed": 101}, None)


def test_the_xlsx_is_formula_safe_and_the_page_is_for_the_committee(app, session, world):
    world.A1.name = '=HYPERLINK("http://x","Bấm")'
    session.commit()
    _answered(session, world, world.A1, received=local_today(), days=1)
    client = app.test_client()
    login(client, world.users[Role.COMMITTEE_MEMBER].email, PASSWORD)
    page = client.get("/scorecard/").get_data(as_text=True)
    assert "Đánh giá mức độ lắng nghe, phản hồi" in page and "Đảng ủy Sở A" in page
    response = client.get(f"/scorecard/{world.C.id}.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    names = [sheet.cell(row=r, column=2) for r in range(5, sheet.max_row + 1)]
    cell = next(c for c in names if c.value and c.value.startswith("=HYPERLINK"))
    assert cell.data_type == "s"  # a string, never a formula
    assert client.get("/scorecard/?period=2026-Q9").status_code == 409
