"""The JSON API: token auth, idempotent submission, Vietnamese validation errors, k in results."""
from conftest import make_staff, make_survey, submit
from sqlalchemy import func, select

from surveys import people
from surveys.models import Response, Role


def bearer(session, user) -> dict:
    token = people.create_api_token(session, user, "thử")
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_the_openapi_document_describes_every_route(app, client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    routes = {rule.rule.removeprefix("/api/v1").replace("<int:survey_id>", "{survey_id}")
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    assert routes == set(document["paths"])


def test_a_retried_submission_is_stored_once(app, world, session, client):
    survey = make_survey(session, owner=world.A, units=[world.A])
    headers = bearer(session, world.users[Role.STAFF]) | {"Idempotency-Key": "lan-gui-thu-nhat"}
    url = f"/api/v1/surveys/{survey.id}/responses"
    first = client.post(url, json={"answers": {"q1": "co", "q3": "Cần thêm máy tính"}}, headers=headers)
    again = client.post(url, json={"answers": {"q1": "co", "q3": "Cần thêm máy tính"}}, headers=headers)
    assert (first.status_code, first.json["replayed"]) == (201, False) and "/follow/" in first.json["follow_url"]
    assert (again.status_code, again.json["replayed"]) == (200, True)
    session.commit()
    assert session.scalar(select(func.count()).select_from(Response)) == 1
    other_key = client.post(url, json={"answers": {"q1": "khong"}}, headers=headers | {"Idempotency-Key": "lan-khac-1"})
    assert other_key.status_code == 409 and "đã trả lời" in other_key.json["message"]


def test_bad_answers_get_vietnamese_messages_per_question(app, world, session, client):
    survey = make_survey(session, owner=world.A, units=[world.A])
    response = client.post(f"/api/v1/surveys/{survey.id}/responses", json={"answers": {"q1": "co_le", "q2": 9}},
                           headers=bearer(session, world.users[Role.STAFF]) | {"Idempotency-Key": "k" * 12})
    assert response.status_code == 422
    assert response.json["fields"] == {"q1": "Lựa chọn không hợp lệ.", "q2": "Lựa chọn không hợp lệ."}
    unknown = client.post(f"/api/v1/surveys/{survey.id}/responses", json={"answers": {"q9": 1}},
                          headers=bearer(session, world.users[Role.STAFF]) | {"Idempotency-Key": "k" * 13})
    assert unknown.status_code == 400 and "q9" in unknown.json["message"]


def test_results_below_k_are_suppressed_in_the_api(app, world, session, client):
    survey = make_survey(session, owner=world.A, units=[world.A])
    staff = make_staff(session, world.A1, 5)
    for person in staff[:4]:
        submit(session, survey, {"q1": "co", "q3": "Gọi 0912 345 678"}, respondent=person)
    headers = bearer(session, world.users[Role.UNIT_HEAD])
    below = client.get(f"/api/v1/surveys/{survey.id}/results", headers=headers).json
    assert below["suppressed"] and below["total"] is None and below["questions"] == []
    submit(session, survey, {"q1": "khong"}, respondent=staff[4])
    above = client.get(f"/api/v1/surveys/{survey.id}/results", headers=headers).json
    assert not above["suppressed"] and above["total"] == 5
    q3 = next(q for q in above["questions"] if q["key"] == "q3")
    assert [t["text"] for t in q3["texts"]] == ["Gọi [số điện thoại]"] * 4
    assert client.get(f"/api/v1/surveys/{survey.id}/results?unit=B", headers=headers).status_code == 403


def test_a_missing_or_unknown_token_is_refused(app, world, session, client):
    assert client.get("/api/v1/surveys", headers={"Authorization": "Bearer khong-hop-le"}).status_code == 401
    assert client.get("/api/v1/surveys").headers["WWW-Authenticate"] == "Bearer"
