"""Survey authors' validation patterns, run in RE2 (google-re2).

Python's ``re`` backtracks: a pattern such as ``(a+)+$`` takes exponential time on a few
dozen characters and would hold a web worker for as long as it likes. RE2 matches in time
linear in the input and refuses what it cannot do that way (back-references, look-around),
so an author's pattern is compiled here or refused at authoring time, and never reaches
Python's engine.
"""

import logging
from functools import lru_cache

import re2

from .errors import N_, DomainError

MAX_PATTERN_LENGTH = 500
_log = logging.getLogger(__name__)


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # a refused pattern is the author's mistake, not the server's
    options.max_mem = 1 << 20  # a bounded automaton: 1 MiB per pattern
    return options


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re2._Regexp | None:
    if len(pattern) > MAX_PATTERN_LENGTH:
        return None
    try:
        return re2.compile(pattern, _options())
    except re2.error:
        return None


def compile_author_pattern(pattern: str, *, key: str = "") -> re2._Regexp:
    """The compiled pattern, or a DomainError in Vietnamese naming question ``key``."""
    compiled = _compiled(pattern)
    if compiled is None:
        raise DomainError(
            N_(
                "Câu hỏi %(key)s: mẫu kiểm tra không hợp lệ, dài quá %(n)s ký tự hoặc dùng cú pháp "
                "không được hỗ trợ (tham chiếu ngược như \\1, nhìn trước/nhìn sau như (?=…), (?<=…))."
            ),
            key=key,
            n=MAX_PATTERN_LENGTH,
        )
    return compiled


def matches(pattern: str, value: str) -> bool:
    """Whether the whole of ``value`` matches an author's ``pattern``.

    A stored pattern RE2 refuses (saved before patterns were checked this way) is not
    enforced, rather than run unbounded or turning every answer away."""
    compiled = _compiled(pattern)
    if compiled is None:
        _log.warning("validation pattern not enforced (RE2 refuses it): %r", pattern)
        return True
    return compiled.fullmatch(value) is not None
