"""Polish a plan on the real travel data: insert jobs the search left out where they fit.

The OR-Tools search works on rounded integers and may stop (time limit) with jobs out that fit
somewhere; the same insertion routine also repairs the seams of a split city plan.
"""
from __future__ import annotations

import time

import numpy as np

from .build import unassigned_penalty
from .compiled import Compiled
from .insertion import Blocked, best_insertion
from .schedule import simulate


def repair(c: Compiled, allowed: np.ndarray, routes: list[list[int]], metric: str, deadline: float,
           previous_tech: np.ndarray | None = None, move_penalty: float = 0.0,
           candidates: int | None = None) -> list[list[int]]:
    """Greedily insert unserved jobs, most important first, at their cheapest feasible position.

    Pinned jobs are left to the search (their order constraints are not modelled here).
    ``candidates`` limits each job to that many eligible technicians whose route passes nearest.
    """
    routes = [list(r) for r in routes]
    served = np.zeros(c.n_jobs, dtype=bool)
    for r in routes:
        served[r] = True
    todo = [int(j) for j in np.flatnonzero(~served) if c.problem.jobs[j].pinned_technician is None and allowed[j].any()]
    if not todo:
        return routes
    todo.sort(key=lambda j: (-c.priority[j], j))
    schedules = [simulate(c, t, r) for t, r in enumerate(routes)]
    qw = c.problem.weights.quality_per_job
    for j in todo:
        if time.monotonic() > deadline:
            break
        best = None
        techs = np.flatnonzero(allowed[j])
        if candidates is not None and len(techs) > candidates:
            near = _route_distance(c, schedules, j, techs)
            techs = techs[np.argsort(near, kind="stable")[:candidates]]
        for t in techs:
            ins = best_insertion(c, schedules[t], j, metric, qw)
            if isinstance(ins, Blocked):
                continue
            cost = ins.extra_cost
            if previous_tech is not None and previous_tech[j] >= 0 and previous_tech[j] != t:
                cost += move_penalty
            if best is None or cost < best[0]:
                best = (cost, ins)
        before = previous_tech is not None and move_penalty > 0 and previous_tech[j] >= 0
        if best is None or best[0] >= unassigned_penalty(c, j, planned_before=bool(before)):
            continue
        ins = best[1]
        routes[ins.tech].insert(ins.position, j)
        schedules[ins.tech] = simulate(c, ins.tech, routes[ins.tech])
    return routes


def _route_distance(c: Compiled, schedules, job: int, techs: np.ndarray) -> np.ndarray:
    p = int(c.job_point[job])
    out = np.empty(len(techs))
    for i, t in enumerate(techs):
        pts = [int(c.tech_start_point[t])] + [int(c.job_point[r]) for r in schedules[t].jobs]
        out[i] = c.dist[p, pts].min()
    return out


def improve(c: Compiled, allowed: np.ndarray, routes: list[list[int]], metric: str, deadline: float,
            previous_tech: np.ndarray | None = None, move_penalty: float = 0.0) -> list[list[int]]:
    return repair(c, allowed, routes, metric, deadline, previous_tech, move_penalty)
