"""Which technician may take which job, and why not.

The same pre-check restricts the solver's choices, ranks offers and explains unassigned jobs, so a
job is never silently dropped: every (job, technician) pair gets one of the ``Why`` codes below.
"""
from __future__ import annotations

from enum import IntEnum

import numpy as np
import shapely

from .compiled import INF_TIME, Compiled
from .problem import Job, MultiPolygon, ProblemData


class Why(IntEnum):
    OK = 0
    OUTSIDE_AREA = 1
    SKILL_MISSING = 2
    CERTIFICATE_EXPIRED = 3
    CAPACITY = 4
    TIME = 5
    PINNED_ELSEWHERE = 6


def area_geometry(area: MultiPolygon) -> shapely.Geometry:
    polygons = [shapely.Polygon(poly[0], poly[1:]) for poly in area]
    geom = shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    shapely.prepare(geom)
    return geom


def coverage(c: Compiled) -> np.ndarray:
    """(n_jobs, n_techs) bool: the job's address lies in the technician's service area."""
    techs = c.problem.technicians
    xy = c.points[c.job_point]
    out = np.ones((c.n_jobs, c.n_techs), dtype=bool)
    geoms: dict[MultiPolygon, np.ndarray] = {}
    for t, tech in enumerate(techs):
        if tech.service_area is None:
            continue
        if tech.service_area not in geoms:
            geom = area_geometry(tech.service_area)
            geoms[tech.service_area] = shapely.intersects_xy(geom, xy[:, 0], xy[:, 1]) if len(xy) else np.zeros(0, bool)
        out[:, t] = geoms[tech.service_area]
    return out


def job_span(c: Compiled, j: int) -> tuple[int, int]:
    """Earliest and latest service start the job's windows allow (without shifts)."""
    w = c.windows[j]
    lo = -INF_TIME if not w else w[0][0]
    hi = INF_TIME if not w else w[-1][1] + c.max_lateness
    return max(lo, int(c.earliest[j])), hi


def earliest_start_at(windows, arrival: float, max_lateness: int) -> tuple[float, float] | None:
    """Service start and lateness for a technician arriving at ``arrival``; None if too late."""
    if not windows:
        return arrival, 0.0
    for ws, we in windows:
        if arrival <= we + max_lateness:
            start = max(arrival, ws)
            return start, max(0.0, start - we)
    return None


SkillHolders = dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]


def skill_holders(techs) -> SkillHolders:
    """skill code -> (holder technician, valid_from, valid_until) arrays, for vectorised checks."""
    rows: dict[str, list[tuple[int, float, float]]] = {}
    for t, tech in enumerate(techs):
        for sk in tech.skills:
            rows.setdefault(sk.code, []).append(
                (t, -np.inf if sk.valid_from is None else sk.valid_from, np.inf if sk.valid_until is None else sk.valid_until))
    return {code: tuple(np.array(col) for col in zip(*r)) for code, r in rows.items()}


def skills_ok(holders: SkillHolders, codes, lo: float, hi: float, shift_start: np.ndarray,
              shift_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The one skill rule, for every technician at once: (holds every code, and each certificate is
    valid over the job's possible start times [lo, hi] clipped to the technician's shift).
    Used by the solver's pre-check and by real-time offers."""
    m = len(shift_start)
    has_all = np.ones(m, dtype=bool)
    valid_all = np.ones(m, dtype=bool)
    span_lo = np.maximum(lo, shift_start)
    span_hi = np.minimum(hi, shift_end)
    for code in codes:
        has = np.zeros(m, dtype=bool)
        valid = np.zeros(m, dtype=bool)
        if code in holders:
            holder, vf, vu = holders[code]
            has[holder] = True
            valid[holder[(vf <= span_lo[holder]) & (vu >= span_hi[holder])]] = True
        has_all &= has
        valid_all &= valid
    return has_all, valid_all


def static_why(required_skills, load: int, lo: float, hi: float, covered: np.ndarray, holders: SkillHolders,
               shift_start: np.ndarray, shift_end: np.ndarray, load_room: np.ndarray, jobs_room: np.ndarray) -> np.ndarray:
    """THE rule "may this technician take this job" before time is considered, for every technician
    at once: a ``Why`` per technician, checked in this order -- the address lies in the service area
    (``covered``), the technician holds every required skill, each certificate is valid over the
    job's possible start times [lo, hi] within the shift, the job's ``load`` fits ``load_room`` and
    one more job fits ``jobs_room``.

    The solver's pre-check (:func:`eligibility`, with the full capacity and job count as room), the
    real-time offers (``OfferBoard.eligible``, with the room left on each route) and the console's
    move check (:func:`may_take`) all call it; whether the job also fits in time is the insertion's
    question (``dispatch.insertion``). The service's SQL candidate query mirrors it."""
    why = np.full(len(shift_start), Why.OK, dtype=np.int8)
    why[~covered] = Why.OUTSIDE_AREA
    if required_skills:
        has_all, valid_all = skills_ok(holders, required_skills, lo, hi, shift_start, shift_end)
        ok = why == Why.OK
        why[ok & ~has_all] = Why.SKILL_MISSING
        why[ok & has_all & ~valid_all] = Why.CERTIFICATE_EXPIRED
    ok = why == Why.OK
    why[ok & ((load > load_room) | (jobs_room < 1))] = Why.CAPACITY
    return why


def may_take(problem: ProblemData, technician_id: str, job: Job) -> Why:
    """May ``technician_id`` take ``job`` (area, skills, certificates, van capacity and job count of
    an empty day)? For the console's move check; ask ``dispatch.insertion`` whether it fits the
    technician's route in time. Raises ``KeyError`` for an unknown technician."""
    t = problem.technician_index()[technician_id]
    tech = problem.technicians[t]
    covered = np.array([tech.service_area is None
                        or bool(shapely.intersects_xy(area_geometry(tech.service_area), job.location.x, job.location.y))])
    lo = job.windows[0].start if job.windows else -INF_TIME
    if job.earliest_start is not None:
        lo = max(lo, job.earliest_start)
    hi = job.windows[-1].end + problem.weights.max_lateness_seconds if job.windows else INF_TIME
    cap = np.array([INF_TIME if tech.capacity is None else tech.capacity])
    room = np.array([INF_TIME if tech.max_jobs is None else tech.max_jobs])
    why = static_why(job.required_skills, job.load, lo, hi, covered, skill_holders([tech]),
                     np.array([tech.shift.start]), np.array([tech.shift.end]), cap, room)
    return Why(int(why[0]))


def eligibility(c: Compiled) -> np.ndarray:
    """(n_jobs, n_techs) array of ``Why`` codes; ``Why.OK`` where the technician may take the job.

    Checks, in order: service area, skill codes, certificate validity over the job's possible
    start times within the shift, load vs capacity (and max_jobs = 0), and whether the job can be
    reached in one of its windows and the technician still get back before the shift ends.
    Pinned jobs are only ever allowed to their technician; skills and area are not re-checked for
    them (the job was accepted already).
    """
    n, m = c.n_jobs, c.n_techs
    why = np.full((n, m), Why.OK, dtype=np.int8)
    if n == 0 or m == 0:
        return why
    covered = coverage(c)
    techs = c.problem.technicians
    holders = skill_holders(techs)
    lat = c.max_lateness
    arrive = c.shift_start[None, :] + c.dur[c.tech_start_point[None, :], c.job_point[:, None]]  # (n, m)
    back = c.dur[c.job_point[:, None], c.tech_end_point[None, :]]  # (n, m)
    for j, job in enumerate(c.problem.jobs):
        row = why[j]
        if job.pinned_technician is not None:
            row[:] = Why.PINNED_ELSEWHERE
            row[c.tech_index[job.pinned_technician]] = Why.OK
        else:
            lo, hi = job_span(c, j)
            row[:] = static_why(job.required_skills, int(c.load[j]), lo, hi, covered[j], holders,
                                c.shift_start, c.shift_end, c.capacity, c.max_jobs)
        ok = np.flatnonzero(row == Why.OK)
        if len(ok) == 0:
            continue
        # Time: arrive as early as possible, start in the first window still open, finish, go home.
        e = np.maximum(arrive[j, ok], c.earliest[j]).astype(float)
        w = c.windows[j]
        if w:
            start = np.full(len(ok), np.inf)
            for ws, we in reversed(w):
                fits = e <= we + lat
                start = np.where(fits, np.maximum(e, ws), start)
        else:
            start = e
        finish = start + c.service[j] + back[j, ok]
        work = c.dur[c.tech_start_point[ok], c.job_point[j]] + c.service[j] + back[j, ok]
        late = ~np.isfinite(start) | (finish > c.shift_end[ok] + 1e-9) | (work > c.max_work[ok] + 1e-9)
        row[ok[late]] = Why.TIME
    return why
