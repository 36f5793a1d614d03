"""The day's board: every technician (state, last position, shift) and every job of the day (address,
category, holder, planned and actual times), with the service areas; the map and the timeline draw it.

Planned times come from the job's own scheduled start, else from the newest committed dispatch run
that placed it; actual progress from the job's event log (depart, arrive, start, complete).
"""

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.catalogue.models import ApplianceCategory
from app.config import get_settings
from app.console.days import city_tz, day_range
from app.console.risk import at_risk
from app.geo import geojson, lonlat
from app.jobs.lifecycle import TERMINAL
from app.jobs.models import Job, JobEvent, JobStatus
from app.models_base import utcnow
from app.orders.models import Order
from app.planning.models import DispatchRun, JobPin, PlannedStop, RunStatus
from app.technicians.models import DayOff, Technician

PROGRESS = ("depart", "arrive", "start", "complete", "fail")
ON_SITE = {JobStatus.on_site, JobStatus.in_progress}


def _iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.isoformat()


def technician_state(tech: Technician, working_today: bool, held_statuses: set[str]) -> str:
    """off_duty, on_site, en_route or idle: what the map colours a technician by."""
    # What they are doing says more than the duty switch they may have forgotten to flip.
    if held_statuses & ON_SITE:
        return "on_site"
    if JobStatus.en_route in held_statuses:
        return "en_route"
    if not tech.active or not tech.on_duty or not working_today:
        return "off_duty"
    return "idle"


def _planned(session: Session, job_ids: list[uuid.UUID]) -> dict[uuid.UUID, PlannedStop]:
    """Each job's stop in the newest committed run that planned it."""
    if not job_ids:
        return {}
    rows = session.execute(
        select(PlannedStop, DispatchRun.committed_at).join(DispatchRun, DispatchRun.id == PlannedStop.run_id)
        .where(PlannedStop.job_id.in_(job_ids), DispatchRun.status == RunStatus.committed)
        .order_by(DispatchRun.committed_at)).all()
    return {stop.job_id: stop for stop, _ in rows}  # later commits overwrite earlier ones


def board(session: Session, day: date, now: datetime | None = None) -> dict:
    now = now or utcnow()
    start, end = day_range(day)
    tz = city_tz()
    rows = session.execute(
        select(Job, Order.address, Order.external_order_id, Order.contact_name, ApplianceCategory.name_zh,
               ApplianceCategory.name_en)
        .join(Order, Order.id == Job.order_id).join(ApplianceCategory, ApplianceCategory.code == Job.category)
        .where(Job.window_start < end, Job.window_end > start)
        .order_by(Job.window_start, Job.id)).all()
    job_ids = [r[0].id for r in rows]
    planned = _planned(session, job_ids)
    progress: dict[uuid.UUID, dict] = {}
    if job_ids:
        for jid, action, at in session.execute(
                select(JobEvent.job_id, JobEvent.action, JobEvent.at)
                .where(JobEvent.job_id.in_(job_ids), JobEvent.action.in_(PROGRESS)).order_by(JobEvent.seq)):
            progress.setdefault(jid, {})[action] = at
    pins = dict(session.execute(select(JobPin.job_id, JobPin.technician_id).where(JobPin.job_id.in_(job_ids))).all()) \
        if job_ids else {}
    risky = {r["job_id"]: r for r in at_risk(session, now)}
    jobs_out, held_by = [], {}
    for job, address, ref, contact, cat_zh, cat_en in rows:
        stop = planned.get(job.id)
        tech_for_plan = job.technician_id or (stop.technician_id if stop else None)
        if job.scheduled_start is not None:
            p_start = job.scheduled_start
            p_end = p_start + timedelta(minutes=job.duration_minutes)
        elif stop is not None and stop.technician_id == tech_for_plan:
            p_start, p_end = stop.start, stop.end
        else:
            p_start = p_end = None
        travel = stop.travel_seconds if stop is not None and p_start is not None else None
        done = progress.get(job.id, {})
        late = job.status not in TERMINAL and "arrive" not in done and job.window_end <= now
        if "arrive" in done and done["arrive"] > job.window_end:
            late = True
        if job.technician_id and job.status not in TERMINAL:
            held_by.setdefault(job.technician_id, set()).add(job.status)
        lon, lat = lonlat(job.location)
        jobs_out.append({
            "id": str(job.id), "status": job.status, "address": address, "order_ref": ref, "contact_name": contact,
            "category": job.category, "category_zh": cat_zh, "category_en": cat_en, "service_type": job.service_type,
            "required_skills": job.required_skills, "duration_minutes": job.duration_minutes,
            "window_start": _iso(job.window_start), "window_end": _iso(job.window_end),
            "technician_id": str(job.technician_id) if job.technician_id else None,
            "planned_technician_id": str(tech_for_plan) if tech_for_plan else None,
            "planned_start": _iso(p_start), "planned_end": _iso(p_end), "travel_seconds": travel,
            "lon": lon, "lat": lat, "pinned_to": str(pins[job.id]) if job.id in pins else None,
            "progress": {k: _iso(v) for k, v in done.items()}, "late": late,
            "at_risk": risky.get(str(job.id), {}).get("why"),
        })
    weekday = day.weekday()
    off = set(session.scalars(select(DayOff.technician_id).where(DayOff.day == day)))
    techs = session.scalars(select(Technician).where(Technician.active.is_(True))
                            .options(selectinload(Technician.skills), selectinload(Technician.shifts))
                            .order_by(Technician.name)).all()
    areas: dict[str, dict] = {}
    techs_out = []
    for t in techs:
        shifts = [] if t.id in off else [
            {"start": _iso(datetime.combine(day, datetime.min.time(), tz) + timedelta(minutes=s.start_minute)),
             "end": _iso(datetime.combine(day, datetime.min.time(), tz) + timedelta(minutes=s.end_minute))}
            for s in t.shifts if s.weekday == weekday]
        pos = lonlat(t.last_location) if t.last_location is not None else None
        home = lonlat(t.home_base)
        area = geojson(t.service_area)
        key = str(area)
        areas.setdefault(key, {"geometry": area, "technicians": []})["technicians"].append(t.name)
        techs_out.append({
            "id": str(t.id), "name": t.name, "phone": t.phone, "on_duty": t.on_duty,
            "state": technician_state(t, bool(shifts), held_by.get(t.id, set())),
            "lon": (pos or home)[0], "lat": (pos or home)[1], "position_at": _iso(t.last_location_at),
            "home": {"lon": home[0], "lat": home[1]}, "skills": [s.skill for s in t.skills],
            "shifts": shifts, "day_off": t.id in off, "max_jobs_per_day": t.max_jobs_per_day,
            "quality_score": t.quality_score,
        })
    return {
        "date": day.isoformat(), "timezone": get_settings().city_timezone, "now": _iso(now),
        "technicians": techs_out, "jobs": jobs_out,
        "areas": [{"type": "Feature", "geometry": a["geometry"], "properties": {"technicians": a["technicians"]}}
                  for a in areas.values()],
    }

