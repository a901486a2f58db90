"""Every route × every role: allowed, or refused (403, or a redirect to log-in for anonymous visitors).

``RULES`` must name every endpoint the app has; a new route without a rule fails the suite.
Each rule gives the roles that may open it and how to build its URL ("own" ids inside the
scope of the world's scoped users — agency A — and "other" ids outside it, agency B)."""

import pytest
from factories import make_staff, make_survey, submit

from surveys.access import holders
from surveys.models import Role

# Who may open what comes from the one permission policy (surveys/access.py); this test checks
# that every route enforces it, inside and outside each reader's scope.
ANON = "anonymous"
EVERYONE = frozenset({ANON, *Role})
SIGNED_IN = frozenset(Role)
ADMIN = holders("admin")
READERS = holders("results.read")
AUTHORS = holders("surveys.manage")
NOBODY = frozenset()
PRIVACY = holders("privacy.manage")
# The Front's officer holds author and reader permissions over their organisation (AU, under A),
# not over A itself: A's unit page, surveys to manage, summaries and meetings are outside it.
OFFICER_OUTSIDE_A = frozenset({Role.FRONT_OFFICER})


def survey_own(world) -> dict:
    return {"survey_id": world.survey_own.id}


def survey_other(world) -> dict:
    return {"survey_id": world.survey_other.id}


def survey_args(**extra):
    return (lambda w: survey_own(w) | extra, lambda w: survey_other(w) | extra)


def citizen_own(world) -> dict:
    return {"survey_id": world.citizen_survey.id}


def citizen_other(world) -> dict:
    return {"survey_id": world.citizen_other.id}


def unit_own(world) -> dict:
    return {"unit_id": world.A1.id}


def unit_other(world) -> dict:
    return {"unit_id": world.B.id}


# endpoint: (method, roles allowed with "own" ids, roles allowed with "other" ids, url-args builder(s))
RULES: dict[str, tuple] = {
    "main.home": ("GET", EVERYONE, None, None),
    "main.dashboard": ("GET", SIGNED_IN, None, None),
    "main.unit": ("GET", holders("units.read") - OFFICER_OUTSIDE_A, ADMIN, (unit_own, unit_other)),
    "auth.login": ("GET", EVERYONE, None, None),
    "auth.logout": ("POST", SIGNED_IN, None, None),
    "auth.account": ("GET", SIGNED_IN, None, None),
    # Only its owner (the staff member) revokes a token from their account page.
    "auth.revoke_token": ("POST", frozenset({Role.STAFF}), None, lambda w: {"token_id": w.api_token}),
    "auth.set_language": ("POST", EVERYONE, None, lambda w: {"code": "en"}),
    "auth.forgot_password": ("GET", EVERYONE, None, None),
    # A reset link is its own credential: whoever holds a valid one may open it.
    "auth.reset_password": ("GET", EVERYONE, None, lambda w: {"code": w.reset_code}),
    "admin.index": ("GET", ADMIN, None, None),
    "admin.units": ("GET", ADMIN, None, None),
    "admin.unit_form": ("GET", ADMIN, None, lambda w: {"unit_id": w.A.id}),
    "admin.import_divisions": ("POST", ADMIN, None, None),
    "admin.committees": ("GET", ADMIN, None, None),
    "admin.committee_form": ("GET", ADMIN, None, lambda w: {"committee_id": w.C.id}),
    "admin.users": ("GET", ADMIN, None, None),
    "admin.user_form": ("GET", ADMIN, None, lambda w: {"user_id": w.users[Role.STAFF].id}),
    "admin.add_role": ("POST", ADMIN, None, lambda w: {"user_id": w.users[Role.STAFF].id}),
    "admin.remove_role": (
        "POST",
        ADMIN,
        None,
        lambda w: {"user_id": w.users[Role.STAFF].id, "assignment_id": w.users[Role.STAFF].roles[0].id},
    ),
    "admin.revoke_token": ("POST", ADMIN, None, lambda w: {"user_id": w.users[Role.STAFF].id, "token_id": w.api_token}),
    "admin.import_users": ("GET", ADMIN, None, None),
    "admin.holidays": ("GET", ADMIN, None, None),
    "admin.remove_holiday": ("POST", ADMIN, None, lambda w: {"holiday_id": w.holiday.id}),
    "admin.failed_mail": ("GET", ADMIN, None, None),
    "admin.resend_mail": ("POST", ADMIN, None, lambda w: {"message_id": w.failed_mail}),
    "admin.audit_log": ("GET", ADMIN, None, None),
    "admin.audit_export": ("GET", ADMIN, None, None),
    "authoring.index": ("GET", READERS, None, None),
    "authoring.new": ("GET", holders("surveys.create"), None, None),
    "authoring.import_definition": ("GET", holders("surveys.create"), None, None),
    "authoring.detail": ("GET", AUTHORS - OFFICER_OUTSIDE_A, ADMIN, survey_args()),
    "authoring.settings": ("GET", AUTHORS - OFFICER_OUTSIDE_A, ADMIN, survey_args()),
    "authoring.question": ("GET", AUTHORS - OFFICER_OUTSIDE_A, ADMIN, survey_args(key="q1")),
    "authoring.question_action": ("POST", AUTHORS - OFFICER_OUTSIDE_A, ADMIN, survey_args(key="q1", action="up")),
    "authoring.change_state": ("POST", AUTHORS - OFFICER_OUTSIDE_A, ADMIN, survey_args(action="close")),
    "authoring.export_definition": ("GET", AUTHORS - OFFICER_OUTSIDE_A, ADMIN, survey_args()),
    "authoring.export_xlsform": ("GET", AUTHORS - OFFICER_OUTSIDE_A, ADMIN, survey_args()),
    "authoring.invite": ("POST", AUTHORS - OFFICER_OUTSIDE_A, ADMIN, survey_args()),
    "authoring.confirm_publish": ("GET", AUTHORS - OFFICER_OUTSIDE_A, ADMIN, survey_args()),
    "authoring.qr_code": ("GET", AUTHORS - OFFICER_OUTSIDE_A, ADMIN, (citizen_own, citizen_other)),
    "authoring.notice_pdf": ("GET", AUTHORS - OFFICER_OUTSIDE_A, ADMIN, (citizen_own, citizen_other)),
    "results.show": ("GET", READERS, ADMIN, survey_args()),
    "results.export": ("GET", READERS, ADMIN, survey_args(file_format="csv")),
    "results.model_card": ("GET", READERS, None, None),
    "results.correct_tags": (
        "POST",
        holders("results.review"),
        ADMIN,
        (
            lambda w: survey_own(w) | {"answer_id": w.answer_own},
            lambda w: survey_other(w) | {"answer_id": w.answer_own},
        ),
    ),
    "summaries.index": ("GET", holders("summaries.read"), None, None),
    "summaries.show": (
        "GET",
        holders("summaries.read") - OFFICER_OUTSIDE_A,
        ADMIN,
        (lambda w: {"summary_id": w.summary_own}, lambda w: {"summary_id": w.summary_other}),
    ),
    "summaries.docx": (
        "GET",
        holders("summaries.read") - OFFICER_OUTSIDE_A,
        ADMIN,
        (lambda w: {"summary_id": w.summary_own}, lambda w: {"summary_id": w.summary_other}),
    ),
    "summaries.xlsx": (
        "GET",
        holders("summaries.read") - OFFICER_OUTSIDE_A,
        ADMIN,
        (lambda w: {"summary_id": w.summary_own}, lambda w: {"summary_id": w.summary_other}),
    ),
    "followup.index": ("GET", holders("recommendations.read"), None, None),
    "followup.new": ("GET", holders("recommendations.raise"), None, None),
    "followup.detail": (
        "GET",
        holders("recommendations.read"),
        ADMIN,
        (
            lambda w: {"recommendation_id": w.recommendation_own},
            lambda w: {"recommendation_id": w.recommendation_other},
        ),
    ),
    "followup.act": (
        "POST",
        holders("recommendations.act"),
        ADMIN,
        (
            lambda w: {"recommendation_id": w.recommendation_own, "action": "classify"},
            lambda w: {"recommendation_id": w.recommendation_other, "action": "classify"},
        ),
    ),
    "scorecard.index": ("GET", holders("scorecard.read"), None, None),
    "scorecard.export": (
        "GET",
        holders("scorecard.read"),
        ADMIN,
        (lambda w: {"committee_id": w.C.id}, lambda w: {"committee_id": w.committee_other}),
    ),
    "scorecard.weights": ("GET", ADMIN, None, None),
    # Anyone holding a receipt rates the answers to what their own answer fed into.
    "scorecard.rate": (
        "POST",
        EVERYONE,
        None,
        lambda w: {"receipt": w.receipt, "recommendation_id": w.recommendation_own},
    ),
    "offline.service_worker": ("GET", EVERYONE, None, None),
    "offline.manifest": ("GET", EVERYONE, None, None),
    "examples.index": ("GET", EVERYONE, None, None),
    "examples.new": ("GET", holders("examples.record"), None, None),
    # A published example is public (the world's one is).
    "examples.detail": ("GET", EVERYONE, None, lambda w: {"example_id": w.example}),
    "supervision.index": ("GET", holders("supervision.read"), None, None),
    "meetings.index": ("GET", holders("meetings.read"), None, None),
    "meetings.new": ("GET", holders("meetings.record"), None, None),
    "meetings.template": ("GET", holders("meetings.record"), None, None),
    "meetings.detail": (
        "GET",
        holders("meetings.read") - OFFICER_OUTSIDE_A,
        ADMIN,
        (lambda w: {"meeting_id": w.meeting_own}, lambda w: {"meeting_id": w.meeting_other}),
    ),
    "meetings.add_opinion": (
        "POST",
        holders("meetings.record") - OFFICER_OUTSIDE_A,
        ADMIN,
        (lambda w: {"meeting_id": w.meeting_own}, lambda w: {"meeting_id": w.meeting_other}),
    ),
    "meetings.import_opinions": (
        "POST",
        holders("meetings.record") - OFFICER_OUTSIDE_A,
        ADMIN,
        (lambda w: {"meeting_id": w.meeting_own}, lambda w: {"meeting_id": w.meeting_other}),
    ),
    # A staff survey's public page is for people of the surveyed units (all of the world's are in A).
    "followup.public": ("GET", SIGNED_IN, ADMIN, survey_args()),
    "followup.follow": ("GET", EVERYONE, None, lambda w: {"receipt": w.receipt}),
    "followup.enter_code": ("GET", EVERYONE, None, None),
    "followup.mine": ("GET", SIGNED_IN, None, None),
    # Everyone in the world has a unit in agency A, so all may answer A's staff survey; none B's.
    "answering.staff": ("GET", SIGNED_IN, NOBODY, survey_args()),
    "answering.public": ("GET", EVERYONE, None, lambda w: {"token": w.citizen_survey.public_token}),
    "answering.invited": ("GET", EVERYONE, None, lambda w: {"token": w.invitation_token}),
    # Personal data (Law 91/2025/QH15): one's own, for anyone signed in; the rest, administrators only.
    "privacy.my_data": ("GET", SIGNED_IN, None, None),
    "privacy.my_data_export": ("GET", SIGNED_IN, None, lambda w: {"kind": "json"}),
    "privacy.requests": ("GET", PRIVACY, None, None),
    "privacy.request_detail": ("GET", PRIVACY, None, lambda w: {"request_id": w.data_request}),
    "privacy.act_on_request": (
        "POST",
        PRIVACY,
        None,
        lambda w: {"request_id": w.data_request, "action": "acknowledge"},
    ),
    "privacy.register": ("GET", PRIVACY, None, None),
    "privacy.register_export": ("GET", PRIVACY, None, lambda w: {"kind": "csv"}),
    "privacy.incidents": ("GET", PRIVACY, None, None),
    "privacy.incident_form": ("GET", PRIVACY, None, lambda w: {"incident_id": w.incident}),
    "privacy.incidents_export": ("GET", PRIVACY, None, lambda w: {"kind": "xlsx"}),
}
# The JSON API authenticates with bearer tokens; its rules are checked by test_api_access.
API_RULES: dict[str, tuple] = {
    "api.openapi": ("GET", EVERYONE, None, None),
    "api.list_surveys": ("GET", SIGNED_IN, None, None),
    "api.get_survey": ("GET", SIGNED_IN, ADMIN, survey_args()),
    "api.survey_results": ("GET", READERS, ADMIN, survey_args()),
    "api.submit": ("POST", SIGNED_IN, NOBODY, survey_args()),
}


@pytest.fixture
def survey_world(world, session):
    """The world plus A's and B's staff surveys (A's with k answers), a citizens' survey and an invitation."""
    from surveys import authoring, org
    from surveys.models import UnitKind

    author = world.users[Role.AUTHOR]
    world.survey_own = make_survey(session, owner=world.A, units=[world.A], author=author)
    world.survey_other = make_survey(session, owner=world.B, units=[world.B], title="Khảo sát của sở B")
    for person in make_staff(session, world.A1, 5):
        response = submit(session, world.survey_own, {"q1": "co"}, respondent=person)
        world.answer_own, world.receipt = response.answers[0].id, response.receipt
    from datetime import date

    from surveys import recommendations
    from surveys.models import RecommendationKind, SourceKind

    world.recommendation_own, world.recommendation_other = (
        recommendations.create(
            session,
            title=f"Kiến nghị của {unit.code}",
            content="Nội dung",
            kind=RecommendationKind.OPINION,
            source_kind=SourceKind.MEETING,
            owner_unit=unit,
            actor=None,
            today=date(2026, 11, 20),
        ).id
        for unit in (world.A, world.B)
    )
    ward = org.create_unit(session, code="W", name="Phường Thử", kind=UnitKind.WARD, parent=world.P)
    world.citizen_survey = make_survey(session, owner=world.A, units=[ward], audience="citizens")
    world.citizen_other = make_survey(session, owner=world.B, units=[ward], audience="citizens", title="Của sở B")
    from surveys import summaries
    from surveys.timeutil import iso_week_label, local_today

    scopes = [summaries.Scope(f"unit:{u.id}", u.name, [u], unit=u) for u in (world.A, world.B)]
    own, other = summaries.run_week(session, iso_week_label(local_today()), k=5, topic_labels={}, scopes=scopes)
    world.summary_own, world.summary_other = own.id, other.id
    from surveys import workdays

    world.holiday = workdays.add_holiday(session, date(2027, 2, 8), "Tết Nguyên đán", actor=None)
    from surveys import mail, people
    from surveys.models import ApiToken, OutboxEmail, utcnow

    people.create_api_token(session, world.users[Role.STAFF], "thử")
    world.reset_code = people.password_reset_code(world.users[Role.STAFF])
    world.api_token = session.query(ApiToken).one().id

    mail.enqueue(session, dedupe_key="failed", to="khong-nhan@thu.vn", subject="Thư lỗi", text="Nội dung")
    world.failed_mail = session.query(OutboxEmail).one().id
    session.get(OutboxEmail, world.failed_mail).failed_at = utcnow()
    from surveys import data_subjects, privacy_records
    from surveys.models import RequestKind

    world.data_request = data_subjects.file_request(session, world.users[Role.STAFF], RequestKind.ACCESS).id
    facts = privacy_records.IncidentFacts(date(2026, 11, 20), "Gửi nhầm tệp", "Họ tên", 3)
    world.incident = privacy_records.record_incident(session, facts, world.users[Role.ADMIN], date(2026, 11, 26)).id
    from surveys import meetings
    from surveys.models import Channel, CommitteeKind

    world.meeting_own, world.meeting_other = (
        meetings.record_meeting(
            session,
            kind=Channel.DIALOGUE,
            held_on=date(2026, 11, 20),
            place="Hội trường",
            chair="Giám đốc",
            attendance=40,
            unit=unit,
            actor=None,
        ).id
        for unit in (world.A, world.B)
    )
    world.committee_other = org.create_committee(
        session, code="CB", name="Đảng ủy Sở B", kind=CommitteeKind.PARTY_COMMITTEE, unit=world.B, overseen=[world.B]
    ).id
    from surveys import examples
    from surveys.models import ExampleKind

    world.example = examples.record(
        session,
        title="Mô hình hay",
        kind=ExampleKind.MODEL,
        description="Cách làm.",
        unit=world.A,
        committee=world.C,
        recommendations=[],
        publish=True,
        actor=None,
        today=date(2026, 11, 20),
    ).id
    invited = make_survey(session, owner=world.A, units=[], audience="invited")
    [(_, world.invitation_token)] = authoring.create_invitations(session, invited, [("Khách", "")], author)
    session.commit()
    return world


def test_every_endpoint_has_a_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if not rule.endpoint.endswith("static")}
    ruled = RULES.keys() | API_RULES.keys()
    assert endpoints - ruled == set(), "add these endpoints to RULES"
    assert ruled - endpoints == set(), "these RULES name endpoints that no longer exist"


def _cases(rules=RULES):
    for endpoint, (method, allowed_own, allowed_other, builders) in rules.items():
        if isinstance(builders, tuple):
            yield endpoint, method, allowed_own, builders[0], "own"
            yield endpoint, method, allowed_other, builders[1], "other"
        else:
            yield endpoint, method, allowed_own, builders, "own"


@pytest.mark.parametrize("who", [ANON, *Role], ids=str)
@pytest.mark.parametrize(
    "endpoint,method,allowed,build,which", list(_cases()), ids=[f"{c[0]}-{c[4]}" for c in _cases()]
)
def test_access(app, survey_world, who, endpoint, method, allowed, build, which):
    world = survey_world
    client = app.test_client()
    if who != ANON:
        world.login_as(client, who)
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **(build(world) if build else {}))
    if method == "POST" and who in allowed:
        pytest.skip("allowed POSTs change data; their behaviour is tested with the feature")
    response = client.open(url, method=method)
    if who in allowed:
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code == 302:
            assert "/login" not in response.headers["Location"], url
    elif who == ANON:
        assert response.status_code == 302 and "/login" in response.headers["Location"], (url, response.status_code)
    else:
        assert response.status_code == 403, (url, who, response.status_code)


@pytest.mark.parametrize("who", [ANON, *Role], ids=str)
@pytest.mark.parametrize(
    "endpoint,method,allowed,build,which", list(_cases(API_RULES)), ids=[f"{c[0]}-{c[4]}" for c in _cases(API_RULES)]
)
def test_api_access(app, survey_world, session, who, endpoint, method, allowed, build, which):
    """The same matrix through the API: a bearer token per role; no token gets 401."""
    from surveys import people

    world = survey_world
    headers = {}
    if who != ANON:
        headers["Authorization"] = "Bearer " + people.create_api_token(session, world.users[who], "thử")
        session.commit()
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **(build(world) if build else {}))
    client = app.test_client()
    if method == "POST":
        response = client.post(url, json={"answers": {"q1": "co"}}, headers=headers | {"Idempotency-Key": "k" * 16})
    else:
        response = client.get(url, headers=headers)
    if who in allowed:
        assert response.status_code in (200, 201), (url, who, response.status_code, response.json)
    elif who == ANON:
        assert response.status_code == 401, (url, response.status_code)
    else:
        assert response.status_code == 403, (url, who, response.status_code, response.json)
