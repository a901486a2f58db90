"""Personal data protection (Law 91/2025/QH15): the notice and the consent recorded before a survey
that keeps who answered; the retention job that erases the links to people, run by a real
scheduler process; on SQLite and PostgreSQL alike."""

from datetime import timedelta

from factories import make_staff, make_survey, run_scheduler_ticks, submit
from sqlalchemy import func, select

from surveys import authoring, privacy
from surveys.models import (
    Answer,
    AuditEntry,
    Consent,
    Invitation,
    JobRun,
    Participation,
    PendingResponse,
    PrivacyNotice,
    Response,
    ResponseDraft,
    Role,
    RunStatus,
    utcnow,
)

TYPED = "Tôi mong được đào tạo thêm về chuyển đổi số"


def _confidential(session, world, **settings):
    return make_survey(
        session, owner=world.A, units=[world.A], anonymity="confidential", author=world.users[Role.AUTHOR], **settings
    )


def _count(session, model, *where):
    session.commit()
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _answers(key: str, **extra) -> dict:
    return {"idempotency_key": key, "page": "1", "action": "submit", "q_q1": "co", "q_q3": TYPED} | extra


def test_the_notice_is_shown_and_nothing_starts_without_consent(app, world, session):
    survey = _confidential(session, world, purpose="Đánh giá môi trường làm việc năm 2026")
    client = world.login_as(app.test_client(), Role.STAFF)
    page = client.get(f"/answer/{survey.id}").get_data(as_text=True)
    for said in (
        "Thông báo về xử lý dữ liệu cá nhân",
        "91/2025/QH15",
        "Đánh giá môi trường làm việc năm 2026",  # why
        "họ tên, tài khoản và đơn vị công tác",  # what
        "không bao giờ thấy bạn là ai",  # who reads it
        f"được xóa {survey.retention_days} ngày sau khi khảo sát đóng",  # for how long
        "dữ liệu cá nhân nhạy cảm",
    ):
        assert said in page, said
    refused = client.post(f"/answer/{survey.id}", data={"idempotency_key": "k" * 16, "page": "0", "action": "next"})
    assert refused.status_code == 422
    assert "đánh dấu đồng ý trước khi gửi" in refused.get_data(as_text=True)
    assert _count(session, Consent) == 0


def test_consent_is_recorded_on_the_first_page_against_the_notices_text(app, world, session):
    survey = _confidential(session, world)
    staff = world.users[Role.STAFF]
    client = world.login_as(app.test_client(), Role.STAFF)
    agreed = privacy.notice_hash(survey)
    started = client.post(
        f"/answer/{survey.id}", data={"idempotency_key": "k" * 16, "page": "0", "action": "next", "consent": agreed}
    )
    assert started.status_code == 200 and 'name="consent" value="' + agreed in started.get_data(as_text=True)
    consent = session.scalars(select(Consent)).one()
    assert (consent.survey_id, consent.user_id, consent.invitation_id) == (survey.id, staff.id, None)
    assert consent.notice.text_hash == agreed == privacy.text_hash(consent.notice.text)
    assert consent.notice.text == privacy.notice_text(survey) and consent.given_at is not None
    assert _count(session, Response) == 0, "consent comes before any answer, in a transaction of its own"

    done = client.post(f"/answer/{survey.id}", data=_answers("k" * 16, consent=agreed))
    assert done.status_code == 302
    assert _count(session, Response, Response.respondent_id == staff.id) == 1
    assert _count(session, Consent) == 1, "one consent per person and notice"


def test_without_consent_nothing_is_stored_and_what_was_typed_is_kept(app, world, session):
    survey = _confidential(session, world)
    client = world.login_as(app.test_client(), Role.STAFF)
    refused = client.post(f"/answer/{survey.id}", data=_answers("k" * 16))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Bạn cần đọc thông báo về xử lý dữ liệu cá nhân và đánh dấu đồng ý" in page
    assert f'value="{TYPED}"' in page and 'id="consent"' in page, "back on the notice, every answer kept"
    assert _count(session, Response) == 0 and _count(session, Consent) == 0


def test_a_changed_notice_asks_for_consent_again(app, world, session):
    survey = _confidential(session, world)
    client = world.login_as(app.test_client(), Role.STAFF)
    earlier = privacy.notice_hash(survey)
    client.post(f"/answer/{survey.id}", data={"idempotency_key": "k" * 16, "page": "0", "consent": earlier})
    survey.retention_days = 30  # the author shortens the retention: the notice says something else now
    session.commit()
    refused = client.post(f"/answer/{survey.id}", data=_answers("k" * 16, consent=earlier))
    assert refused.status_code == 422 and "được xóa 30 ngày sau khi khảo sát đóng" in refused.get_data(as_text=True)
    assert _count(session, Response) == 0


def test_an_anonymous_staff_survey_needs_no_consent(app, world, session):
    survey = make_survey(session, owner=world.A, units=[world.A])
    assert not privacy.requires_consent(survey)
    client = world.login_as(app.test_client(), Role.STAFF)
    assert "Thông báo về xử lý dữ liệu cá nhân" not in client.get(f"/answer/{survey.id}").get_data(as_text=True)
    assert client.post(f"/answer/{survey.id}", data=_answers("k" * 16)).status_code == 302


def test_an_invitation_consents_apart_from_its_anonymous_answer(app, world, session):
    survey = make_survey(session, owner=world.A, units=[], audience="invited", author=world.users[Role.AUTHOR])
    [(invitation, token)] = authoring.create_invitations(session, survey, [("Trần Thị Mời", "moi@thu.vn")], None)
    session.commit()
    client = app.test_client()
    assert "họ tên và địa chỉ e-mail ghi trong thư mời" in client.get(f"/i/{token}").get_data(as_text=True)
    agreed = privacy.notice_hash(survey)
    client.post(f"/i/{token}", data={"idempotency_key": "k" * 16, "page": "0", "consent": agreed})
    assert client.post(f"/i/{token}", data=_answers("k" * 16, consent=agreed)).status_code == 302
    consent = session.scalars(select(Consent)).one()
    assert consent.invitation_id == invitation.id and consent.user_id is None
    # The anonymous answer waits for its batch (surveys/release.py) with no invitation and no time.
    session.scalars(select(PendingResponse)).one()
    assert not {"invitation_id", "submitted_at"} & set(PendingResponse.__table__.c.keys()), "the answer stays anonymous"


def test_a_public_links_consent_names_nobody(app, world, session):
    from surveys import org
    from surveys.models import UnitKind

    ward = org.create_unit(session, code="W", name="Phường Thử", kind=UnitKind.WARD, parent=world.P)
    survey = make_survey(session, owner=world.A, units=[ward], audience="citizens", anonymity="confidential")
    url, agreed = f"/s/{survey.public_token}", privacy.notice_hash(survey)
    client = app.test_client()
    first = {"idempotency_key": "k" * 16, "page": "0", "unit_id": str(ward.id)}
    assert client.post(url, data=first).status_code == 422
    assert client.post(url, data=first | {"consent": agreed}).status_code == 200
    assert client.post(url, data=_answers("k" * 16, consent=agreed, unit_id=str(ward.id))).status_code == 302
    consent = session.scalars(select(Consent)).one()
    assert (consent.user_id, consent.invitation_id, consent.notice.text_hash) == (None, None, agreed)


def test_the_api_documents_the_notice_and_refuses_without_consent(app, world, session):
    from surveys import people

    survey = _confidential(session, world)
    staff = world.users[Role.STAFF]
    token = people.create_api_token(session, staff, "thử")
    session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    notice = client.get(f"/api/v1/surveys/{survey.id}", headers=headers).get_json()["privacy_notice"]
    assert notice == {"required": True, "text": privacy.notice_text(survey), "hash": privacy.notice_hash(survey)}
    url, body = f"/api/v1/surveys/{survey.id}/responses", {"answers": {"q1": "co", "q3": TYPED}}
    for consent in (None, "sai", privacy.text_hash("một thông báo khác")):
        refused = client.post(url, json=body | {"consent": consent}, headers=headers | {"Idempotency-Key": "a" * 16})
        assert refused.status_code == 422 and refused.get_json()["error"] == "invalid", consent
        assert "đồng ý" in refused.get_json()["message"]
    assert _count(session, Response) == 0 and _count(session, Consent) == 0
    agreed = body | {"consent": notice["hash"]}
    accepted = client.post(url, json=agreed, headers=headers | {"Idempotency-Key": "b" * 16})
    assert accepted.status_code == 201
    assert session.scalars(select(Consent)).one().user_id == staff.id
    spec = client.get("/api/v1/openapi.json").get_json()
    submit_body = spec["paths"]["/surveys/{survey_id}/responses"]["post"]["requestBody"]
    assert "consent" in submit_body["content"]["application/json"]["schema"]["properties"]


# ---- retention ----------------------------------------------------------------------------------


def _closed_days_ago(session, survey, days: int) -> None:
    authoring.close(session, survey, None)
    survey.closed_at = utcnow() - timedelta(days=days)
    session.commit()


def test_the_retention_job_erases_the_links_to_people_and_keeps_the_answers(app, world, session, database_url):
    """A real scheduler process (``flask scheduler tick``) on the test database runs the daily job."""
    expired = _confidential(session, world, retention_days=30)
    kept = _confidential(session, world, retention_days=90, title="Khảo sát còn trong thời hạn")
    invited = make_survey(
        session, owner=world.A, units=[], audience="invited", anonymity="identified", retention_days=30
    )
    [(invitation, _token)] = authoring.create_invitations(session, invited, [("Trần Thị Mời", "moi@thu.vn")], None)
    staff = make_staff(session, world.A1, 5)
    for person in staff:
        for survey in (expired, kept):
            submit(session, survey, {"q1": "co", "q3": TYPED}, respondent=person)
    submit(session, invited, {"q1": "khong"}, invitation=invitation)
    session.add(ResponseDraft(survey_id=expired.id, owner_key=f"user:{staff[0].id}", values={"q_q3": ["nháp"]}))
    session.commit()
    for survey in (expired, kept, invited):
        _closed_days_ago(session, survey, 40)
    answers_before = _count(session, Answer)

    run_scheduler_ticks(app, database_url, processes=1, timeout=240)

    session.commit()  # end the test's snapshot: read what the scheduler process wrote
    assert session.scalar(select(JobRun.status).where(JobRun.job == "privacy_retention")) == RunStatus.DONE
    for survey in (expired, invited):
        assert _count(session, Response, Response.survey_id == survey.id, Response.respondent_id.is_not(None)) == 0
        assert _count(session, Response, Response.survey_id == survey.id, Response.invitation_id.is_not(None)) == 0
        assert _count(session, Response, Response.survey_id == survey.id, Response.submitted_at.is_not(None)) == 0
        assert _count(session, Participation, Participation.survey_id == survey.id) == 0
        assert _count(session, Consent, Consent.survey_id == survey.id, Consent.user_id.is_not(None)) == 0
        assert session.get(type(survey), survey.id).identities_erased_at is not None
    assert _count(session, Consent, Consent.survey_id == expired.id) == 5, "the consents stay, naming nobody"
    erased_invitation = session.get(Invitation, invitation.id)
    assert (erased_invitation.full_name, erased_invitation.email) == (None, None)
    assert _count(session, ResponseDraft) == 0
    assert _count(session, Answer) == answers_before, "every answer is kept, anonymous"
    assert _count(session, Response, Response.survey_id == kept.id, Response.respondent_id.is_not(None)) == 5
    assert _count(session, Participation, Participation.survey_id == kept.id) == 5
    audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "privacy.erase_identities")).all()
    assert sorted(e.object_id for e in audited) == sorted([expired.id, invited.id])
    by_survey = {e.object_id: e.details for e in audited}
    assert by_survey[expired.id] == {
        "responses": 5,
        "participations": 5,
        "consents": 5,
        "invitations": 0,
        "drafts": 1,
    }
    assert by_survey[invited.id]["invitations"] == 1 and by_survey[invited.id]["responses"] == 1


def test_erasing_again_changes_nothing_and_the_author_sees_when(app, world, session):
    survey = _confidential(session, world, retention_days=10)
    for person in make_staff(session, world.A1, 2):
        submit(session, survey, {"q1": "co"}, respondent=person)
    _closed_days_ago(session, survey, 11)
    assert privacy.erase_expired_identities(session) == [survey]
    session.commit()
    assert privacy.erase_expired_identities(session) == []
    client = world.login_as(app.test_client(), Role.AUTHOR)
    from surveys.timeutil import format_date

    assert f"đã xóa ngày {format_date(survey.identities_erased_at)}" in client.get(f"/surveys/{survey.id}").get_data(
        as_text=True
    )


def test_the_author_sets_the_retention_period_within_bounds(app, world, session):
    survey = _confidential(session, world, publish=False)
    client = world.login_as(app.test_client(), Role.AUTHOR)
    form = {
        "title": survey.title,
        "audience": "staff",
        "anonymity": "confidential",
        "owner_unit_id": str(world.A.id),
        "unit_ids": [str(world.A.id)],
        "recurrence": "none",
        "purpose": "Lấy ý kiến về chế độ làm việc",
    }
    assert client.post(f"/surveys/{survey.id}/settings", data=form | {"retention_days": "0"}).status_code == 200
    session.expire_all()
    assert survey.retention_days == 180, "the default stays"
    assert client.post(f"/surveys/{survey.id}/settings", data=form | {"retention_days": "60"}).status_code == 302
    session.expire_all()
    assert (survey.retention_days, survey.purpose) == (60, "Lấy ý kiến về chế độ làm việc")
    assert "Lấy ý kiến về chế độ làm việc" in privacy.notice_text(survey)


def test_notices_are_stored_once_per_version(app, world, session):
    survey = _confidential(session, world)
    for person in make_staff(session, world.A1, 3):
        submit(session, survey, {"q1": "co"}, respondent=person)
    assert _count(session, PrivacyNotice) == 1 and _count(session, Consent) == 3


def test_in_a_browser_the_notice_comes_first_and_consent_is_needed_to_go_on(page, world, session):
    from factories import PASSWORD

    survey = _confidential(session, world)
    page.goto("/login")
    page.fill("#login", world.users[Role.STAFF].email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboard")
    page.goto(f"/answer/{survey.id}")
    page.get_by_role("heading", name="Thông báo về xử lý dữ liệu cá nhân").wait_for()
    page.get_by_role("button", name="Bắt đầu").click()
    page.locator(".privacy-notice .error").get_by_text("đánh dấu đồng ý").wait_for()
    page.get_by_label("Tôi đã đọc thông báo trên và đồng ý").check()
    page.get_by_role("button", name="Bắt đầu").click()
    page.get_by_label("Có").first.check()
    page.fill("#q_q3", TYPED)
    page.get_by_role("button", name="Gửi câu trả lời").click()
    page.get_by_text("Cảm ơn anh/chị đã trả lời!").wait_for()
    session.commit()  # end the read snapshot: see what the server wrote
    consent = session.scalars(select(Consent)).one()
    assert consent.user_id == world.users[Role.STAFF].id
    assert session.scalars(select(Response)).one().answers[-1].text == TYPED
