"""Free text: a short answer (with an optional pattern) and the long answers the NLP reads."""

from typing import Any

from .. import patterns
from ..errors import N_, DomainError
from ..models import QuestionKind
from ..text import nfc, nfc_multiline
from .base import FreeText
from .registry import register


@register(QuestionKind.SHORT_TEXT, N_("Trả lời ngắn"))
class ShortText(FreeText):
    """A line of text, which an author may hold to a pattern."""

    xlsform_type = "text"

    rules = ("min_length", "max_length", "pattern", "pattern_message")
    default_max_length = 500

    def clean_rule(self, name: str, value: Any, key: str) -> Any:
        if name in ("pattern", "pattern_message"):
            return nfc(str(value))
        return super().clean_rule(name, value, key)

    def clean_rules(self, rules: dict[str, Any], key: str) -> dict[str, Any]:
        cleaned = super().clean_rules(rules, key)
        if "pattern" in cleaned:
            patterns.compile_author_pattern(cleaned["pattern"], key=key)  # RE2: refused now, never slow later
        return cleaned

    def check_pattern(self, rules: dict[str, Any], value: str) -> None:
        if rules.get("pattern") and not patterns.matches(rules["pattern"], value):
            raise DomainError(rules.get("pattern_message") or N_("Nội dung không đúng định dạng yêu cầu."))


@register(QuestionKind.LONG_TEXT, N_("Ý kiến, kiến nghị (văn bản dài)"))
class LongText(FreeText):
    """Opinions and recommendations in the respondent's own words: what the NLP tags."""

    xlsform_type = "text"
    xlsform_appearance = "multiline"

    rules = ("min_length", "max_length")
    tagged = True
    default_max_length = 5000

    def normalise(self, text: str) -> str:
        return nfc_multiline(text)
