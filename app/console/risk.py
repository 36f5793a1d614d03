"""Jobs at risk: work that will miss its window (and so the arrive SLA, due at the window's end)
unless someone acts now.

How it is predicted, for each open job whose window ends within the look-ahead
(`console_risk_horizon_minutes`) or has already ended without an arrival:
- a held job whose technician has not set off: the earliest arrival is now + the travel time from
  where the technician last reported (or their home base) at the city speed, the same great-circle
  model dispatch plans with. At risk when that arrival is later than the window's end minus the
  slack (`console_risk_slack_minutes`); "late" when it is after the window's end already;
- a job on its way (en route): the same arrival estimate from the last reported position;
- a job nobody holds yet (pending or offered): at risk when its window ends within the time the
  best placed technician would need to accept, set off and get there: the slack plus one hour.
"""

from datetime import datetime, timedelta, timezone

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

import dispatch
from app.config import get_settings
from app.geo import lonlat
from app.jobs.models import Job, JobStatus
from app.models_base import utcnow
from app.orders.models import Order
from app.technicians.models import Technician

NOT_SET_OFF = (JobStatus.accepted, JobStatus.scheduled, JobStatus.rescheduled)
UNHELD = (JobStatus.pending, JobStatus.offered)
OPEN = NOT_SET_OFF + UNHELD + (JobStatus.en_route,)
UNHELD_LEAD = timedelta(hours=1)


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def travel_seconds(points: list[tuple[float, float]], speed_kmh: float) -> list[float]:
    """Travel time between consecutive pairs (from, to, from, to...), by dispatch's own travel model."""
    if not points:
        return []
    _, dur = dispatch.GreatCircleTravel(speed_kmh=speed_kmh).matrices(np.array(points, dtype=float))
    return [float(dur[i, i + 1]) for i in range(0, len(points), 2)]


def at_risk(session: Session, now: datetime | None = None) -> list[dict]:
    settings = get_settings()
    now = now or utcnow()
    slack = timedelta(minutes=settings.console_risk_slack_minutes)
    horizon = now + timedelta(minutes=settings.console_risk_horizon_minutes)
    # Windows are hours long: a job whose window ends in the look-ahead started at most a day before.
    rows = session.execute(
        select(Job, Order.address, Technician.name, Technician.last_location, Technician.home_base)
        .join(Order, Order.id == Job.order_id).outerjoin(Technician, Technician.id == Job.technician_id)
        .where(Job.status.in_(list(OPEN)), Job.window_start < horizon, Job.window_start > now - timedelta(days=1),
               Job.window_end <= horizon)
        .order_by(Job.window_end)).all()
    held = [r for r in rows if r[0].status in NOT_SET_OFF + (JobStatus.en_route,) and r[0].technician_id]
    pts: list[tuple[float, float]] = []
    for job, _, _, last, home in held:
        pts += [lonlat(last if last is not None else home), lonlat(job.location)]
    legs = dict(zip((r[0].id for r in held), travel_seconds(pts, settings.city_speed_kmh)))
    out = []
    for job, address, tech_name, _, _ in rows:
        end = _aware(job.window_end)
        item = {"job_id": str(job.id), "status": job.status, "address": address, "category": job.category,
                "technician_id": str(job.technician_id) if job.technician_id else None, "technician_name": tech_name,
                "window_start": _aware(job.window_start).isoformat(), "window_end": end.isoformat()}
        if job.id in legs:
            eta = now + timedelta(seconds=legs[job.id])
            if eta <= end - slack:
                continue
            late = eta > end
            if job.status == JobStatus.en_route:
                why = "en_route_late" if late else "en_route_tight"
            else:
                why = "not_departed_late" if late else "not_departed"
            item.update(why=why, predicted_arrival=eta.isoformat(), travel_minutes=round(legs[job.id] / 60),
                        minutes_late=max(0, round((eta - end).total_seconds() / 60)))
        elif job.status in UNHELD or not job.technician_id:
            if end - now > slack + UNHELD_LEAD:
                continue
            item.update(why="unassigned", predicted_arrival=None, travel_minutes=None,
                        minutes_late=max(0, round((now - end).total_seconds() / 60)))
        else:
            continue
        out.append(item)
    return out

