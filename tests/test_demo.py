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


def test_the_demo_has_a_voter_contact_meeting_with_its_opinions(app, demo_loaded, session):
    from surveys.models import Channel, Meeting

    meeting = session.scalar(select(Meeting))
    assert meeting.kind == Channel.VOTER_CONTACT and len(meeting.opinions) == 8
    client = app.test_client()
    login(client, "chutich.minhxuan@demo.gov.vn", demo.DEMO_PASSWORD)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Nhà văn hóa tổ 12" in page and "Ông Hoàng Văn Bình" in page


def test_the_demo_front_officer_supervises_the_ward(app, demo_loaded, session):
    from surveys import demo_channels

    client = app.test_client()
    assert login(client, demo_channels.FRONT_OFFICER, demo.DEMO_PASSWORD).headers["Location"] == "/dashboard"
    page = client.get("/supervision/").get_data(as_text=True)
    assert "Địa bàn giám sát: Phường Minh Xuân" in page
    assert "Ý kiến, kiến nghị của cử tri tổ 12" in page
    readme = Path("README.md").read_text(encoding="utf-8")
    assert demo_channels.FRONT_OFFICER in readme


def test_the_demo_has_a_quarter_of_scorecard_data(app, demo_loaded, session):
    from surveys import scorecard
    from surveys.timeutil import local_today

    province = session.scalar(select(Committee).where(Committee.code == "TU.08"))
    rows = {
        r.unit.code: r
        for r in scorecard.scorecard(
            session, province, scorecard.parse_period("", local_today()), today=local_today(), k=5
        )
    }
    ward = rows[demo.WARD_MINH_XUAN]
    assert (
        ward.rank is not None and ward.components["satisfaction"] is not None and ward.components["sipas"] is not None
    )
    assert rows[demo.WARD_NONG_TIEN].components["satisfaction"] is not None
    assert "08.MTTQ" not in rows  # the Front supervises; it is not judged here
    client = app.test_client()
    login(client, "tinhuy@demo.gov.vn", demo.DEMO_PASSWORD)
    page = client.get("/scorecard/").get_data(as_text=True)
    assert "Phường Minh Xuân" in page and "Tỉnh ủy Tuyên Quang" in page


def test_the_demo_has_a_published_good_example(app, demo_loaded):
    page = app.test_client().get("/examples/").get_data(as_text=True)
    assert "Ngõ sáng, đường sạch" in page
