"""A block of text between questions: it asks nothing, is never answered, counted or exported."""

from typing import Any

from ..errors import N_
from ..models import Question, QuestionKind
from .base import QuestionType
from .registry import register


@register(QuestionKind.TEXT_BLOCK, N_("Đoạn văn giới thiệu (không hỏi)"))
class TextBlock(QuestionType):
    asks = False
    counting = None
    xlsform_type = "note"

    def columns(self, question: Question) -> list[tuple[str, str | None]]:
        return []

    def condition_values(self, definition: dict[str, Any]) -> set[str]:
        return set()
