"""Survey definitions as JSON: the one format for import, export, the API and the
shipped templates. The format is documented in docs/survey-format.md.

Every question that enters the database passes through ``clean_question``, whether it
comes from the authoring screens, an imported file or the API.
"""
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from sqlalchemy.orm import object_session

from .errors import N_, DomainError, Malformed
from .models import Anonymity, Audience, Question, QuestionKind, Recurrence, Survey, SurveyVersion
from .patterns import compile_author_pattern
from .text import nfc, nfc_multiline

FORMAT = "langnghe.survey/1"
LIBRARY = Path(__file__).parent / "library"
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.DROPDOWN})
SCALE_KINDS = frozenset({QuestionKind.RATING, QuestionKind.LIKERT, QuestionKind.NPS, QuestionKind.MATRIX})
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})
# Kinds whose answers a results page counts per value.
COUNTED_KINDS = CHOICE_KINDS | SCALE_KINDS | {QuestionKind.CONSENT}

DEFAULT_SCALES = {
    QuestionKind.RATING: {"min": 1, "max": 5, "min_label": "Rất không hài lòng", "max_label": "Rất hài lòng"},
    QuestionKind.LIKERT: {"min": 1, "max": 5, "min_label": "Hoàn toàn không đồng ý", "max_label": "Hoàn toàn đồng ý"},
    QuestionKind.NPS: {"min": 0, "max": 10, "min_label": "Chắc chắn không", "max_label": "Chắc chắn có"},
    QuestionKind.MATRIX: {"min": 1, "max": 5, "min_label": "Rất kém", "max_label": "Rất tốt"},
}


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


def _labelled_items(items: Any, key_name: str, question_key: str) -> list[dict[str, str]]:
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


def clean_question(data: dict[str, Any], earlier: list[dict[str, Any]]) -> dict[str, Any]:
    """Check one question's definition against the rules; ``earlier`` are the questions before it."""
    key = str(data.get("key", "")).strip()
    if not KEY_PATTERN.match(key):
        raise DomainError(N_("Mã câu hỏi “%(key)s” chỉ gồm chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ."), key=key)
    if any(q["key"] == key for q in earlier):
        raise DomainError(N_("Mã câu hỏi %(key)s bị trùng."), key=key)
    try:
        kind = QuestionKind(data.get("kind"))
    except ValueError:
        raise DomainError(N_("Câu hỏi %(key)s có loại không hợp lệ."), key=key) from None
    text = nfc_multiline(data.get("text"))
    if not text:
        raise DomainError(N_("Câu hỏi %(key)s chưa có nội dung."), key=key)
    page = int(data.get("page") or 1)
    if page < 1 or (earlier and page < earlier[-1]["page"]):
        raise DomainError(N_("Câu hỏi %(key)s: số trang phải tăng dần từ 1."), key=key)
    cleaned: dict[str, Any] = {
        "key": key, "kind": kind.value, "text": text, "help_text": nfc_multiline(data.get("help_text")),
        "required": bool(data.get("required")) and kind != QuestionKind.TEXT_BLOCK, "page": page,
    }
    if kind in CHOICE_KINDS:
        cleaned["choices"] = _labelled_items(data.get("choices"), "value", key)
        if kind != QuestionKind.DROPDOWN and data.get("allow_other"):
            cleaned["allow_other"] = True
    if kind in SCALE_KINDS:
        scale = dict(DEFAULT_SCALES[kind])
        if kind != QuestionKind.NPS:
            scale.update({k: v for k, v in (data.get("scale") or {}).items() if k in scale and v not in (None, "")})
        scale["min"], scale["max"] = int(scale["min"]), int(scale["max"])
        if not 0 <= scale["min"] < scale["max"] <= 10:
            raise DomainError(N_("Câu hỏi %(key)s: thang điểm phải nằm trong 0–10."), key=key)
        cleaned["scale"] = {**scale, "min_label": nfc(scale["min_label"]), "max_label": nfc(scale["max_label"])}
    if kind == QuestionKind.MATRIX:
        cleaned["rows"] = _labelled_items(data.get("rows"), "key", key)
    validation = _clean_validation(kind, data.get("validation") or {}, key)
    if validation:
        cleaned["validation"] = validation
    if data.get("show_if"):
        cleaned["show_if"] = _clean_condition(data["show_if"], earlier, key)
    return cleaned


def _clean_validation(kind: QuestionKind, rules: dict[str, Any], key: str) -> dict[str, Any]:
    allowed = {
        QuestionKind.NUMBER: ("min", "max"),
        QuestionKind.SHORT_TEXT: ("min_length", "max_length", "pattern", "pattern_message"),
        QuestionKind.LONG_TEXT: ("min_length", "max_length"),
        QuestionKind.MULTIPLE: ("min_choices", "max_choices"),
        QuestionKind.DATE: ("min", "max"),
    }.get(kind, ())
    cleaned: dict[str, Any] = {}
    for name in allowed:
        value = rules.get(name)
        if value in (None, ""):
            continue
        if name in ("pattern", "pattern_message", "min", "max") and kind in (QuestionKind.SHORT_TEXT, QuestionKind.DATE):
            cleaned[name] = nfc(str(value))
        else:
            try:
                cleaned[name] = float(value) if kind == QuestionKind.NUMBER else int(value)
            except (TypeError, ValueError):
                raise DomainError(N_("Câu hỏi %(key)s: giới hạn “%(name)s” phải là số."), key=key, name=name) from None
    if "pattern" in cleaned:
        compile_author_pattern(cleaned["pattern"], key=key)
    return cleaned


def _clean_condition(condition: Any, earlier: list[dict[str, Any]], key: str) -> dict[str, Any]:
    if not isinstance(condition, dict):
        raise DomainError(N_("Câu hỏi %(key)s: điều kiện hiển thị không hợp lệ."), key=key)
    source = next((q for q in earlier if q["key"] == condition.get("question")), None)
    if source is None:
        raise DomainError(N_("Câu hỏi %(key)s chỉ có thể phụ thuộc vào một câu hỏi đứng trước nó."), key=key)
    values = condition.get("any_of")
    if values is None:
        values = [condition.get("equals")]
    values = [nfc(str(v)) for v in values if v not in (None, "")]
    if not values:
        raise DomainError(N_("Câu hỏi %(key)s: điều kiện hiển thị cần một giá trị."), key=key)
    known = {c["value"] for c in source.get("choices", [])}
    if source["kind"] == QuestionKind.CONSENT:
        known = {"yes"}
    if known and not set(values) <= known:
        raise DomainError(N_("Câu hỏi %(key)s: điều kiện dùng giá trị không có trong câu %(source)s."),
                          key=key, source=source["key"])
    return {"question": source["key"], "any_of": values}


def clean_questions(items: Any) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        raise DomainError(N_("Danh sách câu hỏi không hợp lệ."))
    cleaned: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, dict):
            raise DomainError(N_("Danh sách câu hỏi không hợp lệ."))
        cleaned.append(clean_question(item, cleaned))
    return cleaned


def read_file(content: bytes) -> Any:
    """The JSON in an uploaded definition file (UTF-8, with or without a byte-order mark)."""
    try:
        return json.loads(content.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        raise Malformed(N_("Tệp không phải JSON hợp lệ.")) from None


def clean_definition(data: Any) -> dict[str, Any]:
    """Validate a whole definition (an imported file, an API body, a template)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DomainError(N_("Tệp không đúng định dạng khảo sát (cần \"format\": \"%(format)s\")."), format=FORMAT)
    title = nfc(data.get("title"))
    if not title:
        raise DomainError(N_("Khảo sát cần có tiêu đề."))
    try:
        audience = Audience(data.get("audience", Audience.STAFF))
        anonymity = Anonymity(data.get("anonymity", Anonymity.ANONYMOUS))
        recurrence = Recurrence(data.get("recurrence", Recurrence.NONE))
    except ValueError:
        raise DomainError(N_("Đối tượng, chế độ ẩn danh hoặc chu kỳ không hợp lệ.")) from None
    return {
        "format": FORMAT, "title": title, "introduction": nfc_multiline(data.get("introduction")),
        "audience": audience.value, "anonymity": anonymity.value, "recurrence": recurrence.value,
        "questions": clean_questions(data.get("questions", [])),
    }


def question_to_dict(question: Question) -> dict[str, Any]:
    data = {"key": question.key, "kind": question.kind.value, "text": question.text, "page": question.page,
            "required": question.required}
    if question.help_text:
        data["help_text"] = question.help_text
    data.update(question.options)
    return data


def export_definition(survey: Survey, version: SurveyVersion | None = None) -> dict[str, Any]:
    version = version or survey.current_version
    return {
        "format": FORMAT, "title": survey.title, "introduction": survey.introduction,
        "audience": survey.audience.value, "anonymity": survey.anonymity.value,
        "recurrence": survey.recurrence.value, "version": version.number,
        "questions": [question_to_dict(q) for q in version.questions],
    }


def build_questions(version: SurveyVersion, cleaned: list[dict[str, Any]]) -> None:
    """Replace ``version``'s questions with already-cleaned definitions."""
    version.questions.clear()
    session = object_session(version)
    if session is not None:
        session.flush()  # delete the old rows first: keys are unique per version
    for position, data in enumerate(cleaned, start=1):
        options = {k: v for k, v in data.items() if k not in ("key", "kind", "text", "help_text", "required", "page")}
        version.questions.append(Question(
            key=data["key"], position=position, page=data["page"], kind=QuestionKind(data["kind"]),
            text=data["text"], help_text=data["help_text"], required=data["required"], options=options,
        ))


def library() -> dict[str, dict[str, Any]]:
    """The ready-made templates shipped with the platform, by file stem."""
    return {path.stem: clean_definition(json.loads(path.read_text(encoding="utf-8")))
            for path in sorted(LIBRARY.glob("*.json"))}
