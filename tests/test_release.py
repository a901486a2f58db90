"""Anonymous answers are released in batches of at least k (surveys/release.py): issue 13,
findings 1 (differencing), 3 (joining answers to people in the database) and 4 (arrival order)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from factories import make_staff, make_survey, release_all, run_scheduler_ticks, submit
from sqlalchemy import func, select, text

from surveys import answering, release, results
from surveys.models import Answer, Participation, PendingResponse, Response, ResponseBatch, Role, SurveyState
from surveys.timeutil import local_today

MONDAY = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam


def count(session, model) -> int:
    session.commit()
    return session.scalar(select(func.count()).select_from(model))


def answer_in_turn(session, survey, people, *, now=MONDAY, texts=None):
    """Each person answers, one after the other, through the domain (left waiting, as the app does)."""
    for number, person in enumerate(people):
        said = texts[number] if texts else f"Ý kiến thứ {number}"
        submit(session, survey, {"q1": "co", "q3": said}, respondent=person, now=now, released=False)


def test_answers_wait_until_k_of_one_unit_then_go_out_together(world, session):
    survey = make_survey(session, owner=world.A, units=[world.A])
    staff = make_staff(session, world.A1, 5)
    answer_in_turn(session, survey, staff[:4])
    assert release.release_batches(session, k=5, now=MONDAY) == 0
    assert count(session, Response) == 0 and count(session, PendingResponse) == 4
    assert count(session, Participation) == 4, "who answered is known at once (reminders, one answer each)"
    answer_in_turn(session, survey, staff[4:])
    later = MONDAY + timedelta(days=3)
    assert release.release_batches(session, k=5, now=later) == 5
    assert count(session, PendingResponse) == 0
    [batch] = session.scalars(select(ResponseBatch)).all()
    assert (batch.unit_id, batch.size, batch.released_on) == (world.A1.id, 5, local_today(later))
    released = session.scalars(select(Response)).all()
    assert {(r.unit_id, r.batch_id, r.submitted_on, r.channel) for r in released} == {
        (world.A1.id, batch.id, local_today(later), None)
    }, "one unit, the day of release (not of arrival), no channel"


def test_a_small_unit_joins_its_parent_once_it_has_waited(world, session):
    survey = make_survey(session, owner=world.A, units=[world.A])
    answer_in_turn(session, survey, make_staff(session, world.A1, 3, "a1-"))
    answer_in_turn(session, survey, make_staff(session, world.A, 2, "a-"), now=MONDAY + timedelta(days=1))
    assert release.release_batches(session, k=5, now=MONDAY + timedelta(hours=12)) == 0, "A1 has not waited a day"
    assert release.release_batches(session, k=5, now=MONDAY + timedelta(days=1)) == 5
    [batch] = session.scalars(select(ResponseBatch)).all()
    assert batch.unit_id == world.A.id, "A1's three folded into Sở A with its two"


def test_what_stays_below_k_at_the_top_waits_and_is_only_counted(world, session, client):
    survey = make_survey(session, owner=world.A, units=[world.A])
    answer_in_turn(session, survey, make_staff(session, world.A1, 3))
    session.commit()
    survey.state = SurveyState.CLOSED
    assert release_all(session) == 0
    assert count(session, PendingResponse) == 3 and release.pending_count(session, survey) == 3
    world.login_as(client, Role.UNIT_HEAD)
    page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
    assert "3 ý kiến đang chờ đủ 5 người để công bố" in page
    assert "Ý kiến thứ" not in page


def test_a_replay_after_release_is_recognised_and_the_follow_code_still_works(world, session, client):
    survey = make_survey(session, owner=world.A, units=[world.A])
    staff = make_staff(session, world.A1, 5)
    first = submit(session, survey, {"q1": "co"}, respondent=staff[0], key="khoa-nguoi-0", released=False)
    receipt = first.receipt
    waiting = client.get(f"/follow/{receipt}").get_data(as_text=True)
    assert "đang chờ công bố" in waiting
    answer_in_turn(session, survey, staff[1:])
    assert release_all(session) == 5
    raw = answering.raw_from_json(survey.current_version, {"q1": "co"})
    again, created = answering.submit_response(
        session, survey, raw, idempotency_key="khoa-nguoi-0", respondent=staff[0], now=MONDAY
    )
    assert not created and isinstance(again, Response)
    assert count(session, Response) == 5
    followed = client.get(f"/follow/{receipt}")
    assert followed.status_code == 200 and "đang chờ công bố" not in followed.get_data(as_text=True)


def test_finding_3_released_answers_cannot_be_joined_to_participations(world, session):
    """Before: responses.id = participations.id for 41 of 44, and the same PostgreSQL xmin for 31."""
    survey = make_survey(session, owner=world.A, units=[world.A])
    texts = [f"Ý kiến số {n:02d}" for n in range(12)]
    answer_in_turn(session, survey, make_staff(session, world.A1, 12), texts=texts)
    release_all(session)
    in_id_order = session.scalars(
        select(Answer.text).join(Response).where(Answer.text.is_not(None)).order_by(Response.id)
    ).all()
    assert sorted(in_id_order) == texts
    assert in_id_order != texts, "fresh ids follow a shuffle, not arrival (1 chance in 12! to fail)"
    # Each person's participation, and the response carrying what they said: the ids no longer pair up.
    said_by = dict(zip(texts, session.scalars(select(Participation.id).order_by(Participation.id)), strict=True))
    response_of = dict(session.execute(select(Answer.text, Answer.response_id).where(Answer.text.is_not(None))).all())
    pairs = sorted((said_by[t], response_of[t]) for t in texts)
    assert [response for _, response in pairs] != sorted(response_of.values()), "response ids follow no participation"
    assert all(
        (r.respondent_id, r.invitation_id, r.submitted_at, r.channel) == (None, None, None, None)
        for r in session.scalars(select(Response))
    )
    if session.get_bind().dialect.name == "postgresql":
        response_xmins = set(session.scalars(text("SELECT xmin::text FROM responses")))
        participation_xmins = set(session.scalars(text("SELECT xmin::text FROM participations")))
        assert len(response_xmins) == 1, "all twelve written by the one release transaction"
        assert not response_xmins & participation_xmins


def test_finding_4_arrival_order_is_not_in_the_results_page_or_the_export(world, session, client):
    survey = make_survey(session, owner=world.A, units=[world.A])
    texts = [f"Ý kiến số {n:02d} về công việc" for n in range(12)]
    answer_in_turn(session, survey, make_staff(session, world.A1, 12), texts=texts)
    release_all(session)
    world.login_as(client, Role.UNIT_HEAD)
    page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
    ids = {int(number): said for number, said in re.findall(r'id="answer-(\d+)".*?(Ý kiến số \d\d)', page, re.S)}
    assert len(ids) == 12
    assert [ids[i] for i in sorted(ids)] != [t[:12] for t in texts], "answer ids do not follow arrival"
    listed = re.findall(r"Ý kiến số \d\d", page)
    assert listed != [t[:12] for t in texts], "nor does the order they are listed in"
    exported = client.get(f"/surveys/{survey.id}/export.csv").get_data(as_text=True)
    assert re.findall(r"Ý kiến số \d\d", exported) != [t[:12] for t in texts]
    header = exported.splitlines()[0]
    assert "Kênh" not in header and "Ngày gửi" not in header, "no channel and no exact day for anonymous answers"


def test_a_release_that_fails_half_way_leaves_every_answer_waiting(world, session, monkeypatch):
    survey = make_survey(session, owner=world.A, units=[world.A])
    answer_in_turn(session, survey, make_staff(session, world.A1, 5))

    def crash(_):
        raise RuntimeError("máy chủ bị tắt giữa chừng")

    monkeypatch.setattr(release, "_shuffle", crash)
    with pytest.raises(RuntimeError):
        release_all(session)
    session.rollback()
    assert count(session, PendingResponse) == 5 and count(session, Response) == 0
    monkeypatch.undo()
    assert release_all(session) == 5


def test_two_releasers_at_once_never_release_an_answer_twice(world, session, test_engine):
    from sqlalchemy.orm import Session

    survey = make_survey(session, owner=world.A, units=[world.A])
    answer_in_turn(session, survey, make_staff(session, world.A1, 5))
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite takes one writer at a time (BEGIN IMMEDIATE): nothing can overlap")
    with Session(test_engine) as first, Session(test_engine) as second:
        held = release.release_survey(
            first, first.get(type(survey), survey.id), k=5, today=local_today(), wait_days=1, force=True
        )
        assert held == 5
        assert release.release_batches(second, k=5, force=True) == 0, "the rows are locked: skipped"
        first.commit()
        assert release.release_batches(second, k=5, force=True) == 0, "and then gone"
    assert count(session, Response) == 5 and count(session, ResponseBatch) == 1


def test_two_scheduler_processes_release_each_batch_once(app, database_url, world, session):
    survey = make_survey(session, owner=world.A, units=[world.A])
    answer_in_turn(session, survey, make_staff(session, world.A1, 7), now=datetime.now(UTC) - timedelta(days=2))
    run_scheduler_ticks(app, database_url, timeout=120)
    assert count(session, PendingResponse) == 0
    assert count(session, Response) == 7 and count(session, ResponseBatch) == 1


def test_results_count_only_released_answers(world, session):
    survey = make_survey(session, owner=world.A, units=[world.A])
    staff = make_staff(session, world.A1, 9)
    answer_in_turn(session, survey, staff[:5])
    release_all(session)
    answer_in_turn(session, survey, staff[5:])
    unit_head = world.users[Role.UNIT_HEAD]
    outcome = results.compute(session, unit_head, survey, k=5)
    assert outcome.total == 5, "the four still waiting are not counted"
