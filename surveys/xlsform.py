"""XLSForm, the questionnaire standard of ODK and KoboToolbox, in and out (docs/survey-format.md).

Read with openpyxl and written with XlsxWriter (both already here for exports) rather than
pyxform, which converts XLSForm to ODK's XML and would bring that toolchain for three sheets.
Each question kind says which XLSForm type it is (``xlsform_type``, ``xlsform_appearance``);
this module maps the sheets' shapes: pages as top-level groups, a ``table-list`` group as a
matrix, choice lists, ``relevant`` as skip logic, ``constraint`` as validation rules. What
cannot be carried over is listed in the import's notes for the author, never dropped silently.
"""

import io
import re
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

import xlsxwriter
from openpyxl import load_workbook

from . import definitions
from .errors import N_, DomainError, Malformed
from .questions import KINDS, QuestionType
from .questions.choices import slug
from .text import check_readable, nfc

SURVEY_COLUMNS = ["type", "name", "label", "hint", "required", "relevant", "constraint", "appearance", "parameters"]
# Fields ODK fills by itself (when the form was opened, on which device): not questions.
METADATA = {"start", "end", "today", "deviceid", "username", "phonenumber", "simserial", "subscriberid", "audit"}
TYPE_ALIASES = {"decimal": "integer", "select1": "select_one"}
MAX_ROWS = 2000


@dataclass
class Imported:
    """A definition read from an XLSForm, with what could not be carried over (messages for the author)."""

    definition: dict[str, Any]
    notes: list[DomainError] = field(default_factory=list)


def read_upload(filename: str, content: bytes) -> Imported:
    """An uploaded survey file: an XLSForm (.xlsx) or a definition in our JSON format."""
    if filename.lower().endswith(".xlsx"):
        return read_xlsform(content)
    return Imported(definitions.read_file(content))


# ---- reading --------------------------------------------------------------------------------------


def _is_vietnamese(column: str) -> bool:
    return any(mark in column for mark in ("(vi)", "::vi", "vietnam", "tiếng việt"))


def _text(row: dict[str, str], name: str) -> str:
    """``label``, ``hint``…: the Vietnamese column when there is one, else the plain one, else any."""
    columns = [c for c in row if c == name or c.startswith(name + "::")]
    columns.sort(key=lambda c: (not _is_vietnamese(c), c != name))
    return row[columns[0]] if columns else ""


def _sheet(workbook, name: str) -> list[dict[str, str]]:
    sheet = next((ws for ws in workbook.worksheets if ws.title.strip().lower() == name), None)
    if sheet is None:
        return []
    rows = sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1)
    header = [str(cell or "").strip().lower() for cell in next(rows, [])]
    table = []
    for cells in rows:
        row = {h: check_readable(nfc(str(v))) for h, v in zip(header, cells, strict=False) if h and v not in (None, "")}
        if row:
            table.append(row)
    return table


def _choice_lists(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    lists: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        if row.get("list_name") and row.get("name"):
            lists.setdefault(row["list_name"], []).append({"value": row["name"], "label": _text(row, "label")})
    return lists


def read_xlsform(content: bytes) -> Imported:
    """The survey an XLSForm describes; Malformed when the file is not an XLSForm at all."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a file that is not a workbook
        raise Malformed(N_("Tệp không phải bảng tính XLSForm (.xlsx) hợp lệ.")) from None
    rows = _sheet(workbook, "survey")
    if not rows or "type" not in rows[0]:
        raise Malformed(N_("Tệp XLSForm cần trang “survey” với cột type, name, label."))
    reader = _Reader(_choice_lists(_sheet(workbook, "choices")))
    for row in rows:
        reader.read(row)
    settings = (_sheet(workbook, "settings") or [{}])[0]
    title = _text(settings, "form_title") or settings.get("form_id") or "Khảo sát nhập từ XLSForm"
    if reader.skipped_metadata:
        reader.note(N_("Bỏ qua các trường siêu dữ liệu ODK: %(names)s."), names=", ".join(reader.skipped_metadata))
    definition = {"format": definitions.FORMAT, "title": title, "questions": reader.questions}
    return Imported(definitions.clean_definition(definition), reader.notes)


@dataclass
class _Reader:
    """Reads the survey sheet row by row: pages from top-level groups, matrices from table-list groups."""

    choices: dict[str, list[dict[str, str]]]
    questions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[DomainError] = field(default_factory=list)
    skipped_metadata: list[str] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # XLSForm name → our key
    page: int = 1
    page_used: bool = False
    depth: int = 0
    matrix: dict[str, Any] | None = None

    def note(self, message: str, **params: Any) -> None:
        self.notes.append(DomainError(message, **params))

    def read(self, row: dict[str, str]) -> None:
        words = row.get("type", "").replace("begin_group", "begin group").replace("end_group", "end group").split()
        if not words:
            return
        xls_type = " ".join(words[:2]) if words[0] in ("begin", "end") else TYPE_ALIASES.get(words[0], words[0])
        if xls_type == "begin group":
            self._begin_group(row)
        elif xls_type == "end group":
            self._end_group()
        elif xls_type in METADATA:
            self.skipped_metadata.append(row.get("name", xls_type))
        elif self.matrix is not None:
            self.matrix["rows"].append((row, words))
        elif xls_type:
            self._question(row, xls_type, words[1] if len(words) > 1 else "")

    def _next_page(self) -> None:
        if self.page_used:
            self.page, self.page_used = self.page + 1, False

    def _begin_group(self, row: dict[str, str]) -> None:
        if "table-list" in row.get("appearance", "").split():
            self.matrix = {"row": row, "rows": [], "depth": self.depth}
        elif self.depth == 0:
            self._next_page()
        self.depth += 1

    def _end_group(self) -> None:
        self.depth = max(self.depth - 1, 0)
        if self.matrix is not None and self.matrix["depth"] == self.depth:
            matrix, self.matrix = self.matrix, None
            self._matrix(matrix)
        elif self.depth == 0:
            self._next_page()

    def _key(self, name: str) -> str:
        key = name if definitions.KEY_PATTERN.match(name) else slug(name, set(self.keys.values()))
        if key != name:
            self.note(N_("Câu “%(name)s” được đổi mã thành %(key)s."), name=name, key=key)
        self.keys[name] = key
        return key

    def _question(self, row: dict[str, str], xls_type: str, list_name: str) -> None:
        name = row.get("name", "")
        qtype = kind_for(xls_type, row.get("appearance", ""), row.get("parameters", ""))
        if qtype is None:
            self.note(N_("Câu “%(name)s”: loại %(type)s chưa được hỗ trợ, không nhập."), name=name, type=xls_type)
            return
        data = {
            "key": self._key(name),
            "kind": qtype.kind.value,
            "text": _text(row, "label") or name,
            "help_text": _text(row, "hint"),
            "required": row.get("required", "").lower() in ("yes", "true", "1", "true()"),
            "page": self.page,
            "allow_other": "or_other" in row.get("type", "").split(),
            **_options(qtype, self.choices.get(list_name, []), row.get("parameters", "")),
        }
        self._add(data, row)

    def _add(self, data: dict[str, Any], row: dict[str, str]) -> None:
        rules, unread = constraint_rules(row.get("constraint", ""))
        if unread:
            self.note(N_("Câu %(key)s: không chuyển được ràng buộc “%(rule)s”."), key=data["key"], rule=unread)
        data["validation"] = rules
        if row.get("relevant"):
            data["show_if"] = self._condition(row["relevant"], data["key"])
        try:
            cleaned = definitions.clean_question({k: v for k, v in data.items() if v is not None}, self.questions)
        except DomainError as error:
            self.notes.append(error)
            return
        self.questions.append(cleaned)
        self.page_used = True

    def _condition(self, expression: str, key: str) -> dict[str, Any] | None:
        condition = relevant_condition(expression)
        if condition is None or condition["question"] not in self.keys:
            self.note(N_("Câu %(key)s: không chuyển được điều kiện hiển thị “%(rule)s”."), key=key, rule=expression)
            return None
        return {**condition, "question": self.keys[condition["question"]]}

    def _matrix(self, matrix: dict[str, Any]) -> None:
        """A table-list group whose rows share one numeric list is a matrix; otherwise one question a row."""
        rows = matrix["rows"]
        lists = {words[1] for _row, words in rows if len(words) > 1 and words[0] == "select_one"}
        scale = _numeric_scale(self.choices.get(next(iter(lists), ""), []))
        if len(lists) != 1 or scale is None or len(rows) != sum(1 for _r, w in rows if w[0] == "select_one"):
            self.note(N_("Nhóm bảng “%(name)s” được nhập thành từng câu riêng."), name=matrix["row"].get("name", ""))
            for row, words in rows:
                self.read(row | {"type": " ".join(words)})
            return
        group = matrix["row"]
        key = self._key(group.get("name", ""))
        prefix = f"{group.get('name', '')}__"
        items = [{"key": r.get("name", "").removeprefix(prefix), "label": _text(r, "label")} for r, _w in rows]
        data = {"key": key, "kind": MATRIX.kind.value, "text": _text(group, "label") or key, "page": self.page}
        self._add(data | {"rows": items, "scale": scale, "required": any(_required(r) for r, _w in rows)}, group)


def _required(row: dict[str, str]) -> bool:
    return row.get("required", "").lower() in ("yes", "true", "1", "true()")


MATRIX = next(q for q in KINDS.values() if q.xlsform_type == "begin_group")


def kind_for(xls_type: str, appearance: str, parameters: str) -> QuestionType | None:
    """Our kind for an XLSForm type: the one whose appearance word is given, else the plain one."""
    words = set(appearance.split())
    if xls_type == "range":
        bounds = _range(parameters)
        words |= {"rating"} if bounds == (1, 5) else set()
        if bounds not in ((1, 5), (0, 10)):
            return None
    candidates = [q for q in KINDS.values() if q.xlsform_type == xls_type and q is not MATRIX]
    return next((q for q in candidates if q.xlsform_appearance and q.xlsform_appearance in words), None) or next(
        (q for q in candidates if not q.xlsform_appearance), None
    )


def _range(parameters: str) -> tuple[int, int] | None:
    values = dict(re.findall(r"(start|end)\s*=\s*(-?\d+)", parameters))
    return (int(values.get("start", 1)), int(values.get("end", 10))) if values else None


def _numeric_scale(choices: list[dict[str, str]]) -> dict[str, Any] | None:
    """A list of consecutive whole numbers within 0–10 as a scale with its end labels."""
    if not choices or not all(re.fullmatch(r"\d{1,2}", c["value"]) for c in choices):
        return None
    values = [int(c["value"]) for c in choices]
    if values != list(range(values[0], values[0] + len(values))) or values[-1] > 10 or len(values) < 2:
        return None
    return {"min": values[0], "max": values[-1], "min_label": choices[0]["label"], "max_label": choices[-1]["label"]}


def _options(qtype: QuestionType, choices: list[dict[str, str]], parameters: str) -> dict[str, Any]:
    if qtype.xlsform_type == "range":
        low, high = _range(parameters) or (1, 5)
        return {"scale": {"min": low, "max": high}}
    if qtype.xlsform_appearance == "likert":
        return {"scale": _numeric_scale(choices) or {}}
    return {"choices": choices} if qtype.xlsform_type.startswith("select") else {}


def _unwrap(part: str) -> str:
    """``(${q} = 'a')`` → ``${q} = 'a'``: the parentheses an author may put around each comparison."""
    part = part.strip()
    while part.startswith("(") and part.endswith(")"):
        part = part[1:-1].strip()
    return part


_EQUALS = re.compile(r"^\$\{(\w+)\}\s*=\s*'([^']*)'$")
_SELECTED = re.compile(r"^selected\(\s*\$\{(\w+)\}\s*,\s*'([^']*)'\s*\)$")


def relevant_condition(expression: str) -> dict[str, Any] | None:
    """``${q} = 'a' or selected(${q}, 'b')`` as {"question": q, "any_of": [a, b]}; None for anything else."""
    matches = [_EQUALS.match(p) or _SELECTED.match(p) for p in map(_unwrap, expression.split(" or "))]
    if not all(matches) or len({m.group(1) for m in matches}) != 1:
        return None
    return {"question": matches[0].group(1), "any_of": [m.group(2) for m in matches]}


_BOUND = re.compile(r"^(\.|string-length\(\s*\.\s*\)|count-selected\(\s*\.\s*\))\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)$")
_REGEX = re.compile(r"^regex\(\s*\.\s*,\s*'([^']*)'\s*\)$")
_RULES = {
    ".": ("min", "max"),
    "string-length": ("min_length", "max_length"),
    "count-selected": ("min_choices", "max_choices"),
}


def constraint_rules(expression: str) -> tuple[dict[str, Any], str]:
    """Validation rules from ``. >= 18 and . <= 70``, ``string-length(.) <= 500``, ``regex(., '…')``;
    and the part that could not be read ("" when all of it was)."""
    rules, unread = {}, []
    for part in filter(None, (p.strip() for p in expression.split(" and "))):
        if bound := _BOUND.match(part):
            names = _RULES[bound.group(1).split("(")[0]]
            rules[names[0] if bound.group(2) == ">=" else names[1]] = bound.group(3)
        elif pattern := _REGEX.match(part):
            rules["pattern"] = pattern.group(1)
        else:
            unread.append(part)
    return rules, " and ".join(unread)


# ---- writing --------------------------------------------------------------------------------------


def write_xlsform(definition: dict[str, Any]) -> bytes:
    """The survey as an XLSForm (survey, choices, settings), each page a field-list group."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    survey, choices = [SURVEY_COLUMNS], [["list_name", "name", "label"]]
    for page, questions in groupby(definition["questions"], key=lambda q: q["page"]):
        survey.append(["begin group", f"trang_{page}", f"Trang {page}", "", "", "", "", "field-list", ""])
        for question in questions:
            survey.extend(_question_rows(question, choices))
        survey.append(["end group", f"trang_{page}", "", "", "", "", "", "", ""])
    settings = [["form_title", "form_id", "default_language"], [definition["title"], "langnghe", "Vietnamese (vi)"]]
    for name, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write_string(r, c, str(value))  # as text, always: a label may start with "="
    workbook.close()
    return buffer.getvalue()


def _question_rows(question: dict[str, Any], choices: list[list[str]]) -> list[list[str]]:
    qtype = next(q for q in KINDS.values() if q.kind.value == question["kind"])
    key, required = question["key"], "yes" if question.get("required") else ""
    relevant = _relevant(question.get("show_if"))
    if qtype is MATRIX:
        _scale_choices(f"{key}_thang", question["scale"], choices)
        group = [
            "begin group",
            key,
            question["text"],
            question.get("help_text", ""),
            "",
            relevant,
            "",
            "table-list",
            "",
        ]
        rows = [
            [f"select_one {key}_thang", f"{key}__{row['key']}", row["label"], "", required, "", "", "", ""]
            for row in question["rows"]
        ]
        return [group, *rows, ["end group", key, "", "", "", "", "", "", ""]]
    xls_type, parameters = qtype.xlsform_type, ""
    if "choices" in question:
        choices.extend([key, c["value"], c["label"]] for c in question["choices"])
        xls_type = f"{xls_type} {key}" + (" or_other" if question.get("allow_other") else "")
    elif qtype.xlsform_appearance == "likert":
        _scale_choices(key, question["scale"], choices)
        xls_type = f"{xls_type} {key}"
    elif qtype.xlsform_type == "range":
        parameters = f"start={question['scale']['min']} end={question['scale']['max']} step=1"
    constraint = _constraint(question.get("validation", {}))
    return [
        [xls_type, key, question["text"], question.get("help_text", ""), required, relevant, constraint]
        + [qtype.xlsform_appearance, parameters]
    ]


def _scale_choices(list_name: str, scale: dict[str, Any], choices: list[list[str]]) -> None:
    ends = {scale["min"]: scale.get("min_label", ""), scale["max"]: scale.get("max_label", "")}
    choices.extend([list_name, str(v), ends.get(v) or str(v)] for v in range(scale["min"], scale["max"] + 1))


def _relevant(condition: dict[str, Any] | None) -> str:
    if not condition:
        return ""
    return " or ".join(f"selected(${{{condition['question']}}}, '{v}')" for v in condition["any_of"])


def _constraint(rules: dict[str, Any]) -> str:
    parts = []
    for subject, (low, high) in _RULES.items():
        shown = subject if subject == "." else f"{subject}(.)"
        parts += [f"{shown} >= {_number(rules[low])}"] if low in rules else []
        parts += [f"{shown} <= {_number(rules[high])}"] if high in rules else []
    if "pattern" in rules:
        parts.append(f"regex(., '{rules['pattern']}')")
    return " and ".join(parts)


def _number(value: Any) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
