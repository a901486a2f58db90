"""CSV import of staff lists: a clear report per row, and nothing half-imported."""

import io

from sqlalchemy import func, select

from surveys import people
from surveys.models import Role, User

GOOD = (
    "ho_ten,email,dien_thoai,ma_don_vi,vai_tro\n"
    "Nguyễn Văn An,an@thu.vn,0912345678,A1,cán bộ\n"
    "Trần Thị Bình,,0987654321,B,thủ trưởng\n"
)


def _count(session):
    return session.scalar(select(func.count(User.id)))


def test_a_clean_file_creates_accounts_with_roles(session, world):
    before = _count(session)
    report = people.import_staff_csv(session, GOOD, actor=world.users[Role.ADMIN])
    session.commit()
    assert report.ok and len(report.created) == 2
    assert _count(session) == before + 2
    binh = session.scalar(select(User).where(User.phone == "0987654321"))
    assert binh.unit_id == world.B.id
    assert binh.role_set == {Role.UNIT_HEAD, Role.STAFF}


def test_any_bad_row_imports_nothing_and_each_error_names_its_line(session, world):
    before = _count(session)
    content = GOOD + (
        "Lê Văn Cường,cuong@thu.vn,12345,A,\n"  # line 4: bad phone
        "Phạm Thị Dung,dung@thu.vn,,KHONGCO,\n"  # line 5: unknown unit
        "Hoàng Văn Em,an@thu.vn,,A,\n"  # line 6: duplicate of line 2
        "Vũ Thị Giang,admin@thu.vn,,A,\n"  # line 7: e-mail already has an account
        "Đỗ Văn Hải,hai@thu.vn,,A,vua\n"  # line 8: unknown role
    )
    report = people.import_staff_csv(session, content, actor=None)
    session.commit()
    assert not report.ok
    assert [e.line for e in report.errors] == [4, 5, 6, 7, 8]
    assert _count(session) == before


def test_excel_semicolon_files_with_bom_and_vietnamese_headers(session, world):
    content = "\ufeffHọ và tên;E-mail;Điện thoại;Mã đơn vị\nNguyễn Văn An;an@thu.vn;;A1\n"
    report = people.import_staff_csv(session, content, actor=None)
    assert report.ok and report.created[0].unit_id == world.A1.id


def test_missing_columns_are_reported(session, world):
    report = people.import_staff_csv(session, "ten,thu\nA,B\n", actor=None)
    assert not report.ok and report.errors[0].line == 1


def test_upload_page_reports_errors_and_keeps_nothing(app, world, session):
    client = world.login_as(app.test_client(), Role.ADMIN)
    before = _count(session)
    bad = GOOD + "Lê Văn Cường,cuong@thu.vn,12345,A,\n"
    response = client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(bad.encode()), "ds.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert "Không nhập tệp: có 1 lỗi" in page and "12345" in page
    assert _count(session) == before
    response = client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(GOOD.encode("utf-8-sig")), "ds.csv")},
        content_type="multipart/form-data",
    )
    assert "Đã nhập 2 tài khoản" in response.get_data(as_text=True)
    assert _count(session) == before + 2


def test_non_utf8_upload_gets_a_clear_message(app, world):
    client = world.login_as(app.test_client(), Role.ADMIN)
    response = client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(GOOD.encode("cp1258", errors="replace")), "ds.csv")},
        content_type="multipart/form-data",
    )
    assert "UTF-8" in response.get_data(as_text=True)
