"""Consent: one box to tick ("Tôi đồng ý"); its only value is "yes"."""

from collections import Counter
from typing import Any

from ..errors import N_
from ..models import Question, QuestionKind
from .base import Bar, QuestionType, Raw, field_name, first
from .registry import register

YES = "yes"


@register(QuestionKind.CONSENT, N_("Xác nhận, đồng ý"))
class Consent(QuestionType):
    xlsform_type = "acknowledge"

    def condition_values(self, definition: dict[str, Any]) -> set[str]:
        return {YES}

    def parse(self, question: Question, raw: Raw) -> tuple[Any, str | None]:
        return (YES if first(raw, field_name(question)) == YES else None), None

    def summarise(self, question: Question, counts: Counter, result: Any) -> None:
        result.bars = [Bar(YES, "Đồng ý", counts.get(YES, 0))]

    def cell(self, question: Question, value: Any, text: str | None, part: str | None) -> Any:
        return "Đồng ý" if value == YES else ""
