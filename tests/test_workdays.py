"""Working days: weekends, the Labour Code's fixed holidays with days in lieu, holidays the
administrator enters, and the recommendation deadline that counts them."""

from datetime import date

import pytest
from sqlalchemy import select

from surveys import recommendations, workdays
from surveys.errors import DomainError
from surveys.models import AuditEntry, PublicHoliday, RecommendationKind, Role, SourceKind


def test_weekends_and_the_fixed_holidays_are_skipped():
    # 30/4/2026 is a Thursday and 1/5 a Friday: from Wednesday 29/4, the next working day is Monday 4/5.
    holidays = workdays.statutory_holidays(2026)
    assert workdays.add_working_days(date(2026, 4, 29), 1, holidays) == date(2026, 5, 4)
    assert workdays.add_working_days(date(2026, 4, 29), 1) == date(2026, 4, 30), "without holidays: Thursday"
    assert workdays.add_working_days(date(2026, 11, 20), 5, holidays) == date(2026, 11, 27)


def test_a_fixed_holiday_on_a_weekend_is_taken_on_the_next_working_day():
    # 1/1/2028 is a Saturday: Monday 3/1 is off instead.
    assert workdays.statutory_holidays(2028)[date(2028, 1, 3)] == "Nghỉ bù Tết Dương lịch"
    # 2/9/2029 is a Sunday: Monday 3/9 is off.
    assert date(2029, 9, 3) in workdays.statutory_holidays(2029)
    # 30/4/2022 and 1/5/2022 fall on Saturday and Sunday: Monday 2/5 and Tuesday 3/5 are off.
    days_2022 = workdays.statutory_holidays(2022)
    assert {date(2022, 5, 2), date(2022, 5, 3)} <= set(days_2022)
    assert date(2022, 5, 4) not in days_2022


def test_entered_holidays_count_and_are_audited(world, session):
    admin = world.users[Role.ADMIN]
    for day in range(16, 21):  # Tết 2026 (a week of days off announced for 16–20/2)
        workdays.add_holiday(session, date(2026, 2, day), " Tết Nguyên đán ", actor=admin)
    session.commit()
    assert workdays.working_days_after(session, date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert session.scalar(select(PublicHoliday.name).where(PublicHoliday.day == date(2026, 2, 16))) == "Tết Nguyên đán"
    assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == "holiday.add")).all()) == 5

    holiday = session.scalar(select(PublicHoliday).where(PublicHoliday.day == date(2026, 2, 16)))
    workdays.remove_holiday(session, holiday, actor=admin)
    session.commit()
    assert workdays.working_days_after(session, date(2026, 2, 13), 1) == date(2026, 2, 16)
    assert (
        session.scalar(select(AuditEntry.details).where(AuditEntry.action == "holiday.remove"))["day"] == "2026-02-16"
    )


@pytest.mark.parametrize(
    "day, name, message",
    [
        (date(2026, 9, 2), "Quốc khánh", "đã là ngày nghỉ theo Bộ luật Lao động"),
        (date(2026, 4, 26), "", "Hãy ghi tên ngày nghỉ"),
    ],
)
def test_refused_holidays(world, session, day, name, message):
    with pytest.raises(DomainError, match=message):
        workdays.add_holiday(session, day, name, actor=world.users[Role.ADMIN])


def test_a_day_cannot_be_entered_twice(world, session):
    workdays.add_holiday(session, date(2026, 4, 27), "Nghỉ bù Giỗ Tổ Hùng Vương", actor=world.users[Role.ADMIN])
    session.commit()
    with pytest.raises(DomainError, match="27/04/2026 đã có trong lịch nghỉ"):
        workdays.add_holiday(session, date(2026, 4, 27), "Trùng", actor=world.users[Role.ADMIN])


def test_the_forwarding_deadline_skips_holidays(world, session):
    workdays.add_holiday(session, date(2026, 9, 1), "Nghỉ liền kề Quốc khánh", actor=world.users[Role.ADMIN])
    item = recommendations.create(
        session,
        title="Lắp mái che nhà xe",
        content="Nhà xe bị dột.",
        kind=RecommendationKind.OPINION,
        source_kind=SourceKind.MEETING,
        owner_unit=world.A,
        actor=world.users[Role.UNIT_HEAD],
        today=date(2026, 8, 28),
        forward_working_days=5,
    )
    session.commit()
    # Friday 28/8; Monday 31/8 counts; 1/9 and 2/9 are off; then 3, 4, 7, 8/9.
    assert item.forward_due == date(2026, 9, 8)


def test_the_administrator_keeps_the_calendar(app, world, client):
    world.login_as(client, Role.ADMIN)
    page = client.get("/admin/holidays?year=2028").get_data(as_text=True)
    assert "Lịch nghỉ năm 2028" in page and "03/01/2028" in page and "Nghỉ bù Tết Dương lịch" in page

    response = client.post("/admin/holidays?year=2027", data={"day": "2027-02-08", "name": "Tết Đinh Mùi"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/holidays?year=2027")
    page = client.get("/admin/holidays?year=2027").get_data(as_text=True)
    assert "Đã thêm ngày nghỉ 08/02/2027." in page and "<td>Tết Đinh Mùi</td>" in page

    page = client.post("/admin/holidays", data={"day": "2027-02-08", "name": "Lần nữa"}).get_data(as_text=True)
    assert "Ngày 08/02/2027 đã có trong lịch nghỉ." in page
    page = client.post("/admin/holidays", data={"day": "31/02/2027", "name": "Ngày sai"}).get_data(as_text=True)
    assert "Hãy chọn một ngày hợp lệ." in page and 'value="Ngày sai"' in page, "the name typed is kept"

    with app.app_context():
        from webapp.extensions import db

        holiday_id = db.session.scalar(select(PublicHoliday.id))
    response = client.post(f"/admin/holidays/{holiday_id}/delete")
    assert response.status_code == 302
    page = client.get("/admin/holidays?year=2027").get_data(as_text=True)
    assert "Đã xoá ngày nghỉ." in page and "Tết Đinh Mùi" not in page
