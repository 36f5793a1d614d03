"""Turn job sequences into a Result: schedules from real travel data, totals, reasons, explanations."""
from __future__ import annotations

import numpy as np

from .compiled import Compiled
from .explain import diagnose, explain
from .result import BreakTime, Result, Route, SolverInfo, Stop, Totals
from .schedule import RouteSchedule, just_in_time


def unassigned_penalty(c: Compiled, j: int, planned_before: bool = False) -> float:
    """What leaving job ``j`` out costs: the weight x (1 + priority), x 100 when pinned, and twice
    that when re-planning drops a job the previous plan had (its customer was given a time): so a
    re-plan does not trade a promised job for an unplanned one of the same priority."""
    job = c.problem.jobs[j]
    p = c.problem.weights.unassigned_penalty * (1 + job.priority)
    if job.pinned_technician is not None:
        p *= 100
    return 2 * p if planned_before else p


def objective(c: Compiled, schedules: list[RouteSchedule], metric: str) -> float:
    """The plan's cost in objective units, from the real (unscaled) travel data."""
    w = c.problem.weights
    total = 0.0
    max_work = 0.0
    served = np.zeros(c.n_jobs, dtype=bool)
    for s in schedules:
        if not s.jobs:
            continue
        served[s.jobs] = True
        total += s.travel_seconds if metric == "travel_time" else s.travel_distance
        if c.max_lateness > 0:
            total += w.lateness_per_second * float(sum(s.lateness))
        total += w.quality_per_job * (1.0 - float(c.quality[s.tech])) * len(s.jobs)
        max_work = max(max_work, s.work_seconds)
    total += w.balance_per_second * max_work
    total += sum(unassigned_penalty(c, j) for j in np.flatnonzero(~served))
    return total


def build_result(c: Compiled, why: np.ndarray, schedules: list[RouteSchedule], metric: str,
                 info: SolverInfo, with_explanations: bool = True, deadline: float | None = None) -> Result:
    """``deadline`` (monotonic clock): past it explanations stop looking for the next-best technician
    and reasons stop testing insertions into the final routes."""
    techs = c.problem.technicians
    routes = []
    served = np.zeros(c.n_jobs, dtype=bool)
    on_time = 0
    lateness = 0.0
    utilisation: dict[str, float] = {}
    # Reasons and explanations test insertions on the earliest schedules; people see these.
    shown = [just_in_time(c, s) for s in schedules]
    for s in shown:
        waits = s.waits()
        t = s.tech
        stops = []
        for k, j in enumerate(s.jobs):
            served[j] = True
            late = float(s.lateness[k])
            on_time += late <= 1e-9
            lateness += late
            stops.append(Stop(job_id=c.problem.jobs[j].id, arrival=round(s.arrival[k], 6), start=round(s.start[k], 6),
                              end=round(s.end[k], 6), lateness=round(late, 6), wait=round(waits[k], 6), travel_seconds=round(s.leg_duration[k], 6),
                              travel_distance=round(s.leg_distance[k], 6)))
        shift_len = float(c.shift_end[t] - c.shift_start[t])
        util = s.work_seconds / shift_len if shift_len > 0 and s.jobs else 0.0
        utilisation[techs[t].id] = round(util, 4)
        routes.append(Route(
            technician_id=techs[t].id, stops=tuple(stops), departure=round(s.departure, 6),
            return_time=round(s.return_time, 6), travel_seconds=round(s.travel_seconds, 6),
            travel_distance=round(s.travel_distance, 6),
            service_seconds=float(sum(e - st for st, e in zip(s.start, s.end))),
            work_seconds=round(s.work_seconds, 6), load=s.load, utilisation=round(util, 4),
            waiting_seconds=round(s.waiting_seconds, 6),
            breaks=tuple(BreakTime(start=round(a, 6), end=round(b, 6)) for a, b in s.breaks)))
    unassigned = {c.problem.jobs[j].id: diagnose(c, why, schedules, int(j), metric, deadline) for j in np.flatnonzero(~served)}
    explanations = explain(c, why, schedules, metric, shown=shown, deadline=deadline) if with_explanations else {}
    n_served = int(served.sum())
    dist = float(sum(s.travel_distance for s in schedules))
    secs = float(sum(s.travel_seconds for s in schedules))
    geo = c.problem.travel.geographic
    totals = Totals(
        jobs=c.n_jobs, assigned=n_served, unassigned=c.n_jobs - n_served,
        technicians_used=sum(1 for s in schedules if s.jobs),
        travel_distance=round(dist, 6), distance_unit=c.problem.travel.distance_unit,
        travel_km=round(dist / 1000, 6) if geo else None,
        travel_seconds=round(secs, 6), travel_minutes=round(secs / 60, 6),
        on_time_share=round(on_time / n_served, 6) if n_served else 1.0,
        lateness_seconds=round(lateness, 6), objective=round(objective(c, schedules, metric), 6),
        utilisation=utilisation)
    return Result(routes=tuple(routes), unassigned=unassigned, explanations=explanations, totals=totals, solver=info)
