"""Hostile input (issue 13, finding 10): NUL bytes, invalid UTF-8, deeply nested JSON, ids beyond
the database's integers, over-long fields. Each gets a clear Vietnamese message, never a 500."""

import io
import json

import pytest
from factories import PASSWORD, make_survey, make_unit, submit
from sqlalchemy import func, select

from surveys import people
from surveys.models import Answer, Response, Role, UnitKind

NUL_MESSAGE = "ký tự không hợp lệ"
HUGE_ID = 2**31
HUGER_ID = 2**63


@pytest.fixture
def staff_api(world, session):
    survey = make_survey(session, owner=world.A, units=[world.A])
    token = people.create_api_token(session, world.users[Role.STAFF], "thử")
    session.commit()
    return survey, {"Authorization": f"Bearer {token}"}


def _api_error(response, status):
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    return response.json


def test_nul_bytes_in_an_api_answer_are_refused_in_vietnamese(client, staff_api):
    survey, headers = staff_api
    response = client.post(
        f"/api/v1/surveys/{survey.id}/responses",
        json={"answers": {"q1": "co", "q2": "Lương\x00 thấp"}},
        headers=headers | {"Idempotency-Key": "n" * 16},
    )
    assert NUL_MESSAGE in _api_error(response, 400)["message"]


@pytest.mark.parametrize("depth", [64, 100_000])
def test_deeply_nested_json_is_refused(client, staff_api, depth):
    survey, headers = staff_api
    body = '{"answers": ' + "[" * depth + "]" * depth + "}"
    response = client.post(
        f"/api/v1/surveys/{survey.id}/responses",
        data=body,
        content_type="application/json",
        headers=headers | {"Idempotency-Key": "d" * 16},
    )
    assert "lồng nhau" in _api_error(response, 400)["message"]


@pytest.mark.parametrize("path", ["/api/v1/surveys/{id}", "/api/v1/surveys/{id}/results"])
@pytest.mark.parametrize("big", [HUGE_ID, HUGER_ID])
def test_ids_beyond_the_databases_integers_are_not_found(client, staff_api, path, big):
    _survey, headers = staff_api
    _api_error(client.get(path.format(id=big), headers=headers), 404)


def test_ids_beyond_the_databases_integers_in_pages_and_filters(app, world, session):
    survey = make_survey(session, owner=world.A, units=[world.A])
    session.commit()
    client = world.login_as(app.test_client(), Role.ADMIN)
    for url in (
        f"/surveys/{HUGER_ID}",
        f"/recommendations/{HUGE_ID}",
        f"/admin/users/{HUGER_ID}/edit",
        f"/units/{HUGE_ID}",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/surveys/{survey.id}/results?unit={HUGER_ID}",
        f"/surveys/{survey.id}/export.csv?unit={HUGE_ID}",
        f"/recommendations/new?survey={HUGER_ID}&answer={HUGER_ID}",
        f"/admin/audit?actor_id={HUGER_ID}&page={HUGER_ID}",
        "/admin/audit?page=0001" + "0" * 5000,
        "/admin/users?page=abc",
        f"/summaries/?page={HUGER_ID}",
        "/summaries/?page=-3",
    ):
        assert client.get(url).status_code in (200, 302, 400, 404), url


def test_nul_bytes_and_invalid_utf8_at_log_in_are_refused_on_the_page(app, world):
    client = app.test_client()
    page = client.post("/login", data={"login": "a\x00b@thu.vn", "password": PASSWORD})
    assert page.status_code == 200 and NUL_MESSAGE in page.get_data(as_text=True)
    page = client.post("/login", data=b"login=%FF%FEabc&password=x", content_type="application/x-www-form-urlencoded")
    assert page.status_code == 200 and NUL_MESSAGE in page.get_data(as_text=True)


def test_a_survey_title_with_nul_or_too_long_keeps_what_was_typed(app, world, session):
    client = world.login_as(app.test_client(), Role.AUTHOR)
    for title, message in (("Khảo sát\x00 quý", NUL_MESSAGE), ("Khảo sát " * 40, "255")):
        page = client.post(
            "/surveys/new",
            data={"title": title, "audience": "staff", "anonymity": "anonymous", "owner_unit_id": world.A.id},
        )
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and message in text
        assert "Khảo sát" in text


def test_a_nul_byte_in_a_csv_import_and_a_huge_field_are_reported(app, world):
    client = world.login_as(app.test_client(), Role.ADMIN)
    for content in (
        "ho_ten,email,dien_thoai,ma_don_vi\nNguyễn\x00 An,an@thu.vn,,A1\n",
        "ho_ten,email,dien_thoai,ma_don_vi\n" + "x" * 200_000 + ",an@thu.vn,,A1\n",
        "ho_ten,email,dien_thoai,ma_don_vi\n" + "x" * 300 + ",an@thu.vn,,A1\n",
    ):
        page = client.post(
            "/admin/users/import",
            data={"file": (io.BytesIO(content.encode()), "ds.csv")},
            content_type="multipart/form-data",
        )
        assert page.status_code == 200, page.status_code
        assert "Không nhập tệp" in page.get_data(as_text=True)


def test_a_deeply_nested_survey_definition_is_refused(app, world):
    client = world.login_as(app.test_client(), Role.AUTHOR)
    body = '{"title": "x", "questions": ' + "[" * 50_000 + "]" * 50_000 + "}"
    page = client.post(
        "/surveys/import",
        data={"file": (io.BytesIO(body.encode()), "ks.json"), "owner_unit_id": world.A.id},
        content_type="multipart/form-data",
    )
    assert page.status_code == 200 and "lồng nhau" in page.get_data(as_text=True)


def test_a_nul_byte_in_a_web_answer_is_refused_and_what_was_typed_is_kept(app, world, session):
    survey = make_survey(session, owner=world.A, units=[world.A])
    session.commit()
    client = world.login_as(app.test_client(), Role.STAFF)
    page = client.post(
        f"/answer/{survey.id}",
        data={"page": "1", "idempotency_key": "w" * 32, "action": "submit", "q_q1": "co", "q_q3": "Lương\x00 thấp quá"},
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and NUL_MESSAGE in text and "thấp quá" in text
    session.commit()
    assert session.scalar(select(func.count(Response.id))) == 0
    for page_number in ("abc", "99999999999999999999", "-1"):
        page = client.post(f"/answer/{survey.id}", data={"page": page_number, "action": "next", "q_q1": "co"})
        assert page.status_code in (200, 422), page_number


def test_raising_a_recommendation_from_answers_with_an_empty_source_detail(app, world, session):
    ward = make_unit(session, "W9", "Phường Chín", UnitKind.WARD, parent=world.P)
    survey = make_survey(session, owner=world.A, units=[ward], audience="citizens")
    responses = [submit(session, survey, {"q1": "co", "q3": "Cần thêm máy tính"}, unit=ward) for _ in range(5)]
    session.commit()
    answers = session.scalars(select(Answer.id).where(Answer.response_id.in_([r.id for r in responses]))).all()
    client = world.login_as(app.test_client(), Role.ADMIN)
    chosen = "&".join(f"answer={i}" for i in answers)
    response = client.post(
        f"/recommendations/new?survey={survey.id}&{chosen}",
        data={
            "title": "Máy tính",
            "content": "Cần thêm máy tính",
            "kind": "opinion",
            "source_kind": "answers",
            "source_detail": "",
            "owner_unit_id": world.A.id,
            "topic": "",
        },
    )
    assert response.status_code in (200, 302), response.status_code


def test_json_with_a_nul_in_a_key_is_refused(client, staff_api):
    survey, headers = staff_api
    response = client.post(
        f"/api/v1/surveys/{survey.id}/responses",
        data=json.dumps({"answers": {"q\x001": "co"}}),
        content_type="application/json",
        headers=headers | {"Idempotency-Key": "k" * 16},
    )
    _api_error(response, 400)
