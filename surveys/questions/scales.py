"""Scale questions: a rating 1–5, agreement (Likert), NPS 0–10, and a matrix of rows on one scale."""

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from ..errors import N_, DomainError
from ..models import Question, QuestionKind
from ..text import nfc
from .base import Bar, QuestionType, Raw, field_name, first, weighted_mean
from .choices import labelled_items
from .registry import register


def scale_bars(scale: dict[str, Any], counts: Counter) -> list[Bar]:
    """One bar per point of the scale, the two ends labelled."""
    labels = {
        scale["min"]: f"{scale['min']} – {scale['min_label']}",
        scale["max"]: f"{scale['max']} – {scale['max_label']}",
    }
    return [Bar(v, labels.get(v, str(v)), counts.get(v, 0)) for v in range(scale["min"], scale["max"] + 1)]


def scale(low: int, high: int, low_label: str, high_label: str) -> Mapping[str, Any]:
    """A scale definition (read-only: kinds share their defaults)."""
    return MappingProxyType({"min": low, "max": high, "min_label": low_label, "max_label": high_label})


class Scale(QuestionType):
    """What the scale kinds share: a scale with labelled ends, each answer one point on it."""

    default_scale: ClassVar[Mapping[str, Any]]
    fixed_scale: ClassVar[bool] = False  # NPS is always 0–10 with its own words

    def clean_scale(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        scale = dict(self.default_scale)
        if not self.fixed_scale:
            scale.update({k: v for k, v in (data.get("scale") or {}).items() if k in scale and v not in (None, "")})
        try:
            scale["min"], scale["max"] = int(scale["min"]), int(scale["max"])
        except (TypeError, ValueError):
            scale["min"] = scale["max"] = -1  # refused just below, with the rule
        if not 0 <= scale["min"] < scale["max"] <= 10:
            raise DomainError(N_("Câu hỏi %(key)s: thang điểm phải nằm trong 0–10."), key=key)
        return {**scale, "min_label": nfc(scale["min_label"]), "max_label": nfc(scale["max_label"])}

    def clean_options(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        return {"scale": self.clean_scale(data, key)}

    def point(self, question: Question, text: str) -> int:
        """One point of the question's scale, from what was typed."""
        scale = question.options["scale"]
        try:
            value = int(text)
        except ValueError:
            raise DomainError(N_("Lựa chọn không hợp lệ.")) from None
        if not scale["min"] <= value <= scale["max"]:
            raise DomainError(N_("Lựa chọn không hợp lệ."))
        return value

    def parse(self, question: Question, raw: Raw) -> tuple[Any, str | None]:
        text = first(raw, field_name(question))
        return (self.point(question, text) if text else None), None

    def count_keys(self, question: Question, value: Any) -> Iterable[Hashable]:
        return [value] if isinstance(value, int) else []

    def summarise(self, question: Question, counts: Counter, result: Any) -> None:
        result.bars = scale_bars(question.options["scale"], counts)
        result.average = weighted_mean(counts)


@register(QuestionKind.RATING, N_("Chấm điểm 1–5"), template="scale")
class Rating(Scale):
    default_scale = scale(1, 5, "Rất không hài lòng", "Rất hài lòng")

    xlsform_type = "range"
    xlsform_appearance = "rating"


@register(QuestionKind.LIKERT, N_("Mức độ đồng ý (Likert)"), template="scale")
class Likert(Scale):
    default_scale = scale(1, 5, "Hoàn toàn không đồng ý", "Hoàn toàn đồng ý")

    xlsform_type = "select_one"
    xlsform_appearance = "likert"


@register(QuestionKind.NPS, N_("Mức sẵn lòng giới thiệu 0–10 (NPS)"), template="scale")
class Nps(Scale):
    """Net Promoter Score: the share answering 9–10 less the share answering 0–6."""

    xlsform_type = "range"

    default_scale = scale(0, 10, "Chắc chắn không", "Chắc chắn có")
    fixed_scale = True

    def summarise(self, question: Question, counts: Counter, result: Any) -> None:
        super().summarise(question, counts, result)
        total = sum(counts.values())
        if total:
            promoters = sum(n for value, n in counts.items() if value >= 9)
            detractors = sum(n for value, n in counts.items() if value <= 6)
            result.nps = round(100 * (promoters - detractors) / total)


@register(QuestionKind.MATRIX, N_("Bảng đánh giá nhiều dòng"))
class Matrix(Scale):
    """Several rows, each answered on the same scale; the answer is {row key: point}."""

    xlsform_type = "begin_group"
    xlsform_appearance = "table-list"

    default_scale = scale(1, 5, "Rất kém", "Rất tốt")
    counting = "cells"

    def clean_options(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        return {"scale": self.clean_scale(data, key), "rows": labelled_items(data.get("rows"), "key", key)}

    def field_names(self, question: Question) -> list[str]:
        return [field_name(question)] + [field_name(question, row["key"]) for row in question.rows]

    def raw_from_json(self, question: Question, value: Any) -> Raw:
        if isinstance(value, dict):
            return {field_name(question, str(row)): [str(cell)] for row, cell in value.items()}
        return super().raw_from_json(question, value)

    def parse(self, question: Question, raw: Raw) -> tuple[Any, str | None]:
        cells = {row["key"]: first(raw, field_name(question, row["key"])) for row in question.rows}
        if not any(cells.values()):
            return None, None
        if question.required and not all(cells.values()):
            raise DomainError(N_("Vui lòng đánh giá từng dòng."))
        return {row: self.point(question, cell) for row, cell in cells.items() if cell}, None

    def count_keys(self, question: Question, value: Any) -> Iterable[Hashable]:
        return [(row, cell) for row, cell in value.items() if cell is not None] if isinstance(value, dict) else []

    def summarise(self, question: Question, counts: Counter, result: Any) -> None:
        scale = question.options["scale"]
        for row in question.rows:
            cells = Counter({cell: n for (key, cell), n in counts.items() if key == row["key"]})
            result.rows.append((row["label"], scale_bars(scale, cells), weighted_mean(cells)))

    def columns(self, question: Question) -> list[tuple[str, str | None]]:
        return [(f"{question.key}: {row['label']}", row["key"]) for row in question.rows]

    def cell(self, question: Question, value: Any, text: str | None, part: str | None) -> Any:
        return value.get(part, "") if isinstance(value, dict) else ""
