"""What the consumer stories share: a technician's busy morning tomorrow, and local slot times."""

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.actors import SYSTEM
from app.jobs import service as jobs
from app.jobs.models import Job
from tests.app.orders.stories import order_body
from tests.factories import HANGZHOU, make_client

CITY = ZoneInfo("Asia/Shanghai")
AT = {"lon": HANGZHOU[0] + 0.02, "lat": HANGZHOU[1] + 0.02}  # inside make_technician's square
WASHER_SKILLS = ("washer_repair", "electrician")


def tomorrow_at(hour: int, days: int = 1) -> datetime:
    day = datetime.now(CITY).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), CITY)


def busy_morning(session: Session, tech, days: int = 1) -> Job:
    """A four-hour job the technician holds that day, to start at 10:00: the 10-12 and 12-14 slots are
    gone, 08-10 is too tight for a visit plus the drive back, the afternoon is free."""
    brand = make_client(session)
    start = tomorrow_at(10, days)
    body = order_body("repair", categories=("washing_machine",))
    body["windows"] = [{"start": start.isoformat(), "end": (start + timedelta(minutes=1)).isoformat()}]
    from app.actors import Actor
    from app.orders.schemas import OrderCreate
    from app.orders.service import create_order

    new = create_order(session, OrderCreate.model_validate(body), Actor("client", str(brand.id)), client_id=brand.id)
    job = new.jobs[0]
    job.duration_minutes = 240
    session.flush()
    jobs.assign(session, session.get(Job, job.id), tech.id, SYSTEM, "busy morning")
    session.commit()
    return job


def slot_start(slots: list[dict], hour: int, days: int = 1) -> dict:
    want = tomorrow_at(hour, days).isoformat()
    return next(s for s in slots if s["start"] == want)


__all__ = ["AT", "WASHER_SKILLS", "busy_morning", "slot_start", "tomorrow_at", "uuid"]
