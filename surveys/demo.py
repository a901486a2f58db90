"""Demo data: Tuyên Quang province with its real communes and wards, a few agencies,
party committees, one account for every role, an answered staff survey and a citizens' one.
Loaded once; loading again changes nothing."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import answering, authoring, definitions, demo_channels, org, people, release
from .models import Anonymity, Committee, CommitteeKind, Role, Survey, Unit, UnitKind, User
from .timeutil import local_today

DEMO_PASSWORD = "LangNghe@2026"
PROVINCE_CODE = 8  # Tuyên Quang
WARD_MINH_XUAN = "02215"
WARD_NONG_TIEN = "02212"
PROVINCE_UNIT = "08"

# (code, name, kind, parent code)
AGENCIES = [
    ("08.VPUB", "Văn phòng Ủy ban nhân dân tỉnh", UnitKind.AGENCY, "08"),
    ("08.SNV", "Sở Nội vụ", UnitKind.AGENCY, "08"),
    ("08.SNV.TCBC", "Phòng Tổ chức, biên chế", UnitKind.DEPARTMENT, "08.SNV"),
    ("08.SNV.CCVC", "Phòng Công chức, viên chức", UnitKind.DEPARTMENT, "08.SNV"),
    ("08.SYT", "Sở Y tế", UnitKind.AGENCY, "08"),
    ("08.SYT.BVDK", "Bệnh viện Đa khoa tỉnh", UnitKind.PUBLIC_SERVICE_UNIT, "08.SYT"),
    ("08.SGDDT", "Sở Giáo dục và Đào tạo", UnitKind.AGENCY, "08"),
    ("08.SGDDT.THPTC", "Trường THPT Chuyên Tuyên Quang", UnitKind.PUBLIC_SERVICE_UNIT, "08.SGDDT"),
    (f"{WARD_MINH_XUAN}.VHXH", "Phòng Văn hóa - Xã hội phường Minh Xuân", UnitKind.DEPARTMENT, WARD_MINH_XUAN),
    (f"{WARD_MINH_XUAN}.KT", "Phòng Kinh tế, Hạ tầng và Đô thị phường Minh Xuân", UnitKind.DEPARTMENT, WARD_MINH_XUAN),
    (f"{WARD_NONG_TIEN}.VHXH", "Phòng Văn hóa - Xã hội phường Nông Tiến", UnitKind.DEPARTMENT, WARD_NONG_TIEN),
]

# (code, name, kind, attached unit, overseen units)
COMMITTEES = [
    ("TU.08", "Tỉnh ủy Tuyên Quang", CommitteeKind.PROVINCIAL, "08", ["08"]),
    ("DU.08.SYT", "Đảng ủy Sở Y tế", CommitteeKind.PARTY_COMMITTEE, "08.SYT", ["08.SYT"]),
    ("DU.02215", "Đảng ủy phường Minh Xuân", CommitteeKind.PARTY_COMMITTEE, WARD_MINH_XUAN, [WARD_MINH_XUAN]),
    ("CB.08.SNV", "Chi bộ Sở Nội vụ", CommitteeKind.PARTY_CELL, "08.SNV", ["08.SNV"]),
]

# What the demo's report issuers put on their DOCX reports (Quản trị → Đơn vị / Cấp ủy).
_PROVINCE_PEOPLES_COMMITTEE = "UBND tỉnh Tuyên Quang"
REPORT_SETTINGS = {
    "08.SNV": {
        "report_superior": _PROVINCE_PEOPLES_COMMITTEE,
        "report_symbol": "SNV",
        "signer_title": "Giám đốc",
        "signer_name": "Nguyễn Văn Nội",
        "report_recipients": "UBND tỉnh (để báo cáo)\nBan Dân vận Tỉnh ủy\nLưu: VT, TCBC",
    },
    "08.SYT": {
        "report_superior": _PROVINCE_PEOPLES_COMMITTEE,
        "report_symbol": "SYT",
        "signer_title": "Giám đốc",
        "signer_name": "Lê Thị Y",
        "report_recipients": "UBND tỉnh (để báo cáo)\nĐảng ủy Sở Y tế\nLưu: VT",
    },
    WARD_MINH_XUAN: {
        "report_superior": _PROVINCE_PEOPLES_COMMITTEE,
        "report_symbol": "UBND",
        "signer_authority": "TM. Ủy ban nhân dân",
        "signer_title": "Chủ tịch",
        "signer_name": "Phạm Văn Xuân",
        "report_recipients": "UBND tỉnh (để báo cáo)\nĐảng ủy phường\nLưu: VT",
    },
    "TU.08": {
        "report_superior": "Đảng bộ tỉnh Tuyên Quang",
        "report_symbol": "TU",
        "report_recipients": "Ban Dân vận Trung ương (để báo cáo)\nCác đồng chí Ủy viên Ban Thường vụ Tỉnh ủy\n"
        "Lưu: Văn phòng Tỉnh ủy",
    },
}

# (e-mail, name, position, unit code, [(role, unit code or committee code)])
ACCOUNTS = [
    ("admin@demo.gov.vn", "Quản trị hệ thống", "Chuyên viên CNTT", "08.VPUB", [(Role.ADMIN, None)]),
    ("bandanvan@demo.gov.vn", "Hoàng Thị Dân", "Chuyên viên Ban Dân vận Tỉnh ủy", "08", [(Role.AUTHOR, "08")]),
    ("giamdoc.snv@demo.gov.vn", "Nguyễn Văn Nội", "Giám đốc Sở Nội vụ", "08.SNV", [(Role.UNIT_HEAD, "08.SNV")]),
    ("giamdoc.syt@demo.gov.vn", "Lê Thị Y", "Giám đốc Sở Y tế", "08.SYT", [(Role.UNIT_HEAD, "08.SYT")]),
    (
        "chutich.minhxuan@demo.gov.vn",
        "Phạm Văn Xuân",
        "Chủ tịch UBND phường Minh Xuân",
        WARD_MINH_XUAN,
        [(Role.UNIT_HEAD, WARD_MINH_XUAN)],
    ),
    ("tinhuy@demo.gov.vn", "Vũ Văn Tỉnh", "Ủy viên Ban Thường vụ Tỉnh ủy", "08", [(Role.COMMITTEE_MEMBER, "TU.08")]),
    (
        "danguy.syt@demo.gov.vn",
        "Đỗ Thị Đảng",
        "Bí thư Đảng ủy Sở Y tế",
        "08.SYT",
        [(Role.COMMITTEE_MEMBER, "DU.08.SYT")],
    ),
    (
        "thanhtra.minhxuan@demo.gov.vn",
        "Bùi Văn Tra",
        "Trưởng ban Thanh tra nhân dân phường Minh Xuân",
        WARD_MINH_XUAN,
        [(Role.INSPECTOR, WARD_MINH_XUAN)],
    ),
    ("canbo.snv@demo.gov.vn", "Trần Văn Bộ", "Chuyên viên", "08.SNV.TCBC", []),
]

_GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Lan",
    "Linh",
    "Minh",
    "Nam",
    "Ngọc",
    "Phương",
    "Quang",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
]
_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
# Enough staff per unit that k-anonymity (k = 5) lets their answers be reported.
STAFF_PER_UNIT = {
    "08.SNV.TCBC": 7,
    "08.SNV.CCVC": 6,
    "08.SYT.BVDK": 12,
    "08.SGDDT.THPTC": 8,
    f"{WARD_MINH_XUAN}.VHXH": 6,
    f"{WARD_NONG_TIEN}.VHXH": 5,
}


def is_loaded(session: Session) -> bool:
    return session.scalar(select(User.id).where(User.email == ACCOUNTS[0][0])) is not None


def load(session: Session) -> bool:
    """Load the demo data unless it is there already; True when it was loaded now."""
    if is_loaded(session):
        return False
    units = _load_units(session)
    committees = _load_committees(session, units)
    _load_accounts(session, units, committees)
    _load_surveys(session, units, _load_staff(session, units))
    demo_channels.load(session, units, DEMO_PASSWORD)
    session.flush()
    # Anonymous answers are released in batches of at least 5 as the scheduler would, without the wait.
    for survey in session.scalars(select(Survey).where(Survey.anonymity == Anonymity.ANONYMOUS)):
        release.release_survey(session, survey, k=5, today=local_today(), wait_days=release.WAIT_DAYS, force=True)
    return True


def _load_units(session: Session) -> dict[str, Unit]:
    """The province and its communes from the official list, and the agencies under them."""
    org.import_divisions(session, PROVINCE_CODE)
    units = {u.code: u for u in session.scalars(select(Unit))}
    ward = units[WARD_MINH_XUAN]
    org.update_unit(
        session,
        ward,
        name=ward.name,
        kind=ward.kind,
        parent=ward.parent,
        is_active=True,
        actor=None,
        report=REPORT_SETTINGS[WARD_MINH_XUAN],
    )
    for code, name, kind, parent in AGENCIES:
        units[code] = org.create_unit(
            session, code=code, name=name, kind=kind, parent=units[parent], report=REPORT_SETTINGS.get(code)
        )
    return units


def _load_committees(session: Session, units: dict[str, Unit]) -> dict[str, Committee]:
    committees = {}
    for code, name, kind, attached, overseen in COMMITTEES:
        committees[code] = org.create_committee(
            session,
            code=code,
            name=name,
            kind=kind,
            unit=units[attached],
            overseen=[units[c] for c in overseen],
            report=REPORT_SETTINGS.get(code),
        )
    return committees


def _load_accounts(session: Session, units: dict[str, Unit], committees: dict[str, Committee]) -> None:
    """The accounts the README lists, each with its roles and as staff of its unit."""
    for email, name, position, unit_code, roles in ACCOUNTS:
        user = people.create_user(
            session,
            full_name=name,
            email=email,
            phone=None,
            unit=units[unit_code],
            position=position,
            password=DEMO_PASSWORD,
        )
        for role, scope in roles:
            people.assign_role(session, user, role, unit=units.get(scope), committee=committees.get(scope))
        people.assign_role(session, user, Role.STAFF, unit=units[unit_code])


def _load_staff(session: Session, units: dict[str, Unit]) -> list[User]:
    """canbo01…: enough staff per unit for reports to clear the k-anonymity threshold."""
    serial = 0
    staff: list[User] = []
    for unit_code, count in STAFF_PER_UNIT.items():
        for _ in range(count):
            serial += 1
            name = f"{_FAMILY[serial % len(_FAMILY)]} {_GIVEN[(serial * 7) % len(_GIVEN)]}"
            user = people.create_user(
                session,
                full_name=f"{name} {serial:02d}",
                email=f"canbo{serial:02d}@demo.gov.vn",
                phone=f"09{serial:08d}",
                unit=units[unit_code],
                password=DEMO_PASSWORD,
                position="Chuyên viên",
            )
            people.assign_role(session, user, Role.STAFF, unit=units[unit_code])
            staff.append(user)
    return staff


# Free-text answers typical of staff aspiration surveys, to give results and the NLP something real.
_ASPIRATIONS = [
    "Mong lãnh đạo quan tâm hơn đến chế độ phụ cấp cho cán bộ làm thêm giờ.",
    "Máy tính ở phòng đã cũ, thường xuyên treo, ảnh hưởng tiến độ giải quyết hồ sơ.",
    "Đề nghị tổ chức thêm lớp bồi dưỡng kỹ năng chuyển đổi số cho công chức.",
    "Sau sắp xếp bộ máy khối lượng công việc tăng nhiều nhưng biên chế không tăng.",
    "Cơ quan thực hiện dân chủ tốt, các khoản thu chi được công khai minh bạch.",
    "Lương chưa đủ trang trải cuộc sống, nhiều đồng nghiệp phải làm thêm bên ngoài.",
    "Mong có nhà công vụ cho cán bộ ở xa được điều động về tỉnh.",
    "Phần mềm quản lý văn bản mới dùng thuận tiện, tiết kiệm thời gian.",
    "Đề nghị bố trí phòng làm việc rộng hơn, hiện 6 người ngồi chung một phòng nhỏ.",
    "Chưa có cơ hội được cử đi đào tạo sau đại học dù đã công tác nhiều năm.",
]


def _load_surveys(session: Session, units: dict[str, Unit], staff: list[User]) -> None:
    """An open staff aspirations survey, answered by most demo staff, and a citizens' survey."""
    library = definitions.library()
    author = session.scalar(select(User).where(User.email == "bandanvan@demo.gov.vn"))
    survey = authoring.create_from_definition(
        session,
        library["staff_aspirations"],
        owner_unit=units[PROVINCE_UNIT],
        author=author,
        units=[units["08.SNV"], units["08.SYT"], units["08.SGDDT"], units[WARD_MINH_XUAN], units[WARD_NONG_TIEN]],
    )
    authoring.publish(session, survey, author)
    session.flush()
    for number, person in enumerate(staff[:36]):
        answers = {
            "vi_tri": ["cong_chuc", "vien_chuc", "nguoi_lao_dong"][number % 3],
            "hai_long_chung": 2 + number % 4,
            "danh_gia": {
                "thu_nhap": 1 + number % 3,
                "dieu_kien": 2 + number % 3,
                "dao_tao": 3,
                "dan_chu": 4,
                "khoi_luong": 2 + number % 2,
                "quan_he": 4,
            },
            "van_de": [["luong", "nha_o"], ["dao_tao"], ["luong", "bo_tri"], ["chuyen_doi_so"]][number % 4],
            "co_y_dinh_nghi": ["khong", "khong", "dang_can_nhac"][number % 3],
            "tam_tu": _ASPIRATIONS[number % len(_ASPIRATIONS)],
        }
        if answers["co_y_dinh_nghi"] != "khong":
            answers["ly_do_nghi"] = "Thu nhập thấp so với khối lượng công việc."
        raw = answering.raw_from_json(survey.current_version, answers)
        answering.submit_response(session, survey, raw, idempotency_key=f"demo-{number:04d}", respondent=person)
    citizens = authoring.create_from_definition(
        session,
        library["citizen_sipas"],
        owner_unit=units[PROVINCE_UNIT],
        author=author,
        units=[units[WARD_MINH_XUAN], units[WARD_NONG_TIEN]],
    )
    authoring.publish(session, citizens, author)
