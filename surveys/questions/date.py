"""A date, typed dd/mm/yyyy (or picked), with an optional range; stored as ISO yyyy-mm-dd."""

from collections import Counter
from datetime import date
from typing import Any

from ..errors import N_, DomainError
from ..models import Question, QuestionKind
from ..text import nfc
from ..timeutil import parse_date
from .base import Bar, QuestionType, Raw, field_name, first
from .registry import register


def _parse_date(text: str) -> date:
    try:
        return parse_date(text)
    except ValueError:
        raise DomainError(N_("Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm.")) from None


@register(QuestionKind.DATE, N_("Ngày"))
class Date(QuestionType):
    rules = ("min", "max")

    xlsform_type = "date"

    def clean_rule(self, name: str, value: Any, key: str) -> Any:
        return nfc(str(value))

    def parse(self, question: Question, raw: Raw) -> tuple[Any, str | None]:
        text = first(raw, field_name(question))
        if not text:
            return None, None
        rules = question.options.get("validation", {})
        day = _parse_date(text).isoformat()
        if (rules.get("min") and day < rules["min"]) or (rules.get("max") and day > rules["max"]):
            raise DomainError(N_("Ngày nằm ngoài khoảng cho phép."))
        return day, None

    def count_keys(self, question: Question, value: Any) -> list[Any]:
        return [value] if value else []

    def summarise(self, question: Question, counts: Counter, result: Any) -> None:
        by_month = Counter()
        for day, n in counts.items():
            by_month[str(day)[:7]] += n
        result.bars = [Bar(m, f"{m[5:7]}/{m[:4]}", n) for m, n in sorted(by_month.items())]

    def cell(self, question: Question, value: Any, text: str | None, part: str | None) -> Any:
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}" if value else ("" if value is None else value)
