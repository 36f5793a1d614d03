"""The technician app's read model: the day's jobs in route order, open offers, and one job with
everything needed to work it (contact within the privacy window, appliance, warranty, checklist,
extras), each in one response so a phone on a weak network makes few round trips."""

import uuid
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalogue.models import ApplianceCategory, CatalogueEntry
from app.checklists.checklist import view
from app.checklists.schemas import ChecklistOut
from app.config import Settings
from app.geo import haversine_m, lonlat
from app.jobs.lifecycle import HELD
from app.jobs.models import Job, JobOffer, JobStatus, OfferStatus
from app.jobs.permissions import allowed_actions_for
from app.jobs.privacy import contact_visible_until
from app.models_base import utcnow
from app.planning.models import DispatchRun, PlannedStop, RunStatus
from app.planning.offers import dispatch_mode
from app.pricing import charges
from app.pricing.billing import (
    labour_lines,
    payout_breakdown,
    rule_for_provider,
    warranty_decision,
)
from app.pricing.schemas import ChargeOut, PriceItemOut
from app.pricing.service import extra_items, list_for_job
from app.schemas_base import to_city_time
from app.technicians.models import Technician


def _iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return to_city_time(dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc))


def _names(session: Session, job: Job) -> dict:
    cat = session.get(ApplianceCategory, job.category)
    entry = session.scalar(
        select(CatalogueEntry).where(CatalogueEntry.category == job.category,
                                     CatalogueEntry.service_type == job.service_type)
    )
    return {
        "category_zh": cat.name_zh if cat else job.category, "category_en": cat.name_en if cat else job.category,
        "title_zh": entry.title_zh if entry else None, "title_en": entry.title_en if entry else None,
    }


def estimated_pay_cents(session: Session, job: Job, tech: Technician) -> int:
    """Base labour at the provider's share: what the job pays before any confirmed extras."""
    return payout_breakdown(labour_lines(session, job), rule_for_provider(session, tech.provider_id))["total_cents"]


def _planned_stops(session: Session, tech_id: uuid.UUID, job_ids: list[uuid.UUID]) -> dict:
    """job id -> its stop on the technician's latest committed plan."""
    if not job_ids:
        return {}
    rows = session.execute(
        select(PlannedStop).join(DispatchRun, DispatchRun.id == PlannedStop.run_id)
        .where(DispatchRun.status == RunStatus.committed, PlannedStop.technician_id == tech_id,
               PlannedStop.job_id.in_(job_ids))
        .order_by(DispatchRun.committed_at)
    ).scalars()
    return {s.job_id: s for s in rows}  # later runs overwrite earlier ones


def card(session: Session, job: Job, tech: Technician, principal, settings: Settings, *, stop=None,
         here: tuple[float, float] | None = None, offer: JobOffer | None = None) -> dict:
    order = job.order
    until = contact_visible_until(session, job, tech.id, settings.contact_window_hours)
    lon, lat = lonlat(job.location)
    origin = here or (lonlat(tech.last_location) if getattr(tech, "last_location", None) is not None
                      else lonlat(tech.home_base))
    appliances = [
        {"brand": a.brand, "model": a.model, "serial": a.serial, "quantity": a.quantity}
        for a in order.appliances if a.category == job.category
    ]
    out = {
        "id": str(job.id), "status": job.status, "service_type": job.service_type, "category": job.category,
        **_names(session, job),
        "order_ref": order.external_order_id,
        "window_start": _iso(job.window_start), "window_end": _iso(job.window_end),
        "scheduled_start": _iso(job.scheduled_start),
        "planned_arrival": _iso(stop.arrival if stop is not None else job.scheduled_start),
        "route_position": stop.position if stop is not None else None,
        "duration_minutes": job.duration_minutes,
        "pay_cents": estimated_pay_cents(session, job, tech),
        "distance_m": round(haversine_m(origin[0], origin[1], lon, lat)),
        "appliances": appliances,
        "problem_description": order.problem_description,
        "notes": order.notes if until else None,
        "allowed_actions": allowed_actions_for(session, job, principal),
        "version": job.version,
        "contact": None,
    }
    if until is not None:
        out["contact"] = {
            "name": order.contact_name, "phone": order.contact_phone, "address": order.address,
            "lon": lon, "lat": lat, "visible_until": None if until == datetime.max else _iso(until),
        }
    if offer is not None:
        out["offer"] = {"expires_at": _iso(offer.expires_at), "mode": dispatch_mode(session, job)}
    return out


def _local_day_bounds(day, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tz)
    return start.astimezone(timezone.utc), (start + timedelta(days=1)).astimezone(timezone.utc)


def home(session: Session, tech: Technician, principal, settings: Settings, here=None, days: int = 2) -> dict:
    tz = ZoneInfo(settings.city_timezone)
    today = utcnow().astimezone(tz).date()
    start, _ = _local_day_bounds(today, tz)
    _, end = _local_day_bounds(today + timedelta(days=days - 1), tz)
    shown = tuple(HELD) + (JobStatus.completed,)
    mine = list(session.scalars(
        select(Job).where(Job.technician_id == tech.id, Job.status.in_(shown), Job.window_start < end,
                          Job.window_end >= start)
    ))
    stops = _planned_stops(session, tech.id, [j.id for j in mine])

    def route_key(j: Job):
        s = stops.get(j.id)
        planned = s.arrival if s is not None else (j.scheduled_start or j.window_start)
        return (planned if planned.tzinfo else planned.replace(tzinfo=timezone.utc), j.window_start)

    by_day: dict = {today + timedelta(days=d): [] for d in range(days)}
    for j in sorted(mine, key=route_key):
        day = (j.window_start if j.window_start.tzinfo else j.window_start.replace(tzinfo=timezone.utc)).astimezone(tz).date()
        by_day.setdefault(max(day, today), []).append(card(session, j, tech, principal, settings,
                                                           stop=stops.get(j.id), here=here))
    now = utcnow()
    open_offers = session.execute(
        select(JobOffer, Job).join(Job, Job.id == JobOffer.job_id)
        .where(JobOffer.technician_id == tech.id, JobOffer.status == OfferStatus.open, Job.status == JobStatus.offered)
        .order_by(JobOffer.expires_at)
    ).all()
    offers = [
        card(session, j, tech, principal, settings, here=here, offer=o)
        for o, j in open_offers
        if o.expires_at is None or (o.expires_at if o.expires_at.tzinfo else o.expires_at.replace(tzinfo=timezone.utc)) > now
    ]
    return {
        "technician": {"name": tech.name, "on_duty": tech.on_duty},
        "server_time": _iso(now),
        "timezone": settings.city_timezone,
        "days": [{"date": d.isoformat(), "jobs": js} for d, js in sorted(by_day.items())],
        "offers": offers,
    }


def job_detail(session: Session, job: Job, tech: Technician, principal, settings: Settings, here=None) -> dict:
    """The whole job for its technician; for a technician only offered it, the card alone."""

    offer = session.scalar(select(JobOffer).where(JobOffer.job_id == job.id, JobOffer.technician_id == tech.id,
                                                  JobOffer.status == OfferStatus.open))
    stop = _planned_stops(session, tech.id, [job.id]).get(job.id)
    out = {"job": card(session, job, tech, principal, settings, stop=stop, here=here, offer=offer),
           "checklist": None, "charges": None, "price_items": [], "warranty": None}
    if job.technician_id != tech.id:
        return out
    out["checklist"] = ChecklistOut.model_validate(view(session, job)).model_dump(mode="json")
    sheet = charges.sheet_for(session, job)
    out["charges"] = {
        "closed": sheet.closed_at is not None,
        "items": [ChargeOut.model_validate(c).model_dump(mode="json") for c in charges.charges_of(session, [job.id])],
    }
    out["price_items"] = [PriceItemOut.of(i).model_dump(mode="json") for i in extra_items(list_for_job(session, job))]
    decision = warranty_decision(session, job)
    if decision is not None:
        out["warranty"] = {"status": decision.status, "reason_zh": decision.reason_zh, "reason_en": decision.reason_en}
    return out
