"""Working days: Monday to Friday, except public holidays.

The Labour Code (2019, art. 112) fixes four holidays by the solar calendar: 1/1, 30/4, 1/5
and 2/9. One that falls on a Saturday or Sunday is taken on the next working day (nghỉ bù).
Tết, the Hùng Kings' day (10/3 lunar), the day beside 2/9 and days swapped for a longer break
are announced by the government year by year; administrators enter them (``PublicHoliday``).
"""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .errors import N_, DomainError
from .models import PublicHoliday, User
from .text import nfc
from .timeutil import format_date

# (month, day): (name, name of the day taken in lieu)
STATUTORY_HOLIDAYS = {
    (1, 1): (N_("Tết Dương lịch"), N_("Nghỉ bù Tết Dương lịch")),
    (4, 30): (N_("Ngày Chiến thắng"), N_("Nghỉ bù Ngày Chiến thắng")),
    (5, 1): (N_("Ngày Quốc tế lao động"), N_("Nghỉ bù Ngày Quốc tế lao động")),
    (9, 2): (N_("Quốc khánh"), N_("Nghỉ bù Quốc khánh")),
}


def statutory_holidays(year: int) -> dict[date, str]:
    """The Labour Code's fixed holidays of ``year`` (names are msgids), with the days taken in
    lieu of those that fall on a weekend."""
    fixed = {date(year, month, day): names for (month, day), names in STATUTORY_HOLIDAYS.items()}
    days = {day: name for day, (name, _in_lieu_name) in fixed.items()}
    for day, (_name, in_lieu_name) in sorted(fixed.items()):
        if day.weekday() >= 5:
            in_lieu = day
            while in_lieu.weekday() >= 5 or in_lieu in days:
                in_lieu += timedelta(days=1)
            days[in_lieu] = in_lieu_name
    return days


def _entered(session: Session, start: date, end: date):
    return session.scalars(
        select(PublicHoliday).where(PublicHoliday.day.between(start, end)).order_by(PublicHoliday.day)
    )


def holidays_in(session: Session, start: date, end: date) -> set[date]:
    """Every day off from ``start`` to ``end`` inclusive besides weekends: statutory and entered."""
    days = {d for year in range(start.year, end.year + 1) for d in statutory_holidays(year) if start <= d <= end}
    days.update(holiday.day for holiday in _entered(session, start, end))
    return days


def year_calendar(session: Session, year: int) -> list[tuple[date, str, PublicHoliday | None]]:
    """The year's days off in date order: (day, name, the entered row; None for a statutory day,
    whose name is a msgid)."""
    days = [(day, name, None) for day, name in statutory_holidays(year).items()]
    days += [(h.day, h.name, h) for h in _entered(session, date(year, 1, 1), date(year, 12, 31))]
    return sorted(days, key=lambda row: row[0])


def add_working_days(start: date, days: int, holidays=frozenset()) -> date:
    """``days`` working days after ``start``, skipping weekends and ``holidays``."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            days -= 1
    return current


def working_days_after(session: Session, start: date, days: int) -> date:
    # Two calendar weeks per working week, plus a month for the longest Tết break, is ample.
    horizon = start + timedelta(days=14 * (days // 5 + 1) + 31)
    return add_working_days(start, days, holidays_in(session, start, horizon))


def add_holiday(session: Session, day: date, name: str, actor: User | None) -> PublicHoliday:
    name = nfc(name)
    if not name:
        raise DomainError(N_("Hãy ghi tên ngày nghỉ."))
    if day in statutory_holidays(day.year):
        raise DomainError(N_("Ngày %(day)s đã là ngày nghỉ theo Bộ luật Lao động."), day=format_date(day))
    if session.scalar(select(PublicHoliday.id).where(PublicHoliday.day == day)):
        raise DomainError(N_("Ngày %(day)s đã có trong lịch nghỉ."), day=format_date(day))
    holiday = PublicHoliday(day=day, name=name)
    session.add(holiday)
    session.flush()  # the audit entry names the holiday's id
    audit.record(session, actor, "holiday.add", holiday, day=day.isoformat(), name=name)
    return holiday


def remove_holiday(session: Session, holiday: PublicHoliday, actor: User | None) -> None:
    audit.record(session, actor, "holiday.remove", holiday, day=holiday.day.isoformat(), name=holiday.name)
    session.delete(holiday)
