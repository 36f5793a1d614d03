"""Which technicians could do a job: the candidate query, on the spatial index of either database.

A technician is a candidate when they are active, their service area contains the job's location,
and on some local day the job's window touches: every required skill is valid that day (a skill
with an expired or not-yet-valid certificate does not count; one without a certificate does), it is
not one of their days off, and one of that weekday's shifts lets the job start inside its window
and finish within the shift. Candidates come nearest home base first.

PostGIS: the home-base GiST index is walked nearest-first (KNN `<->`) until `limit` candidates are
found. `<->` measures plain degrees, which overstates east-west distances by 1/cos(latitude), so
the first walk only bounds the answer: whoever is truly nearer than the farthest of those `limit`
lies within radius/cos(latitude) degrees, and a second, index-bounded ST_DWithin pass ranks that
disc exactly. SpatiaLite: the service area's R*Tree table narrows the rows before ST_Contains.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, column, exists, func, literal, literal_column, not_, or_, select, table
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from app.config import get_settings
from app.geo import haversine_m, lonlat
from app.technicians.models import DayOff, Technician, TechnicianSkill, WeeklyShift

# SpatiaLite's R*Tree over technicians.service_area (created by the migration, keyed by rowid).
_RTREE = table("idx_technicians_service_area", column("pkid"), column("xmin"), column("xmax"), column("ymin"), column("ymax"))

# A window longer than this is only searched over its first days; jobs are visits, not projects.
MAX_WINDOW_DAYS = 14


@dataclass(frozen=True)
class JobNeed:
    """What the query needs to know about a job, so dispatch can ask about a job not yet stored."""

    lon: float
    lat: float
    window_start: datetime
    window_end: datetime
    duration_minutes: int
    required_skills: tuple[str, ...]


@dataclass(frozen=True)
class LocalDay:
    day: date
    weekday: int
    # The window in wall-clock minutes after this day's local midnight (may fall outside 0..1440).
    window_start_min: float
    window_end_min: float


def need_for_job(job, at: datetime | None = None) -> JobNeed:
    """`at` pins the start time (e.g. a planned slot) instead of allowing the whole window."""
    lon, lat = lonlat(job.location)
    start, end = job.window_start, job.window_end
    if getattr(job, "earliest_start", None) and job.earliest_start > start:
        start = job.earliest_start
    if at is not None:
        start = end = at
    return JobNeed(lon, lat, start, end, int(job.duration_minutes), tuple(job.required_skills or ()))


def local_days(start: datetime, end: datetime, tz: ZoneInfo) -> list[LocalDay]:
    if end < start:
        return []
    ls, le = start.astimezone(tz).replace(tzinfo=None), end.astimezone(tz).replace(tzinfo=None)
    days, d = [], ls.date()
    while d <= le.date() and len(days) < MAX_WINDOW_DAYS:
        midnight = datetime.combine(d, time())
        days.append(
            LocalDay(d, d.weekday(), (ls - midnight).total_seconds() / 60, (le - midnight).total_seconds() / 60)
        )
        d += timedelta(days=1)
    return days


def _day_clause(t, day: LocalDay, need: JobNeed) -> ColumnElement:
    s = WeeklyShift
    start_at = case((s.start_minute > day.window_start_min, s.start_minute), else_=literal(day.window_start_min))
    fits_shift = exists().where(
        s.technician_id == t.id,
        s.weekday == day.weekday,
        start_at <= day.window_end_min,
        start_at + need.duration_minutes <= s.end_minute,
    )
    day_off = exists().where(DayOff.technician_id == t.id, DayOff.day == day.day)
    skills = [
        exists().where(
            TechnicianSkill.technician_id == t.id,
            TechnicianSkill.skill == code,
            or_(TechnicianSkill.valid_from.is_(None), TechnicianSkill.valid_from <= day.day),
            or_(TechnicianSkill.valid_until.is_(None), TechnicianSkill.valid_until >= day.day),
        )
        for code in dict.fromkeys(need.required_skills)
    ]
    return and_(fits_shift, not_(day_off), *skills)


def _job_point(dialect: str, need: JobNeed):
    if dialect == "sqlite":
        return func.MakePoint(need.lon, need.lat, 4326)
    return func.ST_SetSRID(func.ST_MakePoint(need.lon, need.lat), 4326)


def _rank(t, need: JobNeed) -> ColumnElement:
    """Squared equirectangular distance in degrees of latitude: monotone in metres at city scale."""
    c = math.cos(math.radians(need.lat))
    dx = (func.ST_X(t.home_base) - need.lon) * c
    dy = func.ST_Y(t.home_base) - need.lat
    return dx * dx + dy * dy


def _eligible(t, need: JobNeed, days: list[LocalDay], pt) -> ColumnElement:
    return and_(
        t.active.is_(True),
        func.ST_Contains(t.service_area, pt),
        or_(*[_day_clause(t, d, need) for d in days]),
    )


def candidate_statement(dialect: str, need: JobNeed, limit: int, tz: ZoneInfo):
    """The SELECT of (Technician, rank) rows; None when the window cannot contain the job at all."""
    days = local_days(need.window_start, need.window_end, tz)
    if not days:
        return None
    pt = _job_point(dialect, need)
    t = Technician
    if dialect == "sqlite":
        # SpatiaLite never consults its R*Tree by itself: ask the index table for the bounding boxes.
        boxes = select(_RTREE.c.pkid).where(
            _RTREE.c.xmin <= need.lon,
            _RTREE.c.xmax >= need.lon,
            _RTREE.c.ymin <= need.lat,
            _RTREE.c.ymax >= need.lat,
        )
        rank = _rank(t, need)
        return (
            select(t, rank.label("rank"))
            .where(literal_column("technicians.rowid").in_(boxes), _eligible(t, need, days, pt))
            .order_by(rank, t.id)
            .limit(limit)
        )

    # PostGIS: nearest-first walk over the home-base index, then the exact pass inside its bound.
    knn_t = aliased(Technician, name="knn_t")
    walk = (
        select(knn_t.home_base.label("home_base"))
        .where(_eligible(knn_t, need, days, pt))
        .order_by(knn_t.home_base.op("<->")(pt))
        .limit(limit)
        .cte("knn_walk")
    )
    c = math.cos(math.radians(need.lat))
    bound_rank = select(func.max(_rank(walk.c, need))).scalar_subquery()
    # Truly nearer than the farthest walked candidate => within sqrt(bound)/c plain degrees.
    radius = func.sqrt(bound_rank) / c * (1 + 1e-9) + 1e-12
    rank = _rank(t, need)
    return (
        select(t, rank.label("rank"))
        .where(func.ST_DWithin(t.home_base, pt, radius), _eligible(t, need, days, pt))
        .order_by(rank, t.id)
        .limit(limit)
    )


def candidates_for_need(
    session: Session, need: JobNeed, limit: int = 20
) -> list[tuple[Technician, float]]:
    tz = ZoneInfo(get_settings().city_timezone)
    stmt = candidate_statement(session.get_bind().dialect.name, need, limit, tz)
    if stmt is None:
        return []
    out = []
    for tech, _rank_value in session.execute(stmt).all():
        hx, hy = lonlat(tech.home_base)
        out.append((tech, haversine_m(hx, hy, need.lon, need.lat)))
    # The rank and the great-circle distance agree to well under a metre at city scale; sort on the
    # figure we show so the list never looks out of order.
    out.sort(key=lambda p: (p[1], p[0].id))
    return out


def candidates_for_job(
    session: Session, job, limit: int = 20, at: datetime | None = None
) -> list[tuple[Technician, float]]:
    """Candidate technicians for a stored job, nearest first, as (technician, distance in metres)."""
    return candidates_for_need(session, need_for_job(job, at), limit)
