"""Real-time offers: rank the technicians who can take one new job, in milliseconds.

An :class:`OfferBoard` holds every technician's current route (start = current position or home
base, the accepted jobs in order) with its earliest schedule. For a new job it

1. keeps the technicians whose skills (valid at the job's time), capacity and job count allow it
   (numpy masks, no per-technician Python);
2. ranks them by how close their route passes (a vectorised nearest-stop scan over all stops of
   all routes, equirectangular for geographic problems) and keeps the ``candidates`` closest --
   the spatial prefilter: a technician whose every stop is far cannot insert the job cheaply;
3. checks the service area (prepared shapely geometry) and then every insertion position exactly
   with the travel model: the job's window, every later job's window (push-forward until it is
   absorbed by waiting), the shift end and the working-time limit;
4. returns the k cheapest offers by extra cost (travel metric + lateness + quality weight).

A technician with breaks is checked by the batch insertion routine on a route compiled on its own
(a break can move when a job is inserted), which is exact but slower than the push-forward.

It does not build a full travel matrix, so a city of 2,000 technicians x 10 jobs is fine.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import shapely

from .eligibility import Why, area_geometry, earliest_start_at, skill_holders, static_why
from .compiled import compile_problem
from .insertion import Blocked, best_insertion, push_forward
from .problem import Job, ProblemData
from .schedule import simulate
from .travel import OsrmTravel

_INF = float("inf")


@dataclass(frozen=True)
class Offer:
    technician_id: str
    eta: float  # when service of the new job would start
    arrival: float
    extra_travel_seconds: float
    extra_distance: float
    insert_position: int  # index the job would take in the technician's route
    extra_cost: float


@dataclass
class _Route:
    tech: int
    jobs: list[int]
    xy: np.ndarray  # (L + 2, 2): start, jobs, end
    leg_dur: np.ndarray  # (L + 1,)
    leg_dist: np.ndarray
    start: list[float]
    end: list[float]
    lateness: list[float]
    load: int
    work: float


class OfferBoard:
    """Technicians' current routes prepared for fast offer ranking.

    ``routes`` maps technician id -> job ids in visiting order (jobs from ``problem``); when
    omitted, each technician's pinned jobs in ``pinned_sequence`` order are used.
    """

    def __init__(self, problem: ProblemData, routes: Mapping[str, Sequence[str]] | None = None,
                 metric: str = "travel_time") -> None:
        self.problem = problem
        self.metric = metric
        self.travel = problem.travel
        techs = problem.technicians
        m = len(techs)
        self.tech_index = problem.technician_index()
        self.job_index = problem.job_index()
        if routes is None:
            routes = _pinned_routes(problem)
        self.shift_start = np.array([t.shift.start for t in techs], dtype=float)
        self.shift_end = np.array([t.shift.end for t in techs], dtype=float)
        self.capacity = np.array([_INF if t.capacity is None else t.capacity for t in techs])
        self.max_jobs = np.array([_INF if t.max_jobs is None else t.max_jobs for t in techs])
        self.max_work = np.array([_INF if t.max_work_seconds is None else t.max_work_seconds for t in techs])
        self.quality = np.array([t.quality for t in techs])
        self._areas: dict[int, shapely.Geometry] = {}
        self._skills = skill_holders(techs)
        self.routes: list[_Route] = [None] * m  # type: ignore[list-item]
        for t in range(m):
            ids = routes.get(techs[t].id, ())
            self.routes[t] = self._build_route(t, [self.job_index[j] for j in ids])
        self._rebuild_index()

    # -- state ---------------------------------------------------------------------------
    def _build_route(self, t: int, jobs: list[int]) -> _Route:
        tech = self.problem.technicians[t]
        pj = self.problem.jobs
        xy = np.array([(tech.start.x, tech.start.y)] + [(pj[j].location.x, pj[j].location.y) for j in jobs]
                      + [(tech.end_location.x, tech.end_location.y)], dtype=float)
        dist, dur = self.travel.pairs(xy[:-1], xy[1:])
        if not jobs:
            dist, dur = np.zeros(1), np.zeros(1)  # an idle technician does not drive home
        lat = self.problem.weights.max_lateness_seconds
        clock = float(tech.shift.start)
        start, end, late = [], [], []
        for k, j in enumerate(jobs):
            job = pj[j]
            ready = clock + float(dur[k])
            if job.earliest_start is not None:
                ready = max(ready, job.earliest_start)
            windows = () if job.started else [(w.start, w.end) for w in job.windows]
            fit = earliest_start_at(windows, ready, lat)
            s, lt = fit if fit is not None else (ready, ready - windows[-1][1])
            start.append(s)
            late.append(lt)
            clock = s + job.service_seconds
            end.append(clock)
        work = float(dur.sum()) + float(sum(pj[j].service_seconds for j in jobs))
        return _Route(tech=t, jobs=jobs, xy=xy, leg_dur=dur, leg_dist=dist, start=start, end=end, lateness=late,
                      load=int(sum(pj[j].load for j in jobs)), work=work)

    def _rebuild_index(self) -> None:
        xy = [r.xy for r in self.routes]
        self._pt_xy = np.vstack(xy) if xy else np.zeros((0, 2))
        self._pt_start = np.cumsum([0] + [len(a) for a in xy[:-1]]).astype(np.int64) if xy else np.zeros(0, np.int64)
        self._coslat = float(np.cos(np.radians(np.mean(self._pt_xy[:, 1])))) if self.travel.geographic and len(self._pt_xy) else 1.0
        self._load = np.array([r.load for r in self.routes], dtype=float)
        self._count = np.array([len(r.jobs) for r in self.routes], dtype=float)
        self._work = np.array([r.work for r in self.routes], dtype=float)

    def add_job(self, job: Job, technician_id: str, position: int) -> None:
        """Record an accepted offer: the job joins that technician's route at ``position``."""
        if job.id not in self.job_index:
            self.problem = self.problem.replace(jobs=self.problem.jobs + (job,))
            self.job_index[job.id] = len(self.problem.jobs) - 1
        t = self.tech_index[technician_id]
        jobs = list(self.routes[t].jobs)
        jobs.insert(position, self.job_index[job.id])
        self.routes[t] = self._build_route(t, jobs)
        self._rebuild_index()

    # -- queries -------------------------------------------------------------------------
    def eligible(self, job: Job) -> np.ndarray:
        """Technicians whose skills (valid over the job's windows), load and job count allow it
        (``eligibility.static_why`` with the room left on each route; the service area is checked
        afterwards, only for the nearest candidates)."""
        lo = job.windows[0].start if job.windows else -_INF
        if job.earliest_start is not None:
            lo = max(lo, job.earliest_start)  # as the solver's pre-check (eligibility.job_span)
        hi = job.windows[-1].end + self.problem.weights.max_lateness_seconds if job.windows else _INF
        everywhere = np.ones(len(self.shift_start), dtype=bool)
        why = static_why(job.required_skills, job.load, lo, hi, everywhere, self._skills, self.shift_start,
                         self.shift_end, self.capacity - self._load, self.max_jobs - self._count)
        return why == Why.OK

    def rank(self, job: Job, k: int = 5, candidates: int = 48) -> list[Offer]:
        """The k technicians who can take ``job`` most cheaply, cheapest first."""
        ok = self.eligible(job)
        if not ok.any():
            return []
        q = np.array([job.location.x, job.location.y])
        d = self._pt_xy - q
        d2 = (d[:, 0] * self._coslat) ** 2 + d[:, 1] ** 2
        near = np.minimum.reduceat(d2, self._pt_start)
        near[~ok] = np.inf
        n_c = min(candidates, int(ok.sum()))
        order = np.argpartition(near, n_c - 1)[:n_c]
        order = order[np.argsort(near[order], kind="stable")]
        order = [int(t) for t in order if self._covers(int(t), job)]
        if not order:
            return []
        # Travel between the new job and every stop of every candidate route, in one batch.
        stops = np.vstack([self.routes[t].xy for t in order])
        dist_to, dur_to = self.travel.pairs(stops, np.broadcast_to(q, stops.shape))
        if isinstance(self.travel, OsrmTravel):
            dist_from, dur_from = self.travel.pairs(np.broadcast_to(q, stops.shape), stops)
        else:
            dist_from, dur_from = dist_to, dur_to  # closed-form models are symmetric
        offers: list[Offer] = []
        at = 0
        for t in order:
            n_stops = len(self.routes[t].xy)
            sl = slice(at, at + n_stops)
            at += n_stops
            if self.problem.technicians[t].breaks:
                best = self._best_position_with_breaks(t, job)
            else:
                best = self._best_position(t, job, dist_to[sl], dur_to[sl], dist_from[sl], dur_from[sl])
            if best is not None:
                offers.append(best)
        offers.sort(key=lambda o: (o.extra_cost, o.eta, o.technician_id))
        return offers[:k]

    def _covers(self, t: int, job: Job) -> bool:
        area = self.problem.technicians[t].service_area
        if area is None:
            return True
        if t not in self._areas:
            self._areas[t] = area_geometry(area)
        return bool(shapely.intersects_xy(self._areas[t], job.location.x, job.location.y))

    def _best_position_with_breaks(self, t: int, job: Job) -> Offer | None:
        """A technician with breaks (lunch, split-shift gaps): a break may move to another leg when a
        job is inserted, so the route is compiled on its own (a dozen points) and the batch
        insertion routine answers -- slower than the push-forward, exact."""
        tech = self.problem.technicians[t]
        route = [self.problem.jobs[j] for j in self.routes[t].jobs]
        sub = ProblemData(technicians=(tech,), jobs=tuple(route) + (job,), travel=self.travel,
                          weights=self.problem.weights)
        c = compile_problem(sub)
        found = best_insertion(c, simulate(c, 0, list(range(len(route)))), len(route), self.metric,
                               self.problem.weights.quality_per_job)
        if isinstance(found, Blocked):
            return None
        return Offer(technician_id=tech.id, eta=float(found.start), arrival=float(found.arrival),
                     extra_travel_seconds=float(found.extra_seconds), extra_distance=float(found.extra_distance),
                     insert_position=found.position, extra_cost=float(found.extra_cost))

    def _job_times(self, j: int):
        other = self.problem.jobs[j]
        windows = () if other.started else [(x.start, x.end) for x in other.windows]
        return windows, -_INF if other.earliest_start is None else float(other.earliest_start), float(other.service_seconds)

    def _best_position(self, t, job, dist_to, dur_to, dist_from, dur_from) -> Offer | None:
        r = self.routes[t]
        pj = self.problem.jobs
        w = self.problem.weights
        lat = w.max_lateness_seconds
        windows = [(x.start, x.end) for x in job.windows]
        n = len(r.jobs)
        first = 1 if n and pj[r.jobs[0]].started else 0
        best = None
        for pos in range(first, n + 1):
            leaving = self.shift_start[t] if pos == 0 else r.end[pos - 1]
            arrival = leaving + dur_to[pos]
            ready = arrival if job.earliest_start is None else max(arrival, job.earliest_start)
            fit = earliest_start_at(windows, ready, lat)
            if fit is None:
                break  # later positions leave even later
            start, late = fit
            base_t = r.leg_dur[pos] if n else 0.0
            base_d = r.leg_dist[pos] if n else 0.0
            extra_t = dur_to[pos] + dur_from[pos + 1] - base_t
            extra_d = dist_to[pos] + dist_from[pos + 1] - base_d
            if r.work + extra_t + job.service_seconds > self.max_work[t] + 1e-6:
                continue
            legs = [float(dur_from[pos + 1])] + [float(x) for x in r.leg_dur[pos + 1:n + 1]]
            extra_late = push_forward(start + job.service_seconds, legs, pos, r.start, r.lateness, self.shift_end[t], lat,
                                      lambda k: self._job_times(r.jobs[k]))
            if extra_late is None:
                continue
            extra_late += late
            travel_cost = extra_t if self.metric == "travel_time" else extra_d
            cost = travel_cost + w.lateness_per_second * extra_late + w.quality_per_job * (1 - self.quality[t])
            if best is None or cost < best.extra_cost:
                best = Offer(technician_id=self.problem.technicians[t].id, eta=float(start), arrival=float(arrival),
                             extra_travel_seconds=float(extra_t), extra_distance=float(extra_d),
                             insert_position=pos, extra_cost=float(cost))
        return best


def _pinned_routes(problem: ProblemData) -> dict[str, list[str]]:
    by_tech: dict[str, list[tuple[int, int, str]]] = {}
    for i, j in enumerate(problem.jobs):
        if j.pinned_technician is not None:
            key = -1 if j.started else (j.pinned_sequence if j.pinned_sequence is not None else 10**9)
            by_tech.setdefault(j.pinned_technician, []).append((key, i, j.id))
    return {t: [jid for _, _, jid in sorted(v)] for t, v in by_tech.items()}


def rank_technicians(problem_or_board: ProblemData | OfferBoard, new_job: Job, k: int = 5,
                     routes: Mapping[str, Sequence[str]] | None = None, metric: str = "travel_time") -> list[Offer]:
    """Rank technicians for ``new_job`` by the cost of inserting it into their current route.

    Pass an :class:`OfferBoard` to answer many queries against the same city state; a
    ProblemData builds one on the fly (its pinned jobs, or ``routes``, are the current routes).
    """
    board = problem_or_board if isinstance(problem_or_board, OfferBoard) else OfferBoard(problem_or_board, routes, metric)
    return board.rank(new_job, k)
