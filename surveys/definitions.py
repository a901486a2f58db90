"""Survey definitions as JSON: the one format for import, export, the API and the
shipped templates. The format is documented in docs/survey-format.md.

Every question that enters the database passes through ``clean_question``, whether it
comes from the authoring screens, an imported file or the API.
"""

import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy.orm import object_session

from .errors import N_, DomainError, Malformed
from .models import Anonymity, Audience, Question, Recurrence, Survey, SurveyVersion
from .questions import QuestionType, kind_of
from .text import load_json, nfc, nfc_multiline

FORMAT = "langnghe.survey/1"
LIBRARY = Path(__file__).parent / "library"
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def _clean_key(data: dict[str, Any], earlier: list[dict[str, Any]]) -> str:
    key = str(data.get("key", "")).strip()
    if not KEY_PATTERN.match(key):
        raise DomainError(
            N_("Mã câu hỏi “%(key)s” chỉ gồm chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ."), key=key
        )
    if any(q["key"] == key for q in earlier):
        raise DomainError(N_("Mã câu hỏi %(key)s bị trùng."), key=key)
    return key


def _clean_kind(data: dict[str, Any], key: str) -> QuestionType:
    try:
        return kind_of(str(data.get("kind")))
    except ValueError:
        raise DomainError(N_("Câu hỏi %(key)s có loại không hợp lệ."), key=key) from None


def _clean_page(data: dict[str, Any], earlier: list[dict[str, Any]], key: str) -> int:
    try:
        page = int(data.get("page") or 1)
    except (TypeError, ValueError):
        page = 0
    if page < 1 or (earlier and page < earlier[-1]["page"]):
        raise DomainError(N_("Câu hỏi %(key)s: số trang phải tăng dần từ 1."), key=key)
    return page


def clean_question(data: dict[str, Any], earlier: list[dict[str, Any]]) -> dict[str, Any]:
    """Check one question's definition against the rules; ``earlier`` are the questions before it.

    What depends on the kind (its options and validation rules) is the kind's to check."""
    key = _clean_key(data, earlier)
    qtype = _clean_kind(data, key)
    text = nfc_multiline(data.get("text"))
    if not text:
        raise DomainError(N_("Câu hỏi %(key)s chưa có nội dung."), key=key)
    cleaned: dict[str, Any] = {
        "key": key,
        "kind": qtype.kind.value,
        "text": text,
        "help_text": nfc_multiline(data.get("help_text")),
        "required": bool(data.get("required")) and qtype.asks,
        "page": _clean_page(data, earlier, key),
        **qtype.clean_options(data, key),
    }
    rules = data.get("validation")
    validation = qtype.clean_rules(rules if isinstance(rules, dict) else {}, key)
    if validation:
        cleaned["validation"] = validation
    if data.get("show_if"):
        cleaned["show_if"] = _clean_condition(data["show_if"], earlier, key)
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
    known = kind_of(source["kind"]).condition_values(source)
    if known and not set(values) <= known:
        raise DomainError(
            N_("Câu hỏi %(key)s: điều kiện dùng giá trị không có trong câu %(source)s."), key=key, source=source["key"]
        )
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
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Malformed(N_("Tệp không phải JSON hợp lệ.")) from None
    return load_json(text, invalid=N_("Tệp không phải JSON hợp lệ."))


def clean_definition(data: Any) -> dict[str, Any]:
    """Validate a whole definition (an imported file, an API body, a template)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DomainError(N_('Tệp không đúng định dạng khảo sát (cần "format": "%(format)s").'), format=FORMAT)
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
        "format": FORMAT,
        "title": title,
        "introduction": nfc_multiline(data.get("introduction")),
        "audience": audience.value,
        "anonymity": anonymity.value,
        "recurrence": recurrence.value,
        "questions": clean_questions(data.get("questions", [])),
    }


def question_to_dict(question: Question) -> dict[str, Any]:
    data = {
        "key": question.key,
        "kind": question.kind.value,
        "text": question.text,
        "page": question.page,
        "required": question.required,
    }
    if question.help_text:
        data["help_text"] = question.help_text
    data.update(question.options)
    return data


def export_definition(survey: Survey, version: SurveyVersion | None = None) -> dict[str, Any]:
    version = version or survey.current_version
    return {
        "format": FORMAT,
        "title": survey.title,
        "introduction": survey.introduction,
        "audience": survey.audience.value,
        "anonymity": survey.anonymity.value,
        "recurrence": survey.recurrence.value,
        "version": version.number,
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
        version.questions.append(
            Question(
                key=data["key"],
                position=position,
                page=data["page"],
                kind=kind_of(data["kind"]).kind,
                text=data["text"],
                help_text=data["help_text"],
                required=data["required"],
                options=options,
            )
        )


def library() -> dict[str, dict[str, Any]]:
    """The ready-made templates shipped with the platform, by file stem."""
    return {
        path.stem: clean_definition(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(LIBRARY.glob("*.json"))
    }
