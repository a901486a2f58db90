"""Vietnam's clock: everything is stored in UTC and shown in Asia/Ho_Chi_Minh."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(VN_TZ)


def local_today(now: datetime | None = None) -> date:
    return to_local(now or datetime.now(UTC)).date()


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    return to_local(value).strftime("%H:%M %d/%m/%Y") if value else ""


def parse_local_datetime(text: str) -> datetime:
    """Parse "dd/mm/yyyy HH:MM" (or an HTML datetime-local value) as Vietnam time; return UTC."""
    text = text.strip()
    for pattern in ("%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y"):
        try:
            naive = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return naive.replace(tzinfo=VN_TZ).astimezone(UTC)
    raise ValueError(text)


def parse_date(text: str) -> date:
    """A day typed as dd/mm/yyyy or sent as ISO yyyy-mm-dd (HTML date inputs); ValueError otherwise."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def iso_week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(label: str) -> tuple[datetime, datetime]:
    """UTC start (inclusive) and end (exclusive) of an ISO week, Monday 00:00 Vietnam time."""
    monday = datetime.strptime(label + "-1", "%G-W%V-%u").replace(tzinfo=VN_TZ)
    return monday.astimezone(UTC), (monday + timedelta(days=7)).astimezone(UTC)
