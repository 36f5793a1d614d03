"""Whether Shifu can serve an order at all, asked at order time: an active technician's service area
covers the place with the skills the category's service needs, and each visit window meets the city's
service hours. Dispatch-time questions (shifts, certificates, days off) stay with the candidate query.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.catalogue.models import CatalogueEntry
from app.catalogue.service import entry_for
from app.config import get_settings
from app.orders.models import ServiceType


@dataclass(frozen=True)
class ServiceHours:
    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@lru_cache(maxsize=8)
def parse_hours(value: str) -> ServiceHours | None:
    """'08:00-21:00' -> ServiceHours; '' means no restriction."""
    if not value.strip():
        return None
    start, _, end = value.partition("-")
    hours = ServiceHours(time.fromisoformat(start.strip()), time.fromisoformat(end.strip()))
    if hours.end <= hours.start:
        raise ValueError(f"service hours {value!r}: the end must come after the start")
    return hours


def service_hours() -> ServiceHours | None:
    return parse_hours(get_settings().service_hours)


def window_meets_hours(start: datetime, end: datetime, hours: ServiceHours, tz: ZoneInfo) -> bool:
    """True if some part of [start, end) falls within the service hours of a local day it touches."""
    day = start.astimezone(tz).date()
    last = end.astimezone(tz).date()
    while day <= last:
        open_at = datetime.combine(day, hours.start, tz)
        close_at = datetime.combine(day, hours.end, tz)
        if start < close_at and end > open_at:
            return True
        day += timedelta(days=1)
    return False


def _covering_sql(dialect: str, n_skills: int) -> str:
    if dialect == "sqlite":
        pt = "MakePoint(:lon, :lat, 4326)"
        # SpatiaLite never consults its R*Tree by itself: ask the index table for the bounding boxes.
        near = ("t.rowid IN (SELECT pkid FROM idx_technicians_service_area"
                " WHERE xmin <= :lon AND xmax >= :lon AND ymin <= :lat AND ymax >= :lat) AND ")
        active = "t.active = 1"
    else:
        pt, near, active = "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)", "", "t.active"
    skills = ", ".join(f":skill{k}" for k in range(n_skills))
    has_skills = (f" AND (SELECT count(DISTINCT s.skill) FROM technician_skills s"
                  f" WHERE s.technician_id = t.id AND s.skill IN ({skills})) = {n_skills}") if n_skills else ""
    return f"SELECT count(*) FROM technicians t WHERE {near}{active} AND ST_Contains(t.service_area, {pt}){has_skills}"


def covering_technicians(session: Session, lon: float, lat: float, skills: list[str]) -> int:
    """How many active technicians' service areas contain the point and who hold every skill."""
    skills = sorted(set(skills))
    params = {"lon": lon, "lat": lat, **{f"skill{k}": s for k, s in enumerate(skills)}}
    return session.execute(text(_covering_sql(session.get_bind().dialect.name, len(skills))), params).scalar_one()


def skills_for(session: Session, category: str, service_type: str, field: str) -> list[str]:
    return list(entry_for(session, category, service_type, field).skills)


def answer(session: Session, lon: float, lat: float, category: str, service_type: ServiceType | None) -> dict:
    """GET /v1/coverage: per service of the category (or the one asked), is the place covered and by how
    many technicians; a delivery-and-install needs both services covered, any other question one."""
    if service_type is not None and service_type != ServiceType.delivery_install:
        entries = [entry_for(session, category, service_type, "category")]
    else:
        entries = list(session.scalars(select(CatalogueEntry).where(CatalogueEntry.category == category)
                                       .order_by(CatalogueEntry.service_type)))
        if not entries:
            entry_for(session, category, "repair", "category")  # names the unknown category
        if service_type == ServiceType.delivery_install:
            entries = [e for e in entries if e.service_type in (ServiceType.delivery, ServiceType.install)]
    services = []
    for e in entries:
        n = covering_technicians(session, lon, lat, list(e.skills))
        services.append({"service_type": e.service_type, "covered": n > 0, "technicians": n})
    hours = service_hours()
    covered = all(s["covered"] for s in services) if service_type == ServiceType.delivery_install else any(
        s["covered"] for s in services)
    return {
        "lon": lon, "lat": lat, "category": category, "covered": covered and bool(services), "services": services,
        "service_hours": str(hours) if hours else None, "timezone": get_settings().city_timezone,
    }
