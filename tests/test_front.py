"""The Front and the organisations: their officers author within their organisation, raise
recommendations to the area they supervise, read (never change) its recommendations and replies,
and see how promptly they were answered."""

from datetime import date, timedelta

from factories import PASSWORD, login
from sqlalchemy import select

from surveys import access, recommendations, responsiveness
from surveys.models import Recommendation, RecommendationKind, RecommendationStatus, Role, SourceKind, Unit

TODAY = date(2026, 11, 26)


def _raise(session, world, unit, *, received=TODAY, actor=None, title="Ý kiến tổng hợp của Công đoàn"):
    item = recommendations.create(
        session,
        title=title,
        content="Đoàn viên đề nghị bố trí phòng nghỉ trưa cho người lao động.",
        kind=RecommendationKind.OPINION,
        source_kind=SourceKind.ORGANISATION,
        owner_unit=unit,
        actor=actor or world.users[Role.FRONT_OFFICER],
        today=received,
    )
    session.commit()
    return item


def test_an_officer_supervises_the_unit_above_their_organisation(session, world):
    officer = world.users[Role.FRONT_OFFICER]
    assert access.area_roots(officer) == [world.A]
    receiving = set(session.scalars(select(Unit.code).where(access.raising_units_clause(officer))))
    assert receiving == {"A", "A1", "AU"}
    own, other = _raise(session, world, world.A1), _raise(session, world, world.B, actor=world.users[Role.ADMIN])
    assert access.can(officer, "recommendations.read", own) and not access.can(officer, "recommendations.read", other)
    assert not access.can(officer, "recommendations.act", own)  # supervision reads, never changes
    readable = set(session.scalars(select(Recommendation.id).where(access.readable_recommendations_clause(officer))))
    assert readable == {own.id}
    # Their organisation's own survey work stays inside it: they author there and not in A.
    assert set(session.scalars(select(Unit.code).where(access.units_clause(officer, "surveys.manage")))) == {"AU"}


def test_reply_figures_count_on_time_median_days_and_overdue(session, world):
    head = world.users[Role.UNIT_HEAD]
    start = TODAY - timedelta(days=40)
    answered_in = {"nhanh": 4, "vua": 10, "cham": 30}
    for title, days in answered_in.items():
        item = _raise(session, world, world.A, received=start, title=title)
        recommendations.act(session, item, "classify", head, today=start)
        recommendations.act(session, item, "assign", head, unit=world.A1, due=start + timedelta(days=15), today=start)
        recommendations.act(session, item, "resolve", head, note="Đã bố trí.", today=start + timedelta(days=days))
    late = _raise(session, world, world.A, received=start, title="chưa trả lời")
    recommendations.act(session, late, "classify", head, today=start)
    recommendations.act(session, late, "assign", head, unit=world.A1, due=start + timedelta(days=15), today=start)
    session.commit()
    figures = responsiveness.area_figures(session, [world.A], TODAY)
    assert (figures.received, figures.answered, figures.answered_on_time, figures.overdue_now) == (4, 3, 2, 1)
    assert figures.median_days == 10 and figures.on_time_share == round(2 / 3, 4)


def test_the_supervision_page_lists_the_area_only_and_offers_no_action(app, session, world):
    _raise(session, world, world.A1, title="Kiến nghị trong địa bàn")
    _raise(session, world, world.B, actor=world.users[Role.ADMIN], title="Kiến nghị của sở khác")
    client = app.test_client()
    login(client, world.users[Role.FRONT_OFFICER].email, PASSWORD)
    page = client.get("/supervision/").get_data(as_text=True)
    assert "Kiến nghị trong địa bàn" in page and "Kiến nghị của sở khác" not in page
    item = session.scalar(select(Recommendation).where(Recommendation.owner_unit_id == world.A1.id))
    detail = client.get(f"/recommendations/{item.id}").get_data(as_text=True)
    assert "Kiến nghị trong địa bàn" in detail and f"/recommendations/{item.id}/classify" not in detail
    assert client.post(f"/recommendations/{item.id}/classify").status_code == 403
    form = client.get("/recommendations/new").get_data(as_text=True)
    assert 'selected value="organisation"' in form
    assert f'value="{world.B.id}"' not in form  # only the area may be addressed
    assert item.status == RecommendationStatus.RECEIVED


def test_the_front_officer_role_needs_an_organisation(session, world):
    import pytest

    from surveys import people
    from surveys.errors import DomainError

    with pytest.raises(DomainError, match="tổ chức"):
        people.assign_role(session, world.users[Role.STAFF], Role.FRONT_OFFICER, unit=world.A)
