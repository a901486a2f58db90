"""Good examples: committee members record them for the units their committee oversees, linked to
answered public recommendations; the public page shows only what is published."""

from datetime import date

import pytest
from factories import PASSWORD, login

from surveys import examples, recommendations
from surveys.errors import DomainError
from surveys.models import ExampleKind, RecommendationKind, Role, SourceKind

TODAY = date(2026, 11, 26)


def _recommendation(session, world, *, answered: bool):
    head = world.users[Role.UNIT_HEAD]
    item = recommendations.create(
        session,
        title="Lắp đèn chiếu sáng ngõ 5",
        content="Cử tri đề nghị.",
        kind=RecommendationKind.OPINION,
        source_kind=SourceKind.MEETING,
        owner_unit=world.A,
        actor=head,
        today=TODAY,
    )
    if answered:
        recommendations.act(session, item, "classify", head, today=TODAY)
        recommendations.act(session, item, "assign", head, unit=world.A1, due=TODAY, today=TODAY)
        recommendations.act(session, item, "resolve", head, note="Đã lắp 40 bóng đèn, gọi 0912 345 678.", today=TODAY)
    session.commit()
    return item


def _record(session, world, *, publish=True, recommendations_=()):
    example = examples.record(
        session,
        title="Ngõ sáng, đường sạch",
        kind=ExampleKind.MODEL,
        description="Nhân dân góp công lắp đèn.\nKết quả: ngõ sáng.",
        unit=world.A1,
        committee=world.C,
        recommendations=list(recommendations_),
        publish=publish,
        actor=world.users[Role.COMMITTEE_MEMBER],
        today=TODAY,
    )
    session.commit()
    return example


def test_only_answered_public_recommendations_back_an_example(session, world):
    with pytest.raises(DomainError, match="đã có kết quả"):
        _record(session, world, recommendations_=[_recommendation(session, world, answered=False)])
    session.rollback()
    with pytest.raises(DomainError, match="tên và nội dung"):
        examples.record(
            session,
            title=" ",
            kind=ExampleKind.MODEL,
            description="x",
            unit=world.A,
            committee=None,
            recommendations=[],
            publish=True,
            actor=None,
            today=TODAY,
        )


def test_the_public_page_shows_published_examples_with_their_results(app, session, world):
    done = _recommendation(session, world, answered=True)
    shown = _record(session, world, recommendations_=[done])
    hidden = _record(session, world, publish=False)
    client = app.test_client()
    page = client.get("/examples/").get_data(as_text=True)
    assert page.count("Ngõ sáng, đường sạch") == 1
    detail = client.get(f"/examples/{shown.id}").get_data(as_text=True)
    assert "Đã lắp 40 bóng đèn" in detail and "0912" not in detail  # the answer, redacted
    assert client.get(f"/examples/{hidden.id}").status_code == 404  # not public yet
    login(client, world.users[Role.COMMITTEE_MEMBER].email, PASSWORD)
    assert client.get(f"/examples/{hidden.id}").status_code == 200
    form = client.get("/examples/new").get_data(as_text=True)
    assert f'value="{world.A1.id}"' in form and f'value="{world.B.id}"' not in form
    assert f'value="{done.id}"' in form
