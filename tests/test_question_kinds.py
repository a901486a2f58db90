"""Question kinds (surveys/questions): one class per kind, one registry, one template each; and
each kind summarises from counts, so a results page can be fed by SQL GROUP BY instead of rows."""

import json
from collections import Counter, defaultdict
from pathlib import Path

from factories import make_staff, make_survey, submit
from sqlalchemy import Text, cast, func, select

from surveys import results
from surveys.models import Answer, Question, QuestionKind, Response, Role
from surveys.questions import KINDS, kind_of

TEMPLATES = Path(__file__).resolve().parent.parent / "webapp" / "answering" / "templates" / "answering" / "questions"
QUESTIONS = [
    {"key": "single", "kind": "single", "text": "Một", "allow_other": True, "choices": ["Có", "Không"]},
    {"key": "multi", "kind": "multiple", "text": "Nhiều", "choices": ["A", "B", "C"]},
    {"key": "drop", "kind": "dropdown", "text": "Danh sách", "choices": ["X", "Y"]},
    {"key": "rating", "kind": "rating", "text": "Điểm"},
    {"key": "nps", "kind": "nps", "text": "Giới thiệu"},
    {"key": "matrix", "kind": "matrix", "text": "Bảng", "rows": ["Lương", "Điều kiện"]},
    {"key": "number", "kind": "number", "text": "Tuổi"},
    {"key": "day", "kind": "date", "text": "Ngày"},
    {"key": "consent", "kind": "consent", "text": "Đồng ý"},
    {"key": "long", "kind": "long_text", "text": "Ý kiến"},
]
ANSWERS = [
    {
        "single": "co",
        "multi": ["a", "b"],
        "drop": "x",
        "rating": 5,
        "nps": 10,
        "matrix": {"luong": 4, "dieu_kien": 2},
        "number": "30",
        "day": "2026-11-02",
        "consent": True,
        "long": "Cần thêm máy tính",
    },
    {
        "single": "__other__",
        "single__other": "Tùy",
        "multi": ["b"],
        "rating": 4,
        "nps": 9,
        "matrix": {"luong": 5},
        "number": "41",
        "day": "2026-11-20",
    },
    {
        "single": "khong",
        "multi": ["a", "b", "c"],
        "drop": "y",
        "rating": 4,
        "nps": 3,
        "number": "30,5",
        "day": "2026-12-01",
        "consent": True,
    },
    {"single": "co", "rating": 1, "nps": 7, "matrix": {"luong": 4, "dieu_kien": 4}, "number": "25"},
    {"single": "co", "multi": ["c"], "rating": 5, "nps": 10, "number": "60"},
]


def test_every_kind_has_one_class_a_label_and_a_template():
    assert set(KINDS) == set(QuestionKind)
    for kind, qtype in KINDS.items():
        assert qtype.kind == kind and qtype.label
        assert (TEMPLATES / f"{qtype.template}.html").is_file(), kind
        assert qtype.counting in ("value", "items", "cells", None)
        assert (qtype.counting is None) == (qtype.free_text or not qtype.asks), kind


def test_the_kind_is_named_only_by_its_class_and_the_model():
    """Nothing outside surveys/questions/ and the models branches on a kind."""
    root = TEMPLATES.parents[4]
    found = [
        f"{path.relative_to(root)}:{number}"
        for package in ("surveys", "webapp")
        for path in sorted((root / package).rglob("*.py"))
        if "questions" not in path.relative_to(root).parts and "models" not in path.relative_to(root).parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "QuestionKind." in line
    ]
    templates = [path.name for path in (root / "webapp").rglob("*.html") if "kind.value" in path.read_text()]
    assert found == [] and templates == []


def _counts_from_group_by(session, survey) -> dict[str, Counter]:
    """What a SQL-fed results page would do: one GROUP BY over the stored values, then each kind's
    keys for each distinct value, weighted by how many gave it. No answer row reaches Python."""
    counts: dict[str, Counter] = defaultdict(Counter)
    value = cast(Answer.value, Text)  # JSON compared as its text, on every engine
    rows = session.execute(
        select(Question.key, value, func.count())
        .join(Answer, Answer.question_id == Question.id)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.survey_id == survey.id)
        .group_by(Question.key, value)
    )
    questions = {q.key: q for q in survey.current_version.questions}
    for key, stored, n in rows:
        question = questions[key]
        if kind_of(question).counting is None or stored is None:
            continue
        for counted in kind_of(question).count_keys(question, json.loads(stored)):
            counts[key][counted] += n
    return counts


def test_each_kind_summarises_from_grouped_counts_as_from_the_rows(world, session):
    survey = make_survey(session, owner=world.A, units=[world.A], questions=QUESTIONS)
    for person, answers in zip(make_staff(session, world.A1, len(ANSWERS)), ANSWERS, strict=True):
        submit(session, survey, answers, respondent=person)
    from_rows = {r.question.key: r for r in results.compute(session, world.users[Role.ADMIN], survey, k=5).questions}
    grouped = _counts_from_group_by(session, survey)
    for question in survey.current_version.questions:
        if kind_of(question).counting is None:
            continue
        summary = results.QuestionResult(question)
        kind_of(question).summarise(question, grouped[question.key], summary)
        expected = from_rows[question.key]
        assert (summary.bars, summary.rows, summary.average, summary.median, summary.nps) == (
            expected.bars,
            expected.rows,
            expected.average,
            expected.median,
            expected.nps,
        ), question.key
    # Figures checked by hand against ANSWERS.
    assert [(b.value, b.count) for b in from_rows["multi"].bars] == [("a", 2), ("b", 3), ("c", 2)]
    assert [(b.value, b.count) for b in from_rows["single"].bars] == [("co", 3), ("khong", 1), ("__other__", 1)]
    assert from_rows["nps"].nps == round(100 * (3 - 1) / 5) and from_rows["rating"].average == 19 / 5
    assert from_rows["number"].median == 30.5 and from_rows["number"].average == (30 + 41 + 30.5 + 25 + 60) / 5
    luong, dieu_kien = from_rows["matrix"].rows
    assert luong[2] == 13 / 3 and [b.count for b in dieu_kien[1]] == [0, 1, 0, 1, 0]
    assert [(b.label, b.count) for b in from_rows["day"].bars] == [("11/2026", 2), ("12/2026", 1)]
    assert [b.count for b in from_rows["consent"].bars] == [2]
