"""Choice questions: one of a list (radio buttons or a drop-down), or several of it."""

import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any, ClassVar

from ..errors import N_, DomainError
from ..models import Question, QuestionKind
from ..text import nfc
from .base import OTHER, OTHER_LABEL, Bar, QuestionType, Raw, field_name, first
from .registry import register


def slug(label: str, taken: set[str]) -> str:
    """A value for a choice typed only as a label: "Rất hài lòng" → "rat_hai_long"."""
    ascii_text = unicodedata.normalize("NFD", label.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in ascii_text if not unicodedata.combining(c)).lower()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")[:40] or "lua_chon"
    value, number = base, 2
    while value in taken:
        value, number = f"{base}_{number}", number + 1
    taken.add(value)
    return value


def labelled_items(items: Any, key_name: str, question_key: str) -> list[dict[str, str]]:
    """Choices (``value``) or matrix rows (``key``), each with a label; missing codes are made from labels."""
    if not isinstance(items, list) or not items:
        raise DomainError(N_("Câu hỏi %(key)s cần ít nhất một lựa chọn."), key=question_key)
    cleaned, taken = [], set()
    for item in items:
        if isinstance(item, str):
            item = {"label": item}
        if not isinstance(item, dict) or not nfc(str(item.get("label", ""))):
            raise DomainError(N_("Câu hỏi %(key)s có lựa chọn không có nội dung."), key=question_key)
        label = nfc(str(item["label"]))
        value = nfc(str(item.get(key_name) or "")) or slug(label, taken)
        if item.get(key_name) and value in taken:
            raise DomainError(N_("Câu hỏi %(key)s có hai lựa chọn trùng mã %(value)s."), key=question_key, value=value)
        taken.add(value)
        cleaned.append({key_name: value, "label": label})
    return cleaned


class Choice(QuestionType):
    """What the three choice kinds share: a list of choices and, but for drop-downs, "other"."""

    may_have_other: ClassVar[bool] = True

    def clean_options(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        options: dict[str, Any] = {"choices": labelled_items(data.get("choices"), "value", key)}
        if self.may_have_other and data.get("allow_other"):
            options["allow_other"] = True
        return options

    def field_names(self, question: Question) -> list[str]:
        names = [field_name(question)]
        return [*names, field_name(question, "other")] if question.options.get("allow_other") else names

    def chosen(self, question: Question, raw: Raw) -> tuple[list[str], str | None]:
        """The values chosen, each checked against the list, and the "other" text when "other" is chosen."""
        allowed = {c["value"] for c in question.choices} | ({OTHER} if question.options.get("allow_other") else set())
        chosen = [v for v in raw.get(field_name(question), []) if v]
        if any(v not in allowed for v in chosen):
            raise DomainError(N_("Lựa chọn không hợp lệ."))
        other = nfc(first(raw, field_name(question, "other"))) if OTHER in chosen else None
        if OTHER in chosen and not other:
            raise DomainError(N_("Vui lòng ghi rõ ý kiến khác."))
        return chosen, other

    def parse(self, question: Question, raw: Raw) -> tuple[Any, str | None]:
        chosen, other = self.chosen(question, raw)
        if len(chosen) > 1:
            raise DomainError(N_("Chỉ chọn một phương án."))
        return (chosen[0] if chosen else None), other

    def count_keys(self, question: Question, value: Any) -> Iterable[Hashable]:
        return value if isinstance(value, list) else [value]

    def summarise(self, question: Question, counts: Counter, result: Any) -> None:
        result.bars = [Bar(c["value"], c["label"], counts.get(c["value"], 0)) for c in question.choices]
        if question.options.get("allow_other"):
            result.bars.append(Bar(OTHER, OTHER_LABEL, counts.get(OTHER, 0)))

    def columns(self, question: Question) -> list[tuple[str, str | None]]:
        columns = super().columns(question)
        if question.options.get("allow_other"):
            columns.append((f"{question.key} (ý kiến khác)", OTHER))
        return columns

    def cell(self, question: Question, value: Any, text: str | None, part: str | None) -> Any:
        labels = {c["value"]: c["label"] for c in question.choices} | {OTHER: OTHER_LABEL}
        chosen = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(v, str(v)) for v in chosen if v is not None)


@register(QuestionKind.SINGLE, N_("Chọn một"))
class Single(Choice):
    """One of a list, as radio buttons."""

    xlsform_type = "select_one"


@register(QuestionKind.DROPDOWN, N_("Danh sách thả xuống"))
class Dropdown(Choice):
    """One of a (long) list, in a drop-down: no "other"."""

    xlsform_type = "select_one"
    xlsform_appearance = "minimal"

    may_have_other = False


@register(QuestionKind.MULTIPLE, N_("Chọn nhiều"))
class Multiple(Choice):
    """Several of a list, as check boxes; the answer is the list of values chosen."""

    xlsform_type = "select_multiple"

    rules = ("min_choices", "max_choices")
    counting = "items"

    def parse(self, question: Question, raw: Raw) -> tuple[Any, str | None]:
        chosen, other = self.chosen(question, raw)
        rules = question.options.get("validation", {})
        chosen = list(dict.fromkeys(chosen))
        if chosen and len(chosen) < rules.get("min_choices", 0):
            raise DomainError(N_("Chọn ít nhất %(n)s phương án."), n=rules["min_choices"])
        allowed = len(question.choices) + (1 if question.options.get("allow_other") else 0)
        if len(chosen) > rules.get("max_choices", allowed):
            raise DomainError(N_("Chọn nhiều nhất %(n)s phương án."), n=rules["max_choices"])
        return (chosen or None), other
