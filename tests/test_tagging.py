"""The background tagging worker: tags stored with their model version, re-tagging when
the model changes, a crash mid-batch losing nothing, SKIP LOCKED sharing on PostgreSQL,
and reviewers' corrections winning over the model."""

import csv
import io

import pytest
from factories import make_staff, make_survey, submit
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import nlp
from surveys import results, tagging
from surveys.errors import DomainError
from surveys.models import Answer, AnswerTag, Role, TagCorrection

TEXTS = [
    "Lương thấp, không đủ sống, mong được tăng phụ cấp.",
    "Máy tính ở phòng quá cũ, hay treo, gọi 0912 345 678 để biết thêm.",
    "Lãnh đạo lắng nghe, dân chủ, công khai minh bạch, tôi rất hài lòng.",
    "Đề nghị mở thêm lớp bồi dưỡng chuyển đổi số.",
    "Khối lượng công việc quá nhiều sau khi sáp nhập, biên chế thiếu.",
    "Phòng làm việc chật chội, nóng bức vào mùa hè.",
]


@pytest.fixture(scope="module")
def tagger():
    return nlp.load_tagger()


class VersionedTagger:
    """The real tagger under another version name, optionally failing on a chosen batch."""

    def __init__(self, inner, version, fail_on_batch=None):
        self.inner, self.version, self.fail_on_batch, self.batches = inner, version, fail_on_batch, 0

    def tag_many(self, texts):
        self.batches += 1
        if self.batches == self.fail_on_batch:
            raise RuntimeError("máy chủ bị tắt giữa chừng")
        return self.inner.tag_many(texts)


@pytest.fixture
def answered(world, session):
    survey = make_survey(session, owner=world.A, units=[world.A])
    for person, text in zip(make_staff(session, world.A1, len(TEXTS)), TEXTS, strict=True):
        submit(session, survey, {"q1": "co", "q3": text}, respondent=person)
    return survey


def tag_count(session, version=None) -> int:
    session.commit()
    query = select(func.count()).select_from(AnswerTag)
    if version:
        query = query.where(AnswerTag.model_version == version)
    return session.scalar(query)


def test_answers_are_tagged_once_with_the_model_version(app, answered, session, tagger):
    assert tagging.pending_count(session, tagger.version) == len(TEXTS)
    assert tagging.tag_pending(session, tagger, batch=4) == len(TEXTS)
    assert tagging.tag_pending(session, tagger) == 0
    assert tag_count(session, tagger.version) == len(TEXTS)
    tags = {t.answer.text: t for t in session.scalars(select(AnswerTag))}
    phone = tags[TEXTS[1]]
    assert "[số điện thoại]" in phone.redacted and "0912" not in phone.redacted
    assert tags[TEXTS[0]].main_topic == "salary_benefits" and tags[TEXTS[0]].sentiment == "negative"
    assert all(0 <= t.sentiment_confidence <= 1 for t in tags.values())
    # Kind and every sure flag are stored as the tagger said them.
    said = dict(zip(TEXTS, tagger.tag_many(TEXTS), strict=True))
    for text, tag in tags.items():
        expected = said[text]
        assert tag.kind == expected["kind"] and tag.kind_confidence == pytest.approx(expected["kind_confidence"])
        assert (tag.sentiment_sure, tag.kind_sure, tag.topic_sure) == (
            expected["sentiment_sure"],
            expected["kind_sure"],
            expected["topic_sure"],
        )
    assert tags[TEXTS[3]].kind == "request" and tags[TEXTS[2]].kind == "praise"


def test_a_new_model_version_retags_everything(app, answered, session, tagger):
    tagging.tag_pending(session, tagger)
    newer = VersionedTagger(tagger, "thu-nghiem-2")
    assert tagging.pending_count(session, newer.version) == len(TEXTS)
    assert tagging.tag_pending(session, newer) == len(TEXTS)
    assert tag_count(session, "thu-nghiem-2") == len(TEXTS) and tag_count(session) == len(TEXTS)


def test_a_crash_mid_batch_loses_nothing(app, answered, session, tagger):
    crashing = VersionedTagger(tagger, tagger.version, fail_on_batch=2)
    with pytest.raises(RuntimeError):
        tagging.tag_pending(session, crashing, batch=4)
    session.rollback()
    assert tag_count(session) == 4, "the first batch was committed, the second rolled back"
    assert tagging.tag_pending(session, tagger, batch=4) == 2, "a restart finishes the work"
    assert tag_count(session) == len(TEXTS)


def test_two_workers_claim_disjoint_batches(app, answered, test_engine, tagger):
    if test_engine.dialect.name != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite has one writer at a time")
    with Session(test_engine) as first, Session(test_engine) as second:
        claim = (
            tagging._pending(tagger.version).order_by(Answer.id).limit(4).with_for_update(skip_locked=True, of=Answer)
        )
        mine = {row.id for row in first.execute(claim)}
        theirs = {row.id for row in second.execute(claim)}
        assert len(mine) == 4 and len(theirs) == 2 and not mine & theirs
        first.rollback()
        second.rollback()


def test_the_scheduler_tags_in_the_background(app, answered, session):
    from webapp.scheduler import build_service

    assert build_service(app).tick()
    assert tag_count(session) == len(TEXTS)


def test_corrections_win_and_export_for_training(app, answered, session, tagger, world):
    tagging.tag_pending(session, tagger)
    answer = session.scalar(select(Answer).where(Answer.text == TEXTS[3]))
    tagging.correct(
        session,
        answer,
        sentiment="neutral",
        kind="question",
        topics=["digital_transformation", "training_career"],
        reviewer=world.users[Role.UNIT_HEAD],
        known_topics=nlp.load_taxonomy().keys(),
    )
    session.commit()
    outcome = results.compute(session, world.users[Role.UNIT_HEAD], answered, k=5)
    item = next(t for q in outcome.questions for t in q.texts if t.answer_id == answer.id)
    assert item.sentiment == "neutral" and item.topics[0] == "digital_transformation" and item.corrected
    assert item.kind == "question" and item.tags.kind_sure and item.tags.kind_confidence is None
    # Re-tagging with a new model keeps the correction on top.
    tagging.tag_pending(session, VersionedTagger(tagger, "moi"))
    outcome = results.compute(
        session, world.users[Role.UNIT_HEAD], answered, k=5, filters=results.Filters(topic="digital_transformation")
    )
    [q3] = [q for q in outcome.questions if q.question.key == "q3"]
    assert [t.answer_id for t in q3.texts] == [answer.id]
    result = app.test_cli_runner().invoke(args=["nlp", "export-corrections", "-"])
    assert result.exit_code == 0, result.output
    assert f"{TEXTS[3]}\tneutral\tquestion\tdigital_transformation" in result.output
    with pytest.raises(DomainError, match="Loại ý kiến không hợp lệ"):
        tagging.correct(
            session,
            answer,
            sentiment=None,
            kind="complaint",
            topics=None,
            reviewer=world.users[Role.UNIT_HEAD],
            known_topics=nlp.load_taxonomy().keys(),
        )
    with pytest.raises(Exception, match="Chủ đề không hợp lệ"):
        tagging.correct(
            session,
            answer,
            sentiment=None,
            topics=["khong_co"],
            reviewer=world.users[Role.UNIT_HEAD],
            known_topics=nlp.load_taxonomy().keys(),
        )


def test_only_reviewers_correct_tags_on_the_results_page(app, answered, session, tagger, world, client):
    tagging.tag_pending(session, tagger)
    answer = session.scalar(select(Answer).where(Answer.text == TEXTS[0]))
    url = f"/surveys/{answered.id}/answers/{answer.id}/tags"
    world.login_as(client, Role.INSPECTOR)
    assert client.post(url, data={"sentiment": "positive", "topics": "health"}).status_code == 403
    client.post("/logout")
    world.login_as(client, Role.UNIT_HEAD)
    page = client.get(f"/surveys/{answered.id}/results?sentiment=negative").get_data(as_text=True)
    assert "Tiêu cực" in page and "Hiệu chỉnh nhãn" in page
    assert client.post(url, data={"sentiment": "positive", "kind": "praise", "topics": "health"}).status_code == 302
    session.commit()
    correction = session.get(TagCorrection, answer.id)
    assert correction.sentiment == "positive" and correction.kind == "praise" and correction.topics == ["health"]


class UnsureTagger(VersionedTagger):
    """The real tagger, but not sure of the sentiment and kind of the answers given."""

    def __init__(self, inner, unsure):
        super().__init__(inner, inner.version)
        self.unsure = unsure

    def tag_many(self, texts):
        tags = self.inner.tag_many(texts)
        for text, tag in zip(texts, tags, strict=True):
            if text in self.unsure:
                tag.update(sentiment_sure=False, kind_sure=False)
            else:
                tag.update(sentiment_sure=True, kind_sure=True)
        return tags


def test_an_unsure_sentiment_is_chua_ro_everywhere_and_never_counted_as_one(
    app, answered, session, tagger, world, client
):
    tagging.tag_pending(session, UnsureTagger(tagger, {TEXTS[0], TEXTS[4]}))
    head = world.users[Role.UNIT_HEAD]
    outcome = results.compute(session, head, answered, k=5)
    [q3] = [q for q in outcome.questions if q.question.key == "q3"]
    shown = {t.text: t for t in q3.texts}
    assert shown[TEXTS[0]].sentiment == tagging.UNSURE and shown[TEXTS[0]].kind == tagging.UNSURE
    assert 0 < shown[TEXTS[0]].tags.sentiment_confidence < 1
    assert outcome.sentiment_counts[tagging.UNSURE] == 2 and sum(outcome.sentiment_counts.values()) == len(TEXTS)
    assert outcome.kind_counts[tagging.UNSURE] == 2
    only_unsure = results.compute(session, head, answered, k=5, filters=results.Filters(sentiment=tagging.UNSURE))
    [q3] = [q for q in only_unsure.questions if q.question.key == "q3"]
    assert sorted(t.text for t in q3.texts) == sorted([TEXTS[0], TEXTS[4]])
    negatives = results.compute(session, head, answered, k=5, filters=results.Filters(sentiment="negative"))
    assert TEXTS[0] not in {t.text for q in negatives.questions for t in q.texts}, "an unsure tag is no evidence"

    world.login_as(client, Role.UNIT_HEAD)
    page = client.get(f"/surveys/{answered.id}/results").get_data(as_text=True)
    assert "Sắc thái: Chưa rõ" in page and "độ tin cậy" in page and "chưa chắc" in page
    assert 'id="kind"' in page and "Loại: Kiến nghị" in page
    rows = list(csv.reader(io.StringIO(client.get(f"/surveys/{answered.id}/export.csv").data.decode("utf-8-sig"))))
    header = rows[0]
    sentiment, kind, topic = (header.index(f"q3 ({name})") for name in ("sắc thái", "loại ý kiến", "chủ đề chính"))
    by_sentiment = {row[sentiment] for row in rows[1:]}
    assert "Chưa rõ" in by_sentiment and by_sentiment <= {"Chưa rõ", "Tiêu cực", "Trung tính", "Tích cực"}
    assert {row[kind] for row in rows[1:]} >= {"Chưa rõ", "Kiến nghị"}
    assert "Lương, thu nhập, chế độ" in {row[topic] for row in rows[1:]}


def test_the_api_filters_by_kind_and_says_how_sure_each_tag_is(app, answered, session, tagger, world, client):
    from test_api import bearer

    tagging.tag_pending(session, UnsureTagger(tagger, {TEXTS[0]}))
    headers = bearer(session, world.users[Role.UNIT_HEAD])
    url = f"/api/v1/surveys/{answered.id}/results"
    everything = client.get(url, headers=headers).json
    [q3] = [q for q in everything["questions"] if q["key"] == "q3"]
    unsure = next(t for t in q3["texts"] if t["text"].startswith("Lương thấp"))
    assert unsure["sentiment"] == "unsure" and unsure["sentiment_label"] == "Chưa rõ" and not unsure["sentiment_sure"]
    assert 0 < unsure["sentiment_confidence"] < 1 and unsure["kind"] == "unsure"
    assert everything["sentiments"]["unsure"] == 1 and everything["kinds"]["unsure"] == 1
    requests_only = client.get(url + "?kind=request", headers=headers).json
    [q3] = [q for q in requests_only["questions"] if q["key"] == "q3"]
    assert [t["text"] for t in q3["texts"]] == [TEXTS[3]]
    assert q3["texts"][0]["kind_label"] == "Kiến nghị" and q3["texts"][0]["kind_sure"]
    refused = client.get(url + "?kind=khieu_nai", headers=headers)
    assert refused.status_code == 400 and refused.json["message"] == "Loại ý kiến không hợp lệ."
