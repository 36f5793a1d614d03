"""Bookable visit slots: the next few days in fixed slots (e.g. 2 hours), each marked available when at
least one technician covering the address could still fit the visit into their day.

Per local day: the candidate query (app/technicians/candidates.py) narrows the city to the nearest
technicians whose area, skills, certificates, days off and shifts allow the visit on that day at all;
then, for each of them, the dispatch library's insertion check (dispatch/insertion.py) tries the visit
in every slot against the jobs they already hold that day (travel, every later job's window, the
shift's end, working time, job count). A slot is full when nobody can take it.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

import dispatch
from app.catalogue.service import entry_for
from app.config import Settings
from app.errors import invalid
from app.models_base import utcnow
from app.planning.translate import day_context, realtime_problem
from app.pricing.service import applicable_list, labour_item
from app.technicians import coverage
from app.technicians.candidates import JobNeed, candidates_for_need
from dispatch.compiled import compile_problem
from dispatch.insertion import Blocked, best_insertion
from dispatch.schedule import simulate

DEFAULT_DAY = (time(8, 0), time(20, 0))


@dataclass
class Slot:
    start: datetime
    end: datetime
    available: bool = False
    technicians: int = 0  # how many could take it (counted only up to the first)


def day_slots(day: date, tz: ZoneInfo, settings: Settings, not_before: datetime) -> list[Slot]:
    hours = coverage.service_hours()
    opens, closes = (hours.start, hours.end) if hours else DEFAULT_DAY
    step = timedelta(hours=settings.booking_slot_hours)
    at, close = datetime.combine(day, opens, tz), datetime.combine(day, closes, tz)
    out = []
    while at + step <= close:
        if at >= not_before:
            out.append(Slot(at, at + step))
        at += step
    return out


def visit_price(session: Session, category: str, service_type: str, entry) -> dict:
    """The published price of the visit: the platform price list's labour line, else the catalogue's."""
    item = labour_item(applicable_list(session, None, category), service_type)
    if item is not None:
        return {"cents": item.unit_price_cents, "code": item.code, "name_zh": item.name_zh, "name_en": item.name_en}
    return {"cents": entry.base_price_cents, "code": f"labour.{service_type}", "name_zh": entry.title_zh,
            "name_en": entry.title_en}


def _fits(tech: dispatch.Technician, held: list[dispatch.Job], visits: list[dispatch.Job],
          problem: dispatch.ProblemData, wanted: list[int]) -> set[int]:
    """Which of the wanted visits this technician could insert into the route they hold."""
    sub = dispatch.ProblemData(technicians=(tech,), jobs=tuple(held) + tuple(visits), travel=problem.travel,
                               weights=problem.weights)
    c = compile_problem(sub)
    sched = simulate(c, 0, list(range(len(held))))
    return {i for i in wanted if not isinstance(best_insertion(c, sched, len(held) + i), Blocked)}


def _route_of(problem: dispatch.ProblemData, tech_id: str) -> list[dispatch.Job]:
    mine = [j for j in problem.jobs if j.pinned_technician == tech_id]
    return sorted(mine, key=lambda j: (not j.started, j.pinned_sequence if j.pinned_sequence is not None else 10**9))


def _skills_valid(tech: dispatch.Technician, skills: list[str], start: int, end: int) -> bool:
    """The candidate query asked about the whole span; a certificate may lapse on one of its days."""
    held = {k.code: k for k in tech.skills}
    return all(code in held and (held[code].valid_from is None or held[code].valid_from <= start)
               and (held[code].valid_until is None or held[code].valid_until >= end) for code in skills)


# Technicians whose routes are built at once; most slots are answered by the nearest one or two, so the
# others' routes are only loaded for the slots still open.
BATCH = 4


def day_availability(session: Session, lon: float, lat: float, skills: list[str], duration_minutes: int,
                     slots: list[Slot], tz: ZoneInfo, settings: Settings, nearest=None) -> None:
    """Mark each slot of one local day available if some nearby covering technician can take it.
    `nearest`: the candidate query's answer for a span including this day (asked here if omitted)."""
    if not slots:
        return
    if nearest is None:
        need = JobNeed(lon, lat, slots[0].start, slots[-1].end, duration_minutes, tuple(skills))
        nearest = candidates_for_need(session, need, limit=settings.booking_slot_candidates)
    if not nearest:
        return
    ctx = day_context(slots[0].start.astimezone(tz).date(), tz.key)
    visits = [
        dispatch.Job(id=f"slot-{i}", location=dispatch.Location(x=lon, y=lat), service_seconds=duration_minutes * 60,
                     windows=(dispatch.TimeWindow(start=ctx.seconds(s.start), end=ctx.seconds(s.end)),),
                     required_skills=tuple(skills))
        for i, s in enumerate(slots)
    ]
    open_ = set(range(len(slots)))
    ids = [t.id for t, _ in nearest]  # nearest first
    for at in range(0, len(ids), BATCH):
        if not open_:
            break
        problem = realtime_problem(session, ctx, set(ids[at:at + BATCH]), settings.city_speed_kmh)
        by_id = {t.id: t for t in problem.technicians}
        for tid in ids[at:at + BATCH]:
            t = by_id.get(str(tid))  # None: not working that day (weekday shift, day off)
            if t is None or not open_:
                continue
            wanted = sorted(i for i in open_ if _skills_valid(t, skills, visits[i].windows[0].start,
                                                                visits[i].windows[0].end))
            for i in _fits(t, _route_of(problem, t.id), visits, problem, wanted):
                slots[i].available, slots[i].technicians = True, 1
                open_.discard(i)


def booking_slots(session: Session, lon: float, lat: float, category: str, service_type: str,
                  settings: Settings, now: datetime | None = None) -> dict:
    entry = entry_for(session, category, service_type, "category")
    skills = list(entry.skills)
    if not coverage.covering_technicians(session, lon, lat, skills):
        raise invalid("location", f"no service point covers {category} {service_type} at ({lon}, {lat}): no "
                      "active technician's service area includes this address with the skills it needs",
                      code="not-covered")
    tz = ZoneInfo(settings.city_timezone)
    now = now or utcnow()
    not_before = now + timedelta(minutes=settings.booking_lead_minutes)
    today = now.astimezone(tz).date()
    days = [day_slots(today + timedelta(days=d), tz, settings, not_before) for d in range(settings.booking_slot_days)]
    days = [d for d in days if d]
    nearest = []
    if days:
        # One candidate query for the whole span: whoever could do the visit on some day of it.
        need = JobNeed(lon, lat, days[0][0].start, days[-1][-1].end, entry.duration_minutes, tuple(skills))
        nearest = candidates_for_need(session, need, limit=settings.booking_slot_candidates)
    slots: list[Slot] = []
    for day in days:
        day_availability(session, lon, lat, skills, entry.duration_minutes, day, tz, settings, nearest)
        slots += day
    return {
        "category": category, "service_type": service_type, "duration_minutes": entry.duration_minutes,
        "timezone": tz.key, "price": visit_price(session, category, service_type, entry),
        "slots": [{"start": s.start.isoformat(), "end": s.end.isoformat(),
                   "status": "available" if s.available else "full"} for s in slots],
    }
