"""Request bodies and jobs for the technician stories, in Hangzhou local time."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from tests.factories import HANGZHOU, make_client, make_order, square

TZ = ZoneInfo("Asia/Shanghai")
WEDNESDAY = date(2031, 3, 5)  # a Wednesday (weekday 2)


def local(day: date, hhmm: str) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return datetime.combine(day, time(h, m), tzinfo=TZ)


def technician_body(**overrides) -> dict:
    """王师傅: AC installer around West Lake, on shift 08:00-18:00 Monday to Saturday."""
    lon, lat = overrides.pop("lon", HANGZHOU[0]), overrides.pop("lat", HANGZHOU[1])
    body = {
        "name": "王师傅",
        "phone": overrides.pop("phone", "13900001111"),
        "home_base": {"lon": lon, "lat": lat},
        "service_area": square(lon, lat, 0.05),
        "skills": [
            {"skill": "ac_install"},
            {
                "skill": "refrigerant",
                "certificate": {"name": "制冷与空调作业操作证", "number": "T330100-0001",
                                "valid_from": "2025-01-01", "valid_until": "2031-12-31"},
            },
        ],
        "shifts": [{"weekday": d, "start": "08:00", "end": "18:00"} for d in range(6)],
        "days_off": [],
        "max_jobs_per_day": 6,
    }
    body.update(overrides)
    return body


def make_job(db, *, lon: float, lat: float, start: datetime, end: datetime, skills=("ac_install",), minutes=60):
    """A stored job at (lon, lat) with the given window, skills and duration."""
    from app.geo import point

    client = make_client(db)
    _, jobs = make_order(db, client.id, lon=lon, lat=lat)
    job = jobs[0]
    job.location = point(lon, lat)
    job.window_start, job.window_end = start, end
    job.required_skills, job.duration_minutes = list(skills), minutes
    db.commit()
    return job
