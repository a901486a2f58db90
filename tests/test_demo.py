"""The demo data `make run` loads: once only, and every demo account lands on what its role may see."""

from pathlib import Path

import pytest
from factories import login
from sqlalchemy import func, select

from surveys import demo, reports
from surveys.models import Committee, Unit, User

LANDINGS = {
    "admin@demo.gov.vn": ["Quản trị hệ thống", "Tỉnh Tuyên Quang"],
    "bandanvan@demo.gov.vn": ["Phạm vi theo dõi của bạn", "Tỉnh Tuyên Quang"],
    "giamdoc.snv@demo.gov.vn": ["Phạm vi theo dõi của bạn", "Sở Nội vụ"],
    "giamdoc.syt@demo.gov.vn": ["Phạm vi theo dõi của bạn", "Sở Y tế"],
    "chutich.minhxuan@demo.gov.vn": ["Phạm vi theo dõi của bạn", "Phường Minh Xuân"],
    "tinhuy@demo.gov.vn": ["Phạm vi theo dõi của bạn", "Tỉnh Tuyên Quang"],
    "danguy.syt@demo.gov.vn": ["Phạm vi theo dõi của bạn", "Sở Y tế"],
    "thanhtra.minhxuan@demo.gov.vn": ["Phạm vi theo dõi của bạn", "Phường Minh Xuân"],
    "canbo.snv@demo.gov.vn": ["Khảo sát dành cho bạn"],
}


@pytest.fixture
def demo_loaded(session):
    assert demo.load(session) is True
    session.commit()


def test_demo_loads_once(session, demo_loaded):
    counts = (session.scalar(select(func.count(Unit.id))), session.scalar(select(func.count(User.id))))
    assert demo.load(session) is False
    assert counts == (session.scalar(select(func.count(Unit.id))), session.scalar(select(func.count(User.id))))
    assert session.scalar(select(func.count(Committee.id))) == len(demo.COMMITTEES)


def test_every_account_the_readme_lists_is_a_demo_account():
    readme = Path("README.md").read_text(encoding="utf-8")
    for email in LANDINGS:
        assert email in readme
    assert demo.DEMO_PASSWORD in readme
    assert {a[0] for a in demo.ACCOUNTS} == set(LANDINGS)


@pytest.mark.parametrize("email", LANDINGS)
def test_each_demo_account_lands_on_its_own_view(app, demo_loaded, email):
    client = app.test_client()
    assert login(client, email, demo.DEMO_PASSWORD).headers["Location"] == "/dashboard"
    page = client.get("/dashboard").get_data(as_text=True)
    for text in LANDINGS[email]:
        assert text in page, (email, text)
    admin_link = 'href="/admin/"' in page
    assert admin_link == (email == "admin@demo.gov.vn")


def test_the_unit_head_of_one_agency_cannot_open_another(app, demo_loaded, session):
    client = app.test_client()
    login(client, "giamdoc.snv@demo.gov.vn", demo.DEMO_PASSWORD)
    health = session.scalar(select(Unit).where(Unit.code == "08.SYT"))
    home = session.scalar(select(Unit).where(Unit.code == "08.SNV.TCBC"))
    assert client.get(f"/units/{home.id}").status_code == 200
    assert client.get(f"/units/{health.id}").status_code == 403


def test_the_demo_issuers_sign_their_reports(session, demo_loaded):
    units = {u.code: u for u in session.scalars(select(Unit).where(Unit.code.in_(["08.SNV", demo.WARD_MINH_XUAN])))}
    home_affairs = reports.letterhead(units["08.SNV"], default_place="Tuyên Quang")
    assert (home_affairs.superior, home_affairs.symbol, home_affairs.signer_title, home_affairs.signer_name) == (
        "UBND tỉnh Tuyên Quang",
        "SNV",
        "Giám đốc",
        "Nguyễn Văn Nội",
    )
    ward = reports.letterhead(units[demo.WARD_MINH_XUAN], default_place="Tuyên Quang")
    assert (ward.symbol, ward.signer_authority) == ("UBND", "TM. Ủy ban nhân dân")
    provincial = reports.letterhead(
        session.scalar(select(Committee).where(Committee.code == "TU.08")), default_place="Tuyên Quang"
    )
    assert (provincial.superior, provincial.symbol) == ("Đảng bộ tỉnh Tuyên Quang", "TU")
