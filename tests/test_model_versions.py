"""Retraining the NLP models on reviewers' corrections behind the gate: the weekly job and
`flask nlp retrain` activate a version only when no evaluation set got worse beyond noise,
refuse a worse one, keep every version's artifacts under the instance folder, re-tag on
activation through the tagging worker, and `flask nlp rollback` returns to the version before.

Training here is small and fast: a few hundred staff/citizen rows instead of the shipped data
(nlp.training.default_sources is pointed at them), measured on part of the staff/citizen
evaluation set; the worse model learns from a label-shuffled handful of rows."""

import csv
import random
from datetime import datetime
from pathlib import Path

import pytest
from factories import make_staff, make_survey, submit
from sqlalchemy import func, select

import nlp
import nlp.evaluation
import nlp.training
from nlp.corpus import ANSWERS, Source
from surveys import model_versions, tagging
from surveys.models import Answer, AnswerTag, AuditEntry, ModelState, ModelVersion, Role
from surveys.timeutil import VN_TZ
from webapp.extensions import db
from webapp.nlp_tagger import get_tagger, versions_root

DATA = Path(nlp.training.TRAIN_DIR)
EVAL = Path(nlp.evaluation.EVAL_DIR)
TEXTS = [
    "Lương thấp, không đủ sống, mong được tăng phụ cấp.",
    "Đề nghị mở thêm lớp bồi dưỡng chuyển đổi số.",
    "Lãnh đạo lắng nghe, dân chủ, công khai minh bạch, tôi rất hài lòng.",
    "Khối lượng công việc quá nhiều sau khi sáp nhập, biên chế thiếu.",
    "Phòng làm việc chật chội, nóng bức vào mùa hè.",
]
SUNDAY_NIGHT = datetime(2026, 11, 29, 3, 0, tzinfo=VN_TZ)  # an hour after the weekly job's 02:00


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _write(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        writer.writerow(["text", "sentiment", "kind", "topic"])
        writer.writerows([r["text"], r["sentiment"], r["kind"], r["topic"]] for r in rows)
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Small training files (good and label-shuffled), a small evaluation set, and a model
    trained on the good file: the model in use before any retraining."""
    folder = tmp_path_factory.mktemp("small-nlp")
    rows = _rows(DATA / "train_a.tsv")
    shuffled = [dict(r) for r in rows[200:260]]
    rng = random.Random(7)
    for task in ("sentiment", "kind", "topic"):
        labels = [r[task] for r in shuffled]
        rng.shuffle(labels)
        for row, label in zip(shuffled, labels, strict=True):
            row[task] = label
    good, worse = _write(folder / "good.tsv", rows[:200]), _write(folder / "worse.tsv", shuffled)
    sets = {"domain_eval": _write(folder / "eval.tsv", _rows(EVAL / "domain_eval.tsv")[:120])}
    nlp.training.train_all(folder / "start", sources=[Source("good", good, ANSWERS, 8.0)], eval_sets=sets)
    return {"good": good, "worse": worse, "sets": sets, "start": folder / "start"}


@pytest.fixture
def small_training(app, small, monkeypatch, tmp_path):
    """Retraining reads the small files; the app starts from the small model."""
    train_on = {"rows": small["good"]}
    monkeypatch.setattr(nlp.training, "default_sources", lambda: [Source("small", train_on["rows"], ANSWERS, 8.0)])
    monkeypatch.setattr(nlp.evaluation, "default_sets", lambda: dict(small["sets"]))
    monkeypatch.setitem(app.config, "NLP_MODEL_DIR", str(small["start"]))
    monkeypatch.setitem(app.config, "NLP_RETRAIN_CRON", "0 2 * * sun")
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    return train_on


def _versions(session) -> list[ModelVersion]:
    session.commit()
    return list(session.scalars(select(ModelVersion).order_by(ModelVersion.id)))


def _actions(session) -> list[str]:
    query = select(AuditEntry.action).where(AuditEntry.action.like("nlp.%")).order_by(AuditEntry.id)
    return list(session.scalars(query))


def test_retrain_activates_a_version_that_is_not_worse_refuses_a_worse_one_and_rolls_back(
    app, world, session, client, small, small_training
):
    from webapp.scheduler import build_service

    survey = make_survey(session, owner=world.A, units=[world.A])
    for person, text in zip(make_staff(session, world.A1, len(TEXTS)), TEXTS, strict=True):
        submit(session, survey, {"q1": "co", "q3": text}, respondent=person)
    with app.app_context():
        start_version = get_tagger(app).version
        tagging.tag_pending(db.session, get_tagger(app))
        answer = db.session.scalar(select(Answer).where(Answer.text == TEXTS[1]))
        tagging.correct(
            db.session,
            answer,
            sentiment="neutral",
            kind="request",
            topics=["training_career"],
            reviewer=world.users[Role.UNIT_HEAD],
            known_topics=nlp.load_taxonomy().keys(),
        )
        db.session.commit()

    # The weekly job: trained on the same rows plus the correction, it is not worse, so it is
    # activated, and the same tick's tagging worker re-tags the answers with it.
    service = build_service(app)
    assert "nlp_retrain" in {job.name for job in service.periodic}
    assert service.tick(now=SUNDAY_NIGHT.astimezone(VN_TZ))
    first, second = _versions(session)
    assert first.version == start_version and first.state == ModelState.RETIRED
    assert second.state == ModelState.ACTIVE and second.corrections == 1 and second.regressions == []
    assert second.version != start_version
    assert set(second.figures["domain_eval"]) == {"sentiment", "kind", "topic"}
    assert second.baseline["domain_eval"]["sentiment"]["n"] == 120
    root = Path(versions_root(app))
    assert (root / first.directory / "card.json").is_file() and (root / second.directory / "card.json").is_file()
    session.commit()
    assert set(session.scalars(select(AnswerTag.model_version))) == {second.version}, "re-tagged on activation"
    assert _actions(session) == ["nlp.model_activated"]
    world.login_as(client, Role.INSPECTOR)
    card_page = client.get("/surveys/analysis-reliability").get_data(as_text=True)
    assert second.version in card_page and "Đang dùng" in card_page, "the card of the version in use"

    # A model trained on a handful of shuffled labels is worse on every set: refused, never used.
    small_training["rows"] = small["worse"]
    result = app.test_cli_runner().invoke(args=["nlp", "retrain"])
    assert result.exit_code == 0, result.output
    assert "không kích hoạt" in result.output
    third = _versions(session)[2]
    assert third.state == ModelState.REFUSED and third.regressions
    assert any(r.startswith("domain_eval/") for r in third.regressions)
    with app.app_context():
        assert model_versions.active(db.session).id == second.id and get_tagger(app).version == second.version
    assert _actions(session) == ["nlp.model_activated", "nlp.model_refused"]

    # Rollback: the version before is active again, and the worker re-tags with it.
    result = app.test_cli_runner().invoke(args=["nlp", "rollback"])
    assert result.exit_code == 0, result.output
    states = {v.id: v.state for v in _versions(session)}
    assert states == {first.id: ModelState.ACTIVE, second.id: ModelState.ROLLED_BACK, third.id: ModelState.REFUSED}
    with app.app_context():
        assert get_tagger(app).version == start_version
        assert tagging.pending_count(db.session, start_version) == len(TEXTS)
    assert _actions(session) == ["nlp.model_activated", "nlp.model_refused", "nlp.model_rolled_back"]
    refused = app.test_cli_runner().invoke(args=["nlp", "rollback"])
    assert refused.exit_code != 0 and "Không có phiên bản mô hình nào trước" in refused.output
    listing = app.test_cli_runner().invoke(args=["nlp", "versions"])
    assert listing.exit_code == 0 and "đang dùng" in listing.output and "bị từ chối" in listing.output


def test_the_weekly_job_runs_once_a_week_and_not_in_the_test_suite(app, session):
    from webapp.scheduler import build_service

    assert app.config["NLP_RETRAIN_CRON"] == "", "the suite never trains behind a scheduler tick"
    assert "nlp_retrain" not in {job.name for job in build_service(app).periodic}
    session.commit()
    assert session.scalar(select(func.count()).select_from(ModelVersion)) == 0
