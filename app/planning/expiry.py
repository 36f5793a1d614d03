"""When an offer stops being open, fitted to the job's day.

An offer for today runs `offer_ttl_minutes` (the work is close: someone must say yes soon). An offer
for a later day stays open until the cut-off the evening before (`offer_cutoff_local`, city time), and
never later than `offer_min_lead_hours` before the window opens. A cut-off already past falls back to
the short TTL, so a late plan still gets an answer.

In assign mode the same moment is the planned technician's deadline to give the job back.
"""

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from app.config import Settings


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def offer_deadline(window_start: datetime, now: datetime, settings: Settings) -> datetime:
    tz = ZoneInfo(settings.city_timezone)
    now, window_start = _aware(now), _aware(window_start)
    short = now + timedelta(minutes=settings.offer_ttl_minutes)
    latest = window_start - timedelta(hours=settings.offer_min_lead_hours)
    # The short TTL, but not past the lead time unless that has already gone by (then ops must hurry).
    soon = min(short, latest) if latest > now else short
    job_day = window_start.astimezone(tz).date()
    if job_day <= now.astimezone(tz).date():
        return soon
    hh, mm = (int(x) for x in settings.offer_cutoff_local.split(":"))
    evening_before = datetime.combine(job_day - timedelta(days=1), time(hh, mm), tz).astimezone(timezone.utc)
    fitted = min(evening_before, latest)
    return fitted if fitted > short else soon
