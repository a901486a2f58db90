"""XLSForm (ODK, KoboToolbox) in and out: questionnaires from other tools import with a clear report
of what could not be carried over, and a survey exports back with the same structure."""

import io

import pytest
from factories import submit
from openpyxl import Workbook, load_workbook

from surveys import definitions, xlsform
from surveys.errors import Malformed
from surveys.models import Role, Survey

# An ODK-style form as KoboToolbox's and ODK's public examples write them: two languages,
# metadata fields, groups as pages, a table-list group, skip logic, constraints, and a few
# things this platform does not have (a location, a calculation, a complex condition).
SURVEY_SHEET = [
    [
        "type",
        "name",
        "label::English (en)",
        "label::Vietnamese (vi)",
        "hint::Vietnamese (vi)",
        "required",
        "relevant",
        "constraint",
        "appearance",
        "parameters",
    ],
    ["start", "start", "", "", "", "", "", "", "", ""],
    ["end", "end", "", "", "", "", "", "", "", ""],
    ["begin_group", "household", "Household", "Hộ gia đình", "", "", "", "", "field-list", ""],
    ["text", "FullName", "Name", "Tên chủ hộ", "Không bắt buộc", "", "", "string-length(.) <= 80", "", ""],
    ["integer", "members", "Members", "Số nhân khẩu", "", "yes", "", ". >= 1 and . <= 30", "", ""],
    ["select_one yes_no", "has_water", "Clean water?", "Có nước sạch không?", "", "yes", "", "", "", ""],
    ["text", "water_problem", "Problem", "Khó khăn về nước", "", "", "${has_water} = 'no'", "", "multiline", ""],
    ["end_group", "", "", "", "", "", "", "", "", ""],
    ["begin group", "services", "Services", "Dịch vụ công", "", "", "", "", "field-list", ""],
    [
        "select_multiple services_list or_other",
        "used",
        "Used",
        "Đã dùng dịch vụ nào?",
        "",
        "",
        "",
        "count-selected(.) <= 2",
        "",
        "",
    ],
    ["range", "satisfaction", "Satisfaction", "Mức hài lòng", "", "", "", "", "rating", "start=1 end=5"],
    ["begin group", "grid", "Grid", "Đánh giá cán bộ", "", "", "", "", "table-list", ""],
    ["select_one score", "grid__attitude", "Attitude", "Thái độ", "", "yes", "", "", "", ""],
    ["select_one score", "grid__speed", "Speed", "Tốc độ", "", "yes", "", "", "", ""],
    ["end group", "", "", "", "", "", "", "", "", ""],
    ["date", "visit_day", "Day", "Ngày đến", "", "", "", "", "", ""],
    ["geopoint", "location", "Location", "Vị trí", "", "", "", "", "", ""],
    ["calculate", "total", "", "", "", "", "", "", "", ""],
    ["decimal", "distance", "Distance", "Khoảng cách (km)", "", "", "${members} > 3", ". > 0", "", ""],
    ["note", "thanks", "Thanks", "Cảm ơn ông/bà", "", "", "", "", "", ""],
    ["end group", "", "", "", "", "", "", "", "", ""],
]
CHOICES_SHEET = [
    ["list_name", "name", "label::English (en)", "label::Vietnamese (vi)"],
    ["yes_no", "yes", "Yes", "Có"],
    ["yes_no", "no", "No", "Không"],
    ["services_list", "land", "Land", "Đất đai"],
    ["services_list", "birth", "Birth", "Khai sinh"],
    ["services_list", "vneid", "VNeID", "VNeID"],
    *[["score", str(n), str(n), label] for n, label in [(1, "Rất kém"), (2, "2"), (3, "3"), (4, "4"), (5, "Rất tốt")]],
]


def _workbook(*sheets: tuple[str, list[list[str]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ODK_FORM = _workbook(
    ("survey", SURVEY_SHEET),
    ("choices", CHOICES_SHEET),
    ("settings", [["form_title", "form_id"], ["Khảo sát hộ dân", "hh"]]),
)


def _notes(imported: xlsform.Imported) -> str:
    return "\n".join(note.message % note.params for note in imported.notes)


def test_an_odk_form_imports_with_pages_skip_logic_rules_and_a_matrix():
    imported = xlsform.read_xlsform(ODK_FORM)
    definition = imported.definition
    assert definition["title"] == "Khảo sát hộ dân"
    questions = {q["key"]: q for q in definition["questions"]}
    assert [q["key"] for q in definition["questions"]] == [
        "fullname", "members", "has_water", "water_problem", "used", "satisfaction", "grid", "visit_day", "distance",
        "thanks",
    ]  # fmt: skip
    assert questions["fullname"]["kind"] == "short_text" and questions["fullname"]["text"] == "Tên chủ hộ"
    assert questions["fullname"]["validation"] == {"max_length": 80}
    assert questions["members"]["kind"] == "number" and questions["members"]["required"]
    assert questions["members"]["validation"] == {"min": 1.0, "max": 30.0}
    assert questions["has_water"]["choices"] == [{"value": "yes", "label": "Có"}, {"value": "no", "label": "Không"}]
    assert questions["water_problem"]["kind"] == "long_text"
    assert questions["water_problem"]["show_if"] == {"question": "has_water", "any_of": ["no"]}
    assert questions["used"]["allow_other"] and questions["used"]["validation"] == {"max_choices": 2}
    assert questions["satisfaction"]["kind"] == "rating"
    assert questions["grid"]["kind"] == "matrix"
    assert questions["grid"]["rows"] == [{"key": "attitude", "label": "Thái độ"}, {"key": "speed", "label": "Tốc độ"}]
    assert questions["grid"]["scale"]["min_label"] == "Rất kém" and questions["grid"]["scale"]["max"] == 5
    assert questions["thanks"]["kind"] == "text_block"
    assert [q["page"] for q in definition["questions"]] == [1, 1, 1, 1, 2, 2, 2, 2, 2, 2]


def test_what_cannot_be_carried_over_is_reported_in_vietnamese_never_dropped_silently():
    notes = _notes(xlsform.read_xlsform(ODK_FORM))
    assert "Câu “FullName” được đổi mã thành fullname." in notes
    assert "Câu “location”: loại geopoint chưa được hỗ trợ, không nhập." in notes
    assert "Câu “total”: loại calculate chưa được hỗ trợ, không nhập." in notes
    assert "Câu distance: không chuyển được điều kiện hiển thị “${members} > 3”." in notes
    assert "Câu distance: không chuyển được ràng buộc “. > 0”." in notes
    assert "Bỏ qua các trường siêu dữ liệu ODK: start, end." in notes


@pytest.mark.parametrize("name", sorted(definitions.library()))
def test_every_shipped_template_exports_and_imports_back_unchanged(name):
    definition = definitions.library()[name]
    back = xlsform.read_xlsform(xlsform.write_xlsform(definition))
    assert back.notes == []
    assert back.definition["questions"] == definition["questions"]


def test_a_label_that_looks_like_a_formula_is_written_as_text():
    definition = definitions.clean_definition(
        {
            "format": definitions.FORMAT,
            "title": '=HYPERLINK("http://x")',
            "questions": [{"key": "q1", "kind": "short_text", "text": "=1+1"}],
        }
    )
    workbook = load_workbook(io.BytesIO(xlsform.write_xlsform(definition)))
    assert workbook["survey"]["C3"].data_type == "s" and workbook["survey"]["C3"].value == "=1+1"
    assert workbook["settings"]["A2"].data_type == "s"


def test_a_file_that_is_not_an_xlsform_is_refused_with_a_message():
    with pytest.raises(Malformed):
        xlsform.read_xlsform(b"not a workbook")
    with pytest.raises(Malformed):
        xlsform.read_xlsform(_workbook(("other", [["a"]])))


def test_an_author_imports_an_xlsform_answers_it_and_exports_it_back_with_the_same_structure(app, world, session):
    client = world.login_as(app.test_client(), Role.AUTHOR)
    page = client.post(
        "/surveys/import",
        data={"file": (io.BytesIO(ODK_FORM), "ho-dan.xlsx"), "owner_unit_id": world.A.id},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Đã nhập khảo sát" in text
    assert "Chưa chuyển được: Câu “location”: loại geopoint chưa được hỗ trợ" in text
    survey = session.query(Survey).filter_by(title="Khảo sát hộ dân").one()
    survey_id = survey.id
    client.post(f"/surveys/{survey_id}/settings", data={"unit_ids": [world.A.id]})
    exported = client.get(f"/surveys/{survey_id}/xlsform.xlsx")
    assert exported.status_code == 200 and exported.mimetype.endswith("spreadsheetml.sheet")
    again = xlsform.read_xlsform(exported.data)
    assert again.notes == []
    assert again.definition["questions"] == xlsform.read_xlsform(ODK_FORM).definition["questions"]
    from surveys import authoring

    session.expire_all()
    survey = session.get(Survey, survey_id)
    authoring.publish(session, survey, world.users[Role.AUTHOR])
    session.commit()
    response = submit(
        session,
        survey,
        {"members": 4, "has_water": "no", "water_problem": "Giếng cạn", "grid": {"attitude": 5, "speed": 3}},
        respondent=world.users[Role.STAFF],
    )
    assert {a.question.key for a in response.answers} >= {"members", "has_water", "water_problem", "grid"}
