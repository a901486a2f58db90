"""What a question kind is: every rule that depends on the kind, in one class.

A kind knows how an author defines it (its options and validation rules), how a respondent's
typed values become an answer and what is wrong with them, what skip logic may compare, how
its answers are counted and summarised for a results page, what its export columns hold, and
which template draws it. Everything else (definitions, answering, results, exports, the
answering pages) asks the registry in ``surveys.questions``.
"""

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from nlp.redact import redact

from ..errors import N_, DomainError
from ..models import Question, QuestionKind
from ..text import nfc

OTHER = "__other__"  # the value of "other, please say"
OTHER_LABEL = "Ý kiến khác"
Raw = dict[str, list[str]]  # field name → the values a form posted, exactly as typed


def field_name(question: Question, part: str | None = None) -> str:
    return f"q_{question.key}" + (f"__{part}" if part else "")


def first(raw: Raw, name: str) -> str:
    """The first non-empty value posted under ``name``."""
    values = [v for v in raw.get(name, []) if v != ""]
    return values[0] if values else ""


@dataclass
class Bar:
    value: Any
    label: str
    count: int

    def percent(self, total: int) -> float:
        return 100.0 * self.count / total if total else 0.0


def weighted_mean(counts: Counter) -> float | None:
    """The mean of counted numbers (``counts``: number → how many gave it)."""
    total = sum(counts.values())
    return sum(value * n for value, n in counts.items()) / total if total else None


class QuestionType:
    """One kind of question. A kind's class is declared with ``@register(kind, label)``, which sets
    the first three attributes; it sets the others that differ and overrides what it does differently."""

    kind: ClassVar[QuestionKind]
    label: ClassVar[str]  # for authors, marked with N_
    template: ClassVar[str]  # webapp/answering/templates/answering/questions/<template>.html
    asks: ClassVar[bool] = True  # False: the question only shows text
    free_text: ClassVar[bool] = False  # the answer is text (``Answer.text``), listed rather than counted
    tagged: ClassVar[bool] = False  # the NLP reads the answers for topics and sentiment
    rules: ClassVar[tuple[str, ...]] = ()  # the validation rules an author may set
    # How the answers are counted, so SQL could do the same with GROUP BY: "value" (each stored
    # value once), "items" (each element of a stored list) or "cells" (each (row, value) of a
    # stored object); None: not counted (free text, text blocks).
    counting: ClassVar[str | None] = "value"
    # XLSForm (ODK, KoboToolbox; surveys/xlsform.py): the type this kind is written as, and the
    # appearance word that tells it from another kind written as the same type.
    xlsform_type: ClassVar[str] = ""
    xlsform_appearance: ClassVar[str] = ""

    # ---- the definition ---------------------------------------------------------------------------

    def clean_options(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        """The kind's own options (choices, scale, rows…) from an author's definition."""
        return {}

    def clean_rule(self, name: str, value: Any, key: str) -> Any:
        """One validation rule's value, checked."""
        try:
            return int(value)
        except (TypeError, ValueError):
            raise DomainError(N_("Câu hỏi %(key)s: giới hạn “%(name)s” phải là số."), key=key, name=name) from None

    def clean_rules(self, rules: dict[str, Any], key: str) -> dict[str, Any]:
        return {
            name: self.clean_rule(name, rules[name], key) for name in self.rules if rules.get(name) not in (None, "")
        }

    def condition_values(self, definition: dict[str, Any]) -> set[str]:
        """The values a later question's skip logic may test this one against; empty: any."""
        return {c["value"] for c in definition.get("choices", [])}

    # ---- answering --------------------------------------------------------------------------------

    def field_names(self, question: Question) -> list[str]:
        return [field_name(question)]

    def raw_from_json(self, question: Question, value: Any) -> Raw:
        """The API's JSON value as the raw values a form would post."""
        if isinstance(value, list):
            return {field_name(question): [str(v) for v in value]}
        if isinstance(value, bool):
            return {field_name(question): ["yes"] if value else []}
        return {} if value is None else {field_name(question): [str(value)]}

    def parse(self, question: Question, raw: Raw) -> tuple[Any, str | None]:
        """The typed answer (None: not answered) and any "other, please say" text; DomainError when wrong."""
        return None, None

    def operands(self, value: Any) -> list[str]:
        """What skip logic compares a condition's values with."""
        return [str(v) for v in (value if isinstance(value, list) else [value]) if v is not None]

    # ---- results ----------------------------------------------------------------------------------

    def count_keys(self, question: Question, value: Any) -> Iterable[Hashable]:
        """The keys one stored answer adds one to (see ``counting``)."""
        return [value]

    def summarise(self, question: Question, counts: Counter, result: Any) -> None:
        """Fill ``result`` (bars, average…) from the counted answers: key → how many."""

    # ---- exports ----------------------------------------------------------------------------------

    def columns(self, question: Question) -> list[tuple[str, str | None]]:
        """(header, part) of each column this question fills in an export."""
        return [(f"{question.key}. {question.text}", None)]

    def cell(self, question: Question, value: Any, text: str | None, part: str | None) -> Any:
        return "" if value is None else value


class FreeText(QuestionType):
    """Short and long text answers: stored as text, listed (redacted) rather than counted."""

    free_text = True
    counting = None
    default_max_length: ClassVar[int]

    def normalise(self, text: str) -> str:
        return nfc(text)

    def parse(self, question: Question, raw: Raw) -> tuple[Any, str | None]:
        rules = question.options.get("validation", {})
        value = self.normalise(first(raw, field_name(question)))
        if not value:
            return None, None
        max_length = rules.get("max_length", self.default_max_length)
        if len(value) < rules.get("min_length", 0):
            raise DomainError(N_("Cần ít nhất %(n)s ký tự."), n=rules["min_length"])
        if len(value) > max_length:
            raise DomainError(N_("Tối đa %(n)s ký tự (bạn đã nhập %(given)s)."), n=max_length, given=len(value))
        self.check_pattern(rules, value)
        return value, None

    def check_pattern(self, rules: dict[str, Any], value: str) -> None:
        """Short answers may carry an author's pattern; long ones do not."""

    def cell(self, question: Question, value: Any, text: str | None, part: str | None) -> Any:
        return redact(text or "")
