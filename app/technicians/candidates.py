"""Which technicians could do a job: the candidate query, on the spatial index of either database.

A technician is a candidate when they are active, their service area contains the job's location,
and on some local day the job's window touches: every required skill is valid that day (a skill
with an expired or not-yet-valid certificate does not count; one without a certificate does), it is
not one of their days off, and one of that weekday's shifts lets the job start inside its window
and finish within the shift. Candidates come nearest home base first.

PostGIS: the home-base GiST index is walked nearest-first (KNN `<->`) until `limit` candidates are
found. `<->` measures plain degrees, which overstates east-west distances by 1/cos(latitude), so
the walk only bounds the answer: whoever is truly nearer than the farthest of those `limit` lies
within sqrt(bound)/cos(latitude) degrees, and a second pass ranks that disc exactly, through the
same index (ST_DWithin). SpatiaLite: the service area's R*Tree table narrows the rows before
ST_Contains.

The SQL is written out rather than built with SQLAlchemy expressions: the query is on the dispatch
hot path and building it as an expression tree cost more than running it. The per-technician tests
are correlated subqueries that the planner keeps as per-row filters (OFFSET 0 stops PostgreSQL from
turning them into joins), which is what a nearest-first walk that stops early needs, and keeps
planning cheap.
"""

import math
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import TextClause, select, text
from sqlalchemy.orm import Session, defer

from app.config import get_settings
from app.geo import haversine_m, lonlat
from app.technicians.models import Technician

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


def _day_sql(dialect: str, i: int, n_skills: int) -> str:
    """Technician t can do the job on local day i: skills valid, not a day off, a shift that fits."""
    fence = "" if dialect == "sqlite" else " OFFSET 0"
    start_at = f"CASE WHEN s.start_minute > :ws{i} THEN s.start_minute ELSE :ws{i} END"
    parts = [
        f"EXISTS (SELECT 1 FROM weekly_shifts s WHERE s.technician_id = t.id AND s.weekday = :wd{i}"
        f" AND {start_at} <= :we{i} AND {start_at} + :duration <= s.end_minute{fence})",
        f"NOT EXISTS (SELECT 1 FROM days_off o WHERE o.technician_id = t.id AND o.day = :day{i}{fence})",
    ]
    if n_skills:
        codes = ", ".join(f":skill{k}" for k in range(n_skills))
        # (technician_id, skill) is unique, so counting the valid ones tells whether all are held.
        parts.insert(
            0,
            f"(SELECT count(*) FROM technician_skills k WHERE k.technician_id = t.id AND k.skill IN ({codes})"
            f" AND (k.valid_from IS NULL OR k.valid_from <= :day{i})"
            f" AND (k.valid_until IS NULL OR k.valid_until >= :day{i})) = {n_skills}",
        )
    # Most-selective test first, and in that order: the planner sorts plain AND-ed subqueries by
    # its own cost guess, which would probe days off for every walked technician.
    out = parts[-1]
    for part in reversed(parts[:-1]):
        out = f"CASE WHEN {part} THEN {out} ELSE FALSE END"
    return f"({out})"


def _days_sql(dialect: str, n_days: int, n_skills: int) -> str:
    active = "t.active = 1" if dialect == "sqlite" else "t.active"
    days = " OR ".join(_day_sql(dialect, i, n_skills) for i in range(n_days))
    return f"{active} AND ({days})"


# Squared equirectangular distance in degrees of latitude: monotone in metres at city scale.
_RANK = "((ST_X(t.home_base) - :lon) * :coslat) * ((ST_X(t.home_base) - :lon) * :coslat)" \
        " + (ST_Y(t.home_base) - :lat) * (ST_Y(t.home_base) - :lat)"


# The nearest-first walk looks at no more than this many home bases; a job that finds fewer than
# `limit` candidates among them falls back to the complete pass over the covering service areas.
WALK_CAP = 2000


@lru_cache(maxsize=256)
def _query_text(dialect: str, n_days: int, n_skills: int, walk: bool = False) -> TextClause:
    if dialect == "sqlite":
        pt = "MakePoint(:lon, :lat, 4326)"
        # SpatiaLite never consults its R*Tree by itself: ask the index table for the bounding boxes.
        covering = ("t.rowid IN (SELECT pkid FROM idx_technicians_service_area"
                    " WHERE xmin <= :lon AND xmax >= :lon AND ymin <= :lat AND ymax >= :lat)")
    else:
        pt = "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)"
        covering = "TRUE"  # ST_Contains below is answered from the GiST index on service_area
    works = _days_sql(dialect, n_days, n_skills)
    # PostgreSQL: the skills held (technicians.skill_codes) are tested before the polygon and the
    # per-technician subqueries, so a walked technician of the wrong trade costs one array test.
    holds = ""
    if dialect != "sqlite" and n_skills:
        codes = ", ".join(f":skill{k}" for k in range(n_skills))
        holds = f"t.skill_codes @> CAST(ARRAY[{codes}] AS varchar(40)[]) AND "
    if not walk:
        # The fence (OFFSET 0) makes the polygon test run first, on the rows the spatial index
        # gives; PostGIS prices its functions so high that the planner would otherwise run the
        # per-technician subqueries first, on every covering bounding box.
        fence = "" if dialect == "sqlite" else " OFFSET 0"
        return text(f"""
SELECT t.id, ST_X(t.home_base) AS lon, ST_Y(t.home_base) AS lat
FROM (SELECT t.id, t.active, t.home_base FROM technicians t
      WHERE {holds}{covering} AND ST_Contains(t.service_area, {pt}){fence}) t
WHERE {works}
ORDER BY {_RANK}, t.id
LIMIT :limit""")
    # PostGIS fast path. The inner LIMIT keeps the walk short even when few technicians qualify;
    # the outer LIMIT stops it as soon as `limit` of them do. "IS TRUE" keeps the service-area
    # index out of the second pass: the home-base disc is far more selective there.
    contains = f"ST_Contains(t.service_area, {pt}) IS TRUE"
    return text(f"""
WITH walk AS (
  SELECT t.home_base FROM (
    SELECT t.id, t.active, t.home_base, t.service_area, t.skill_codes FROM technicians t
    ORDER BY t.home_base <-> {pt} LIMIT :walk_cap
  ) t
  WHERE {holds}{contains} AND {works}
  LIMIT :limit
)
SELECT t.id, ST_X(t.home_base) AS lon, ST_Y(t.home_base) AS lat
FROM technicians t
WHERE ST_DWithin(t.home_base, {pt},
        (SELECT sqrt(max({_RANK})) / :coslat * 1.000000001 + 1e-12 FROM walk t))
  AND {holds}{contains} AND {works}
ORDER BY {_RANK}, t.id
LIMIT :limit""")


def candidate_query(
    dialect: str, need: JobNeed, limit: int, tz: ZoneInfo, walk: bool = False
) -> tuple[TextClause, dict] | None:
    """The SQL and its parameters; None when the window cannot contain the job at all.

    `walk` (PostGIS only) asks for the nearest-first walk, which is exact when it finds `limit`
    candidates; otherwise the complete pass over the covering service areas answers.
    """
    days = local_days(need.window_start, need.window_end, tz)
    if not days:
        return None
    skills = list(dict.fromkeys(need.required_skills))
    params: dict = {
        "lon": need.lon, "lat": need.lat, "coslat": math.cos(math.radians(need.lat)),
        "duration": need.duration_minutes, "limit": limit, "walk_cap": WALK_CAP,
    }
    for k, code in enumerate(skills):
        params[f"skill{k}"] = code
    for i, d in enumerate(days):
        # SQLite keeps dates as ISO text; PostgreSQL compares real dates.
        params.update({f"day{i}": d.day.isoformat() if dialect == "sqlite" else d.day, f"wd{i}": d.weekday,
                       f"ws{i}": d.window_start_min, f"we{i}": d.window_end_min})
    if not walk:
        del params["walk_cap"]
    return _query_text(dialect, len(days), len(skills), walk and dialect != "sqlite"), params


def candidates_for_need(session: Session, need: JobNeed, limit: int = 20) -> list[tuple[Technician, float]]:
    tz = ZoneInfo(get_settings().city_timezone)
    dialect = session.get_bind().dialect.name
    query = candidate_query(dialect, need, limit, tz, walk=dialect == "postgresql")
    if query is None:
        return []
    rows = session.execute(*query).all()
    if dialect == "postgresql" and len(rows) < limit:
        rows = session.execute(*candidate_query(dialect, need, limit, tz)).all()
    if not rows:
        return []
    ids = [r.id if isinstance(r.id, uuid.UUID) else uuid.UUID(r.id) for r in rows]
    distance = {i: haversine_m(r.lon, r.lat, need.lon, need.lat) for i, r in zip(ids, rows)}
    # Not the service area: a multipolygon per candidate that no caller of a ranking reads.
    techs = session.scalars(
        select(Technician).where(Technician.id.in_(ids)).options(defer(Technician.service_area))
    ).all()
    # The SQL rank and the great-circle distance agree to well under a metre at city scale; sort on
    # the figure we show so the list never looks out of order.
    return sorted(((t, distance[t.id]) for t in techs), key=lambda p: (p[1], p[0].id))


def candidates_for_job(
    session: Session, job, limit: int = 20, at: datetime | None = None
) -> list[tuple[Technician, float]]:
    """Candidate technicians for a stored job, nearest first, as (technician, distance in metres)."""
    return candidates_for_need(session, need_for_job(job, at), limit)
