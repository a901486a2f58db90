"""A number, with an optional range."""

from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any

from ..errors import N_, DomainError
from ..models import Question, QuestionKind
from .base import QuestionType, Raw, field_name, first, weighted_mean
from .registry import register


def _shown(value: float | None, missing: str) -> str:
    """A limit as a person writes it: 18, 2,5 (Vietnamese decimal comma)."""
    if value is None:
        return missing
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def _median(counts: Counter) -> float | None:
    """The median of counted numbers, without listing them one by one."""
    total = sum(counts.values())
    if not total:
        return None
    middle, ordered, seen = [(total - 1) // 2, total // 2], sorted(counts.items()), 0
    found = []
    for value, n in ordered:
        while len(found) < 2 and middle[len(found)] < seen + n:
            found.append(value)
        seen += n
    return found[0] if found[0] == found[1] else (found[0] + found[1]) / 2


@register(QuestionKind.NUMBER, N_("Số"))
class Number(QuestionType):
    """A number, integer or decimal (typed with a comma or a point)."""

    xlsform_type = "integer"

    rules = ("min", "max", "integer")  # integer: a count (of people, years…) takes no decimals

    def clean_rule(self, name: str, value: Any, key: str) -> Any:
        if name == "integer":
            return bool(value)
        try:
            return float(value)
        except (TypeError, ValueError):
            raise DomainError(N_("Câu hỏi %(key)s: giới hạn “%(name)s” phải là số."), key=key, name=name) from None

    def parse(self, question: Question, raw: Raw) -> tuple[Any, str | None]:
        text = first(raw, field_name(question))
        if not text:
            return None, None
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise DomainError(N_("Vui lòng nhập một số.")) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise DomainError(N_("Vui lòng nhập một số."))
        rules = question.options.get("validation", {})
        if rules.get("integer") and not number.is_integer():
            raise DomainError(N_("Vui lòng nhập số nguyên, không có phần thập phân (ví dụ 3, không phải 3,5)."))
        low, high = rules.get("min"), rules.get("max")
        if (low is not None and number < low) or (high is not None and number > high):
            raise DomainError(N_("Giá trị phải từ %(min)s đến %(max)s."), min=_shown(low, "…"), max=_shown(high, "…"))
        return (int(number) if number.is_integer() else number), None

    def count_keys(self, question: Question, value: Any) -> Iterable[Hashable]:
        return [value] if isinstance(value, int | float) else []

    def summarise(self, question: Question, counts: Counter, result: Any) -> None:
        result.average = weighted_mean(counts)
        result.median = _median(counts)
