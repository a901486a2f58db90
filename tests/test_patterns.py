"""Authors' validation patterns run in RE2: a catastrophic pattern is linear, and what RE2
cannot run is refused when the survey is written (issue 13, finding 7)."""

import signal
import time
from contextlib import contextmanager

import pytest
from factories import make_survey

from surveys import answering, definitions, patterns
from surveys.errors import DomainError


@contextmanager
def deadline(seconds: float):
    """Fail instead of hanging: Python's backtracking engine checks for signals as it runs."""

    def expired(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


HOSTILE = [{"key": "code", "kind": "short_text", "text": "Mã", "validation": {"pattern": "(a+)+$"}}]


def test_a_catastrophic_pattern_answers_a_hostile_input_at_once(world, session):
    survey = make_survey(session, owner=world.A, units=[world.A], questions=HOSTILE)
    version = survey.current_version
    started = time.perf_counter()
    with deadline(2):
        errors = answering.parse(version, answering.raw_from_json(version, {"code": "a" * 30 + "!"})).errors
    assert time.perf_counter() - started < 0.5
    assert errors["code"].message == "Nội dung không đúng định dạng yêu cầu."
    assert answering.parse(version, answering.raw_from_json(version, {"code": "a" * 30})).errors == {}


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?=a)a", r"(?<!b)a", "a" * (patterns.MAX_PATTERN_LENGTH + 1)])
def test_patterns_re2_cannot_run_are_refused_when_the_survey_is_written(pattern):
    with pytest.raises(DomainError) as refused:
        definitions.clean_questions(
            [{"key": "ma", "kind": "short_text", "text": "Mã", "validation": {"pattern": pattern}}]
        )
    assert refused.value.params["key"] == "ma"
    assert "cú pháp không được hỗ trợ" in refused.value.message


def test_ordinary_patterns_still_check_answers():
    assert patterns.matches(r"0\d{9}", "0912345678")
    assert not patterns.matches(r"0\d{9}", "09123456789")  # the whole answer must match
    assert patterns.matches(r"[\p{L} ]+", "Nguyễn Thị Ánh")


def test_a_stored_pattern_re2_refuses_is_not_run_by_python(caplog):
    with deadline(2):
        assert patterns.matches(r"(a+)+(?=b)", "a" * 30 + "!")
    assert "not enforced" in caplog.text
