"""Recommendations: the workflow and its audit trail, deadlines, scope, reminders, the
weekly summary's follow-up figures, and public pages that reveal no respondent."""

from datetime import date, timedelta

import pytest
from factories import make_survey, submit
from sqlalchemy import select

from surveys import recommendations, summaries
from surveys.errors import DomainError
from surveys.models import (
    Answer,
    AuditEntry,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
    Role,
    SourceKind,
    UnitKind,
)

FRIDAY = date(2026, 11, 20)


def raise_one(session, world, *, kind=RecommendationKind.OPINION, unit=None, today=FRIDAY, **extra):
    item = recommendations.create(
        session,
        title="Sửa máy tính phòng một cửa",
        content="Nhiều ý kiến phản ánh máy tính cũ.",
        kind=kind,
        source_kind=extra.pop("source_kind", SourceKind.MEETING),
        owner_unit=unit or world.A,
        actor=world.users[Role.UNIT_HEAD],
        today=today,
        **extra,
    )
    session.commit()
    return item


def test_the_workflow_is_audited_step_by_step(world, session):
    head = world.users[Role.UNIT_HEAD]
    item = raise_one(session, world)
    assert item.status == RecommendationStatus.RECEIVED
    assert item.forward_due == date(2026, 11, 27), "5 working days after a Friday"
    assert item.reply_due == FRIDAY + timedelta(days=15)
    today = FRIDAY + timedelta(days=1)
    steps = [
        ("forward", {"unit": world.A1}),
        ("assign", {"unit": world.A1, "due": today + timedelta(days=10)}),
        ("start", {}),
        ("resolve", {"note": "Đã thay 5 máy tính mới."}),
    ]
    for action, options in steps:
        recommendations.act(session, item, action, head, today=today, **options)
        session.commit()
    assert item.status == RecommendationStatus.RESOLVED and item.answer == "Đã thay 5 máy tính mới."
    assert [(e.action, e.from_status, e.to_status, e.actor_id) for e in item.events] == [
        ("receive", None, "received", head.id),
        ("forward", "received", "forwarded", head.id),
        ("assign", "forwarded", "assigned", head.id),
        ("start", "assigned", "in_progress", head.id),
        ("resolve", "in_progress", "resolved", head.id),
    ]
    audit = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == "Recommendation", AuditEntry.object_id == item.id)
        .order_by(AuditEntry.id)
    ).all()
    assert [a.action for a in audit] == [
        "recommendation.receive",
        "recommendation.forward",
        "recommendation.assign",
        "recommendation.start",
        "recommendation.resolve",
    ]
    assert {a.actor_id for a in audit} == {head.id} and all(a.occurred_at for a in audit)
    with pytest.raises(DomainError, match="trạng thái hiện tại"):
        recommendations.act(session, item, "start", head, today=today)


def test_a_decline_needs_reasons_and_a_deadline_cannot_be_past(world, session):
    head = world.users[Role.UNIT_HEAD]
    item = raise_one(session, world)
    recommendations.act(session, item, "classify", head, today=FRIDAY)
    with pytest.raises(DomainError, match="quá khứ"):
        recommendations.act(session, item, "assign", head, unit=world.A1, due=FRIDAY - timedelta(days=1), today=FRIDAY)
    recommendations.act(session, item, "assign", head, unit=world.A1, today=FRIDAY)
    with pytest.raises(DomainError, match="lý do"):
        recommendations.act(session, item, "decline", head, today=FRIDAY)


def test_complaints_are_recorded_for_transfer_not_handled(world, session):
    head = world.users[Role.UNIT_HEAD]
    item = raise_one(session, world, kind=RecommendationKind.DENUNCIATION)
    assert item.status == RecommendationStatus.TO_TRANSFER and item.reply_due is None
    with pytest.raises(DomainError):
        recommendations.act(session, item, "assign", head, unit=world.A1, today=FRIDAY)
    recommendations.act(session, item, "transfer", head, forwarded_to="Thanh tra tỉnh", today=FRIDAY)
    assert item.status == RecommendationStatus.TRANSFERRED and item.forwarded_to == "Thanh tra tỉnh"


def test_overdue_and_due_soon(world, session):
    item = raise_one(session, world)
    assert not recommendations.is_overdue(item, FRIDAY + timedelta(days=7))
    assert recommendations.is_overdue(item, FRIDAY + timedelta(days=8)), "not classified within 5 working days"
    recommendations.act(session, item, "classify", world.users[Role.UNIT_HEAD], today=FRIDAY)
    session.commit()
    assert not recommendations.is_overdue(item, FRIDAY + timedelta(days=15))
    assert recommendations.is_overdue(item, FRIDAY + timedelta(days=16))
    soon = session.scalars(select(Recommendation).where(recommendations.due_soon_clause(FRIDAY + timedelta(days=13))))
    assert [r.id for r in soon] == [item.id]


def test_a_unit_head_sees_only_their_units_items(world, session, client):
    own, other = raise_one(session, world), raise_one(session, world, unit=world.B)
    world.login_as(client, Role.UNIT_HEAD)
    listing = client.get("/recommendations/?view=all").get_data(as_text=True)
    assert f"/recommendations/{own.id}" in listing and f"/recommendations/{other.id}" not in listing
    assert client.get(f"/recommendations/{other.id}").status_code == 403
    assert client.post(f"/recommendations/{other.id}/classify").status_code == 403
    assert client.post(f"/recommendations/{own.id}/classify").status_code == 302
    client.post("/logout")
    world.login_as(client, Role.INSPECTOR)
    assert client.get(f"/recommendations/{own.id}").status_code == 200, "inspectors read"
    assert f'action="/recommendations/{own.id}/' not in client.get(f"/recommendations/{own.id}").get_data(as_text=True)
    assert client.post(f"/recommendations/{own.id}/assign").status_code == 403, "but change nothing"


def test_overdue_reminders_reach_the_unit_head(app, world, session, smtp_server):
    from webapp.extensions import db
    from webapp.reminders import queue_recommendation_reminders
    from webapp.scheduler import send_queued_mail

    raise_one(session, world, today=date.today() - timedelta(days=30))
    with app.app_context():
        assert queue_recommendation_reminders(app, db.session) == 1
        assert queue_recommendation_reminders(app, db.session) == 0, "once a day"
        db.session.commit()
        send_queued_mail(app, db.session)
    [message] = smtp_server.messages
    assert message["To"] == "unit_head@thu.vn" and message["Subject"].startswith("Kiến nghị quá hạn:")


def test_the_weekly_summary_counts_follow_ups(world, session):
    raise_one(session, world, today=FRIDAY - timedelta(days=40))
    answered = raise_one(session, world)
    head = world.users[Role.UNIT_HEAD]
    for action, options in (("classify", {}), ("assign", {"unit": world.A1}), ("resolve", {"note": "Đã xử lý."})):
        recommendations.act(session, answered, action, head, today=FRIDAY, **options)
    session.commit()
    counts = recommendations.followup_counts(session, [world.A], summaries.week_start("2026-W47"), FRIDAY)
    assert counts == {
        "open": 1,
        "overdue": 1,
        "answered_this_week": 1,
        "overdue_titles": ["Sửa máy tính phòng một cửa"],
    }


def test_public_pages_reveal_no_respondent(world, session, client):
    from surveys import org

    ward = org.create_unit(session, code="W5", name="Phường Năm", kind=UnitKind.WARD, parent=world.P)
    survey = make_survey(session, owner=world.A, units=[ward], audience="citizens")
    secret = "Tôi là Nguyễn Văn Bí Mật, số 0987 654 321, nhà số 12 ngõ 34 phố Hàng Bạc: đường ngập nước"
    response = submit(session, survey, {"q1": "khong", "q3": secret}, unit=ward)
    answer = session.scalar(select(Answer).where(Answer.response_id == response.id, Answer.text.is_not(None)))
    item = recommendations.create(
        session,
        title="Chống ngập đường khu dân cư",
        content="Người dân phản ánh ngập, gọi lại 0987 654 321.",
        kind=RecommendationKind.OPINION,
        source_kind=SourceKind.ANSWERS,
        owner_unit=world.A,
        survey=survey,
        answers=[answer],
        actor=world.users[Role.UNIT_HEAD],
        today=FRIDAY,
        topic="infrastructure_transport",
    )
    head = world.users[Role.UNIT_HEAD]
    for action, options in (
        ("classify", {}),
        ("assign", {"unit": world.A1}),
        ("resolve", {"note": "Đã nạo vét cống, hết ngập."}),
    ):
        recommendations.act(session, item, action, head, today=FRIDAY, **options)
    session.commit()
    page = client.get(f"/surveys/{survey.id}/public").get_data(as_text=True)
    assert "Chống ngập đường khu dân cư" in page and "Đã nạo vét cống, hết ngập." in page
    assert "Hạ tầng" in page, "grouped by topic"
    for leak in (
        "Bí Mật",
        "0987",
        "Hàng Bạc",
        secret[:20],
        f"answer={answer.id}",
        f"answer-{answer.id}",
        head.full_name,
    ):
        assert leak not in page, leak
    followed = client.get(f"/follow/{response.receipt}").get_data(as_text=True)
    assert "Chống ngập đường khu dân cư" in followed and "Đã nạo vét cống" in followed and "Bí Mật" not in followed
    assert client.get("/follow/khong-co-ma-nay").status_code == 404
    staff_survey = make_survey(session, owner=world.A, units=[world.A])
    assert client.get(f"/surveys/{staff_survey.id}/public").status_code == 302, "a staff survey's page needs log-in"
