"""What the consumer's tracking page shows in one answer: the order and its visits in words the page can
label (codes plus the catalogue's names), each technician's name and rating, their position and an ETA
while they are on the way, and what the consumer may still change and at what cost."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.catalogue.models import ApplianceCategory
from app.config import Settings
from app.consumer import changes
from app.consumer.models import ConsumerChange
from app.feedback.models import JobRating
from app.geo import haversine_m, lonlat
from app.jobs.models import JobStatus
from app.models_base import utcnow
from app.orders.models import Order
from app.orders.tracking import tracking_view
from app.technicians.models import Technician

# A reported position older than this is not shown as "where the technician is now".
POSITION_FRESH = timedelta(minutes=15)


def _iso(dt, tz):
    return None if dt is None else dt.astimezone(tz).isoformat()


def _technician(session: Session, tech: Technician | None, job, order_lonlat, settings: Settings, tz) -> dict | None:
    if tech is None:
        return None
    stars, count = session.execute(
        select(func.avg(JobRating.stars), func.count()).where(JobRating.technician_id == tech.id)).one()
    out = {"name": tech.name, "initial": tech.name[:1], "rating": round(float(stars), 1) if stars else None,
           "ratings": count, "position": None, "eta": None, "distance_m": None}
    if job.status == JobStatus.en_route and tech.last_location is not None and tech.last_location_at is not None \
            and utcnow() - tech.last_location_at <= POSITION_FRESH:
        lon, lat = lonlat(tech.last_location)
        metres = haversine_m(lon, lat, *order_lonlat)
        # Straight-line distance at the city's travel speed, stretched for streets (x1.3), at least a minute.
        seconds = max(60.0, metres * 1.3 / (settings.city_speed_kmh / 3.6))
        out.update(position={"lon": lon, "lat": lat, "at": _iso(tech.last_location_at, tz)},
                   eta=_iso(utcnow() + timedelta(seconds=seconds), tz), distance_m=round(metres))
    return out


def overview(session: Session, order: Order, settings: Settings) -> dict:
    tz = ZoneInfo(settings.city_timezone)
    view = tracking_view(session, order, tz)
    jobs = {str(j.id): j for j in order.jobs}
    techs = {t.id: t for t in session.scalars(select(Technician).where(
        Technician.id.in_([j.technician_id for j in order.jobs if j.technician_id])))} if order.jobs else {}
    names = {c.code: c for c in session.scalars(select(ApplianceCategory))}
    here = lonlat(order.location)
    for v in view["jobs"]:
        job = jobs[v["id"]]
        cat = names.get(job.category)
        v["category_zh"], v["category_en"] = (cat.name_zh, cat.name_en) if cat else (job.category, job.category)
        v["technician"] = _technician(session, techs.get(job.technician_id), job, here, settings, tz)
    rule = changes.rule_for(order, settings)
    history = session.scalars(select(ConsumerChange).where(ConsumerChange.order_id == order.id)
                              .order_by(ConsumerChange.at)).all()
    appliance = order.appliances[0] if order.appliances else None
    view.update(
        location={"lon": here[0], "lat": here[1]},
        appliance=None if appliance is None else {
            "category": appliance.category, "brand": appliance.brand, "model": appliance.model,
            "category_zh": names[appliance.category].name_zh if appliance.category in names else appliance.category,
            "category_en": names[appliance.category].name_en if appliance.category in names else appliance.category,
        },
        problem_description=order.problem_description,
        change={
            "allowed": rule.allowed, "fee_cents": rule.fee_cents, "why_not": rule.why_not,
            "until": _iso(rule.until, tz), "free_until": _iso(rule.free_until, tz),
            "late_fee_cents": settings.consumer_late_change_fee_cents,
        },
        changes=[{"kind": c.kind, "fee_cents": c.fee_cents, "at": _iso(c.at, tz), "to_start": _iso(c.to_start, tz),
                  "to_end": _iso(c.to_end, tz)} for c in history],
        cancel_reason=order.cancel_reason,
        position_poll_seconds=settings.tracking_position_poll_seconds,
        map_tile_url=settings.map_tile_url or None,
        timezone=tz.key,
    )
    return view
