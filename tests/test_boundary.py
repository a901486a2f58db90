"""The request boundary (webapp/boundary.py): one transaction per request, a refused operation
shown on the page it came from with what was typed, and every API error as JSON."""

import pytest
from factories import make_survey
from sqlalchemy import func, select

from surveys import people
from surveys.errors import Throttled
from surveys.models import AuditEntry, Recommendation, Role, User

API_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "rejected",
    410: "rejected",
    413: "too_large",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
}


def _assert_api_error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    body = response.json
    assert body["error"] == API_ERROR_CODES[status]
    assert isinstance(body["message"], str) and body["message"].strip()
    return body


@pytest.fixture
def api(world, session):
    """A staff survey of agency A and a bearer token for each role."""
    survey = make_survey(session, owner=world.A, units=[world.A])
    tokens = {role: people.create_api_token(session, world.users[role], "thử") for role in Role}
    session.commit()
    return survey, {role: {"Authorization": f"Bearer {token}"} for role, token in tokens.items()}


def test_every_api_error_is_json_with_a_vietnamese_message(app, client, world, session, api):
    survey, headers = api
    staff = headers[Role.STAFF]
    post = f"/api/v1/surveys/{survey.id}/responses"
    unknown_route = _assert_api_error(client.get("/api/v1/khong-co"), 404)
    assert unknown_route["message"] == "Không tìm thấy địa chỉ này."
    assert _assert_api_error(client.get("/api/v1/surveys/999999", headers=staff), 404)["message"] == (
        "Không tìm thấy khảo sát."
    )
    wrong_method = client.get(post, headers=staff)
    assert "GET" in _assert_api_error(wrong_method, 405)["message"] and "POST" in wrong_method.headers["Allow"]
    _assert_api_error(client.post(post, data="không phải JSON", headers=staff | {"Idempotency-Key": "k" * 16}), 400)
    unauthorized = client.get("/api/v1/surveys")
    _assert_api_error(unauthorized, 401)
    assert unauthorized.headers["WWW-Authenticate"] == "Bearer"
    _assert_api_error(client.get(f"/api/v1/surveys/{survey.id}/results", headers=staff), 403)
    invalid = _assert_api_error(
        client.post(post, json={"answers": {"q1": "khac"}}, headers=staff | {"Idempotency-Key": "k" * 16}), 422
    )
    assert invalid["fields"] == {"q1": "Lựa chọn không hợp lệ."}
    assert (
        client.post(post, json={"answers": {"q1": "co"}}, headers=staff | {"Idempotency-Key": "k" * 17}).status_code
        == 201
    )
    again = client.post(post, json={"answers": {"q1": "co"}}, headers=staff | {"Idempotency-Key": "k" * 18})
    assert "đã trả lời" in _assert_api_error(again, 409)["message"]


def test_a_closed_survey_and_a_body_too_large_are_json_errors(app, client, world, session, api):
    survey, headers = api
    post = f"/api/v1/surveys/{survey.id}/responses"
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        too_large = client.post(
            post, json={"answers": {"q3": "x" * 2000}}, headers=headers[Role.STAFF] | {"Idempotency-Key": "k" * 16}
        )
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    _assert_api_error(too_large, 413)
    from surveys import authoring

    authoring.close(session, session.get(type(survey), survey.id), None)
    session.commit()
    closed = client.post(
        post, json={"answers": {"q1": "co"}}, headers=headers[Role.STAFF] | {"Idempotency-Key": "c" * 16}
    )
    assert _assert_api_error(closed, 410)["message"] == "Khảo sát hiện không nhận câu trả lời."


def test_throttling_and_a_server_fault_are_json_errors_too(app, client, world, session, api, monkeypatch):
    with app.test_request_context("/api/v1/surveys"):
        response = app.make_response(app.handle_user_exception(Throttled("Quá nhiều.")))
    assert _assert_api_error(response, 429)["message"] == "Quá nhiều."
    survey, headers = api

    def broken(*_args, **_kwargs):
        raise RuntimeError("a fault the server did not expect")

    monkeypatch.setattr("surveys.definitions.export_definition", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    fault = client.get(f"/api/v1/surveys/{survey.id}", headers=headers[Role.ADMIN])
    assert "RuntimeError" not in _assert_api_error(fault, 500)["message"]


def test_the_openapi_document_lists_the_error_body_for_every_error(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["components"]["schemas"]["Error"]["required"] == ["error", "message"]
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (path, status)


# ---- pages --------------------------------------------------------------------------------------


def test_a_refused_form_comes_back_with_what_was_typed_and_nothing_is_kept(app, world, session):
    client = world.login_as(app.test_client(), Role.ADMIN)
    entries = session.scalar(select(func.count()).select_from(AuditEntry))
    # The account is created and flushed, then its password is refused: the whole request rolls back.
    form = {
        "full_name": "Nguyễn Văn Mới",
        "email": "moi@thu.vn",
        "phone": "",
        "unit_id": str(world.A.id),
        "position": "Chuyên viên",
        "password": "ngan",
    }
    page = client.post("/admin/users/new", data=form)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Mật khẩu cần ít nhất 10 ký tự." in html
    assert 'value="Nguyễn Văn Mới"' in html and 'value="moi@thu.vn"' in html
    assert session.scalar(select(func.count()).select_from(User).where(User.email == "moi@thu.vn")) == 0
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == entries


def test_a_refused_action_goes_back_to_its_page_with_the_message(app, world, session):
    survey = make_survey(session, owner=world.A, units=[world.A], author=world.users[Role.AUTHOR], publish=False)
    client = world.login_as(app.test_client(), Role.AUTHOR)
    response = client.post(f"/surveys/{survey.id}/close")
    assert response.status_code == 302 and response.headers["Location"] == f"/surveys/{survey.id}"
    assert "Khảo sát không ở trạng thái đang mở." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_refusal_that_cannot_be_put_right_shows_the_error_page_with_its_reason(app, world, session):
    survey = make_survey(session, owner=world.B, units=[world.B])
    client = world.login_as(app.test_client(), Role.STAFF)
    page = client.get(f"/answer/{survey.id}")
    assert page.status_code == 403
    assert "Khảo sát này không dành cho đơn vị của anh/chị." in page.get_data(as_text=True)


def test_a_public_link_that_is_throttled_says_so(app, world, session, client):
    from surveys import org
    from surveys.models import UnitKind

    ward = org.create_unit(session, code="W1", name="Phường Một", kind=UnitKind.WARD, parent=world.P)
    survey = make_survey(session, owner=world.A, units=[ward], audience="citizens")
    form = {"page": "1", "unit_id": str(ward.id), "action": "submit", "q_q1": "co"}
    app.config["PUBLIC_SUBMITS_PER_HOUR"] = 1
    try:
        pages = [
            client.post(f"/s/{survey.public_token}", data=form | {"idempotency_key": f"{n}" * 16}) for n in range(2)
        ]
    finally:
        app.config["PUBLIC_SUBMITS_PER_HOUR"] = 30
    assert [p.status_code for p in pages] == [302, 429]
    assert "quá nhiều câu trả lời" in pages[1].get_data(as_text=True)


def test_whether_a_recommendation_is_public_is_audited_when_it_is_raised(app, world, session):
    client = world.login_as(app.test_client(), Role.UNIT_HEAD)
    response = client.post(
        "/recommendations/new",
        data={
            "title": "Sửa mái nhà xe",
            "content": "Mái nhà xe bị dột",
            "kind": "opinion",
            "source_kind": "meeting",
            "source_detail": "Hội nghị cán bộ",
            "owner_unit_id": str(world.A.id),
            "topic": "",
        },
    )  # is_public unticked
    assert response.status_code == 302
    recommendation = session.scalar(select(Recommendation))
    assert recommendation.is_public is False
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "recommendation.receive"))
    assert entry.details["public"] is False


def test_a_request_that_fails_keeps_nothing_it_wrote(app, world, session):
    """The public link counts a submission, then the answers are refused: the count goes too."""
    from surveys import org
    from surveys.models import RateLimitBucket, UnitKind

    ward = org.create_unit(session, code="W2", name="Phường Hai", kind=UnitKind.WARD, parent=world.P)
    survey = make_survey(
        session,
        owner=world.A,
        units=[ward],
        audience="citizens",
        questions=[
            {"key": "q1", "kind": "number", "text": "Tuổi", "required": True},
            {"key": "q2", "kind": "number", "text": "Số năm", "page": 2, "required": True},
        ],
    )
    client = app.test_client()
    form = {"page": "2", "unit_id": str(ward.id), "action": "submit", "q_q2": "3", "idempotency_key": "p" * 16}
    page = client.post(f"/s/{survey.public_token}", data=form)  # q1, on page 1, was never answered
    assert page.status_code == 422 and "Vui lòng trả lời câu hỏi này." in page.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(RateLimitBucket)) == 0
