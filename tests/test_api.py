"""The JSON API: token auth, idempotent submission, Vietnamese validation errors, k in results."""

from factories import make_staff, make_survey, submit
from sqlalchemy import func, select

from surveys import people
from surveys.models import PendingResponse, Response, Role


def bearer(session, user) -> dict:
    token = people.create_api_token(session, user, "thử")
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_the_openapi_document_describes_every_route(app, client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    routes = {
        rule.rule.removeprefix("/api/v1").replace("<int:survey_id>", "{survey_id}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
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
    assert session.scalar(select(func.count()).select_from(PendingResponse)) == 1, "waiting for its batch"
    other_key = client.post(url, json={"answers": {"q1": "khong"}}, headers=headers | {"Idempotency-Key": "lan-khac-1"})
    assert other_key.status_code == 409 and "đã trả lời" in other_key.json["message"]


def test_bad_answers_get_vietnamese_messages_per_question(app, world, session, client):
    survey = make_survey(session, owner=world.A, units=[world.A])
    response = client.post(
        f"/api/v1/surveys/{survey.id}/responses",
        json={"answers": {"q1": "co_le", "q2": 9}},
        headers=bearer(session, world.users[Role.STAFF]) | {"Idempotency-Key": "k" * 12},
    )
    assert response.status_code == 422
    assert response.json["fields"] == {"q1": "Lựa chọn không hợp lệ.", "q2": "Lựa chọn không hợp lệ."}
    unknown = client.post(
        f"/api/v1/surveys/{survey.id}/responses",
        json={"answers": {"q9": 1}},
        headers=bearer(session, world.users[Role.STAFF]) | {"Idempotency-Key": "k" * 13},
    )
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


def test_a_citizens_survey_refuses_answers_through_the_api(app, world, session, client):
    """Issue 13, finding 5: a staff token answered the citizens' survey 40 times of 40, around
    the public link's rate limit, honeypot and challenge."""
    from surveys import org
    from surveys.models import UnitKind

    ward = org.create_unit(session, code="W", name="Phường Thử", kind=UnitKind.WARD, parent=world.P)
    url_of = {}
    for audience in ("citizens", "invited"):
        survey = make_survey(session, owner=world.A, units=[ward] if audience == "citizens" else [], audience=audience)
        url_of[audience] = f"/api/v1/surveys/{survey.id}/responses"
    headers = bearer(session, world.users[Role.STAFF])
    for audience, url in url_of.items():
        refused = client.post(
            url,
            json={"answers": {"q1": "co"}, "unit": "W"},
            headers=headers | {"Idempotency-Key": f"cong-dan-{audience}"},
        )
        assert refused.status_code == 403 and refused.is_json, audience
        assert refused.json["error"] == "forbidden"
        assert "đường dẫn công khai hoặc đường dẫn mời riêng" in refused.json["message"]
    session.commit()
    assert session.scalar(select(func.count()).select_from(Response)) == 0


def test_another_users_idempotency_key_is_their_own_submission(app, world, session, client):
    """Issue 13, finding 9: user B replaying user A's key got "accepted" and nothing was stored."""
    survey = make_survey(session, owner=world.A, units=[world.A])
    a, b = make_staff(session, world.A1, 2)
    url, key = f"/api/v1/surveys/{survey.id}/responses", {"Idempotency-Key": "khoa-cua-nguoi-a"}
    first = client.post(url, json={"answers": {"q1": "co"}}, headers=bearer(session, a) | key)
    replay_by_b = client.post(url, json={"answers": {"q1": "khong"}}, headers=bearer(session, b) | key)
    assert (first.status_code, first.json["replayed"]) == (201, False)
    assert (replay_by_b.status_code, replay_by_b.json["replayed"]) == (201, False)
    assert client.post(url, json={"answers": {"q1": "co"}}, headers=bearer(session, a) | key).json["replayed"]
    session.commit()
    stored = session.scalars(select(PendingResponse)).all()
    assert len(stored) == 2
    assert sorted(r.answers[0]["value"] for r in stored) == ["co", "khong"]


def test_an_anonymous_responses_idempotency_key_does_not_name_its_scope(app, world, session, client):
    """The scope is kept as an HMAC under the server secret: the database alone cannot tell whose it was."""
    import hashlib

    from surveys import tokens

    survey = make_survey(session, owner=world.A, units=[world.A])
    staff = world.users[Role.STAFF]
    client.post(
        f"/api/v1/surveys/{survey.id}/responses",
        json={"answers": {"q1": "co"}},
        headers=bearer(session, staff) | {"Idempotency-Key": "khoa-1234"},
    )
    session.commit()
    response = session.scalar(select(PendingResponse))
    assert not hasattr(response, "respondent_id")
    guesses = {f"{prefix}{staff.id}{sep}khoa-1234" for prefix in ("user:", "") for sep in (":", "", "\x1f")}
    assert response.idempotency_key != "khoa-1234"
    assert response.idempotency_key not in {hashlib.sha256(g.encode()).hexdigest() for g in guesses}
    assert response.idempotency_key == tokens.keyed_hash("idempotency", str(survey.id), f"user:{staff.id}", "khoa-1234")
