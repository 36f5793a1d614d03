"""A local day in the city as a half-open UTC range, the unit every console view is asked in."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.config import get_settings
from app.models_base import utcnow


def city_tz() -> ZoneInfo:
    return ZoneInfo(get_settings().city_timezone)


def local_today() -> date:
    return utcnow().astimezone(city_tz()).date()


def day_range(day: date) -> tuple[datetime, datetime]:
    tz = city_tz()
    start = datetime.combine(day, time(0), tz)
    return start.astimezone(ZoneInfo("UTC")), datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(ZoneInfo("UTC"))
