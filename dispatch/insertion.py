"""Cheapest feasible insertion of one job into one technician's route.

Used for explanations (next-best technician), unassigned diagnosis, real-time offers and seam
repair. The check walks forward from the insertion point and stops as soon as the later jobs'
start times are unchanged (the push-forward is absorbed by waiting), so a typical insertion test
touches only a few stops.
"""
from __future__ import annotations

from dataclasses import dataclass

from .compiled import Compiled
from .eligibility import earliest_start_at
from .schedule import RouteSchedule, simulate


@dataclass(frozen=True)
class Insertion:
    tech: int
    position: int  # index in the route the job would take (0 = first)
    extra_cost: float  # objective units (travel metric + lateness + quality)
    extra_distance: float
    extra_seconds: float  # extra travel time
    start: float  # service start of the new job
    arrival: float


@dataclass(frozen=True)
class Blocked:
    """Why no position works: 'capacity' (load, job count, working time) or 'time'."""

    kind: str


def insertions(c: Compiled, sched: RouteSchedule, job: int, metric: str = "travel_time",
               quality_weight: float = 0.0) -> list[Insertion] | Blocked:
    """Every feasible position for ``job`` in ``sched``'s route, or why there is none."""
    t_idx = sched.tech
    route = sched.jobs
    if sched.load + c.load[job] > c.capacity[t_idx] or len(route) + 1 > c.max_jobs[t_idx]:
        return Blocked("capacity")
    if c.problem.technicians[t_idx].breaks:
        return _insertions_by_simulation(c, sched, job, metric, quality_weight)
    dist, dur = c.dist, c.dur
    lat = c.max_lateness
    w = c.problem.weights
    p = int(c.job_point[job])
    start_pt = int(c.tech_start_point[t_idx])
    end_pt = int(c.tech_end_point[t_idx])
    stops = [start_pt] + [int(c.job_point[r]) for r in route] + [end_pt]
    shift_end = float(c.shift_end[t_idx])
    work = sched.work_seconds if route else 0.0
    service = float(c.service[job])
    quality_cost = quality_weight * (1.0 - float(c.quality[t_idx]))
    out: list[Insertion] = []
    blocked_by_work = False
    first = 1 if route and c.problem.jobs[route[0]].started else 0  # nothing goes before a job under way
    for pos in range(first, len(route) + 1):
        a, b = stops[pos], stops[pos + 1]
        leaving = float(c.shift_start[t_idx]) if pos == 0 else sched.end[pos - 1]
        arrival = leaving + float(dur[a, p])
        ready = max(arrival, float(c.earliest[job]))
        fit = earliest_start_at(c.windows[job], ready, lat)
        if fit is None:
            break  # later positions leave even later
        start, late = fit
        base_d = float(dist[a, b]) if route else 0.0
        base_t = float(dur[a, b]) if route else 0.0
        extra_d = float(dist[a, p]) + float(dist[p, b]) - base_d
        extra_t = float(dur[a, p]) + float(dur[p, b]) - base_t
        if work + extra_t + service > c.max_work[t_idx] + 1e-6:
            blocked_by_work = True
            continue
        legs = _Legs(dur, p, stops, pos)
        extra_late = push_forward(
            start + service, legs, pos, sched.start, sched.lateness, shift_end, lat,
            lambda k: (c.windows[route[k]], float(c.earliest[route[k]]), float(c.service[route[k]])))
        if extra_late is None:
            continue
        extra_late += late
        travel_cost = extra_t if metric == "travel_time" else extra_d
        cost = travel_cost + extra_late * w.lateness_per_second + quality_cost
        out.append(Insertion(t_idx, pos, cost, extra_d, extra_t, start, arrival))
    if not out:
        return Blocked("capacity" if blocked_by_work else "time")
    return out


class _Legs:
    """``legs`` for :func:`push_forward`, looked up only as far as the push-forward walks (building
    the whole list for every position made each insertion test quadratic in the route length)."""

    __slots__ = ("dur", "new", "stops", "pos")

    def __init__(self, dur, new_point: int, stops: list[int], pos: int) -> None:
        self.dur, self.new, self.stops, self.pos = dur, new_point, stops, pos

    def __getitem__(self, i: int) -> float:
        a = self.new if i == 0 else self.stops[self.pos + i]
        return float(self.dur[a, self.stops[self.pos + i + 1]])


def push_forward(leave: float, legs: list[float], pos: int, starts: list[float], lateness: list[float],
                 shift_end: float, max_lateness: int, job_at) -> float | None:
    """The one feasibility rule for putting a job before ``pos`` in a route without breaks.

    ``leave`` is when the technician leaves the new job, ``legs[i]`` the travel into the route's
    job ``pos + i`` (the last leg goes home), ``starts``/``lateness`` the route's current earliest
    schedule, ``job_at(k)`` the (windows, earliest start, service) of route job ``k``. The delay is
    pushed through the later jobs until waiting absorbs it. Returns the added lateness, or None if a
    later window or the shift end is missed. Batch insertion and real-time offers both use it.
    """
    t = leave
    extra_late = 0.0
    n = len(starts)
    for i, k in enumerate(range(pos, n)):
        windows, earliest, service = job_at(k)
        fit = earliest_start_at(windows, max(t + legs[i], earliest), max_lateness)
        if fit is None:
            return None
        if fit[0] <= starts[k] + 1e-9:
            return extra_late  # absorbed: nothing later moves
        extra_late += fit[1] - lateness[k]
        t = fit[0] + service
    if t + legs[n - pos] > shift_end + 1e-6:
        return None
    return extra_late


def _insertions_by_simulation(c: Compiled, sched: RouteSchedule, job: int, metric: str,
                              quality_weight: float) -> list[Insertion] | Blocked:
    """The same answer for a technician with breaks: a break can move to another leg when a job is
    inserted, so the push-forward shortcut does not hold; each position is timed in full."""
    t_idx, route = sched.tech, sched.jobs
    w = c.problem.weights
    first = 1 if route and c.problem.jobs[route[0]].started else 0
    quality_cost = quality_weight * (1.0 - float(c.quality[t_idx]))
    out: list[Insertion] = []
    blocked_by_work = False
    for pos in range(first, len(route) + 1):
        new = simulate(c, t_idx, route[:pos] + [job] + route[pos:])
        if not new.feasible:
            blocked_by_work |= any("max_work" in v for v in new.violations)
            continue
        extra_d = new.travel_distance - sched.travel_distance
        extra_t = new.travel_seconds - sched.travel_seconds
        extra_late = float(sum(new.lateness)) - float(sum(sched.lateness))
        travel_cost = extra_t if metric == "travel_time" else extra_d
        cost = travel_cost + extra_late * w.lateness_per_second + quality_cost
        out.append(Insertion(t_idx, pos, cost, extra_d, extra_t, new.start[pos], new.arrival[pos]))
    if not out:
        return Blocked("capacity" if blocked_by_work else "time")
    return out


def best_insertion(c: Compiled, sched: RouteSchedule, job: int, metric: str = "travel_time",
                   quality_weight: float = 0.0) -> Insertion | Blocked:
    found = insertions(c, sched, job, metric, quality_weight)
    if isinstance(found, Blocked):
        return found
    return min(found, key=lambda ins: (ins.extra_cost, ins.position))
