"""Large days: a first plan from geographic parts, then a large-neighbourhood search that re-solves a
few neighbouring routes at a time.

At 1,000 jobs x 100 technicians one OR-Tools model is slow to build a first plan (parallel cheapest
insertion: 6-12 s, most of it constraint propagation over the whole model per insertion) and its
guided local search manages a handful of moves per second, so the plan stays at its construction.
A few neighbouring routes with their jobs and the nearby jobs left out make a model of ~100 nodes,
where the same search does thousands of moves per second. So:

1. ``construct``: jobs are clustered by place (seeded k-means), technicians go to the nearest part
   under quotas, each part gets parallel cheapest insertion, and the jobs a part left out are
   inserted wherever they fit in the whole plan (``improve.repair``).
2. ``search``: repeatedly pick a technician (a shuffled round over all of them), take the routes of
   the ``group`` technicians whose routes lie nearest it, their jobs and the nearest jobs left out
   that one of them may take, re-solve that with guided local search from the current routes for a
   short time, and keep the result when the objective (recomputed on the real travel data) is lower.

Sub-problems share the full problem's travel matrices (``sub_compiled``); nothing is recomputed.
"""
from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np

from ._ortools import Search, route_with_ortools
from .build import unassigned_penalty
from .compiled import Compiled
from .geo import kmeans, planar, quota_assign
from .improve import repair
from .schedule import RouteSchedule, simulate

PART_JOBS = 100  # construction part size: 1,000 jobs in 10 parts build in 3.6 s at load 16 (4 parts: 4.9 s, one model: 12 s at load 5)
GROUP = 6  # technicians per re-solved neighbourhood
EXTRA = 60  # jobs left out offered to a neighbourhood, nearest first
ROUND_SECONDS = 0.6  # guided local search per neighbourhood


def applies(c: Compiled) -> bool:
    """A neighbourhood's objective is exact unless a balance term couples every route to every other.
    (Pinned and started jobs stay with their technician: eligibility allows no other, so they only
    enter a neighbourhood with their own route; the move penalty is counted per job.)"""
    return c.problem.weights.balance_per_second <= 0


def feasible_prefixes(c: Compiled, routes: list[list[int]]) -> list[list[int]]:
    """Each route with the jobs that no longer fit dropped (keeping the order), for a warm start."""
    out = []
    for t, r in enumerate(routes):
        if simulate(c, t, r).feasible:
            out.append(list(r))
            continue
        kept: list[int] = []
        for j in r:
            if simulate(c, t, kept + [j]).feasible:
                kept.append(j)
        out.append(kept)
    return out


def sub_compiled(c: Compiled, techs, jobs) -> Compiled:
    """The problem restricted to some technicians and jobs, sharing the full travel matrices."""
    techs = np.asarray(techs, dtype=np.int64)
    jobs = np.asarray(jobs, dtype=np.int64)
    p = c.problem
    sub_techs = tuple(p.technicians[t] for t in techs)
    sub_jobs = tuple(p.jobs[j] for j in jobs)
    # model_copy skips validation: the parts are drawn from a problem that passed it.
    problem = p.model_copy(update={"technicians": sub_techs, "jobs": sub_jobs})
    return replace(
        c, problem=problem, job_point=c.job_point[jobs], tech_start_point=c.tech_start_point[techs],
        tech_end_point=c.tech_end_point[techs], service=c.service[jobs], load=c.load[jobs],
        priority=c.priority[jobs], earliest=c.earliest[jobs], windows=tuple(c.windows[j] for j in jobs),
        shift_start=c.shift_start[techs], shift_end=c.shift_end[techs], capacity=c.capacity[techs],
        max_jobs=c.max_jobs[techs], max_work=c.max_work[techs], quality=c.quality[techs],
        job_index={j.id: i for i, j in enumerate(sub_jobs)}, tech_index={t.id: i for i, t in enumerate(sub_techs)})


def construct(c: Compiled, allowed: np.ndarray, metric: str, scale: int, cost_scale: int, deadline: float,
              seed: int = 0) -> list[list[int]]:
    """A first plan from geographic parts of about ``PART_JOBS`` jobs, seams repaired on the whole."""
    n, m = c.n_jobs, c.n_techs
    k = max(1, min(math.ceil(n / PART_JOBS), m))
    xy = planar(c.points, c.problem.travel.geographic)
    labels, centres = kmeans(xy[c.job_point], k, seed)
    tech_part = quota_assign(xy[c.tech_start_point], centres, np.bincount(labels, minlength=k))
    routes: list[list[int]] = [[] for _ in range(m)]
    for part in range(k):
        techs = np.flatnonzero(tech_part == part)
        jobs = np.flatnonzero(labels == part)
        if not len(techs) or not len(jobs):
            continue
        sub = sub_compiled(c, techs, jobs)
        share = max(0.1, (deadline - time.monotonic()) / (k - part))
        out = route_with_ortools(sub, allowed[np.ix_(jobs, techs)], metric=metric, scale=scale, cost_scale=cost_scale,
                                 search=Search(first_solution="PARALLEL_CHEAPEST_INSERTION", max_solutions=1,
                                               time_limit_seconds=share, seed=seed))
        for t, r in zip(techs, out.routes):
            routes[int(t)] = [int(jobs[j]) for j in r]
    return repair(c, allowed, routes, metric, deadline, candidates=20)


def _route_cost(c: Compiled, s: RouteSchedule, metric: str, previous_tech: np.ndarray | None,
                move_penalty: float) -> float:
    if not s.jobs:
        return 0.0
    w = c.problem.weights
    cost = s.travel_seconds if metric == "travel_time" else s.travel_distance
    if c.max_lateness > 0:
        cost += w.lateness_per_second * float(sum(s.lateness))
    if previous_tech is not None and move_penalty > 0:
        prev = previous_tech[s.jobs]
        cost += move_penalty * int(((prev >= 0) & (prev != s.tech)).sum())
    return cost + w.quality_per_job * (1.0 - float(c.quality[s.tech])) * len(s.jobs)


def search(c: Compiled, allowed: np.ndarray, routes: list[list[int]], metric: str, scale: int, cost_scale: int,
           deadline: float, seed: int = 0, *, group: int = GROUP, extra: int = EXTRA,
           round_seconds: float = ROUND_SECONDS, previous_tech: np.ndarray | None = None,
           move_penalty: float = 0.0, focus: np.ndarray | None = None) -> tuple[list[list[int]], dict]:
    """Re-solve neighbourhoods of ``group`` routes until ``deadline``; returns the routes and counts
    (rounds, accepted, gain). ``previous_tech``/``move_penalty`` price a job moved off its previous
    technician (re-planning); ``focus`` (technician indices) is where neighbourhoods are centred
    first, e.g. the technicians near a sick colleague's jobs."""
    rng = np.random.default_rng(seed)
    routes = [list(r) for r in routes]
    m = c.n_techs
    schedules = [simulate(c, t, r) for t, r in enumerate(routes)]
    served = np.zeros(c.n_jobs, dtype=bool)
    for r in routes:
        served[r] = True
    xy = planar(c.points, c.problem.travel.geographic)
    usable = np.flatnonzero(allowed.any(axis=0))
    replanning = previous_tech is not None and move_penalty > 0
    penalty = np.array([unassigned_penalty(c, j, planned_before=replanning and bool(previous_tech[j] >= 0))
                        for j in range(c.n_jobs)])
    stats = {"rounds": 0, "accepted": 0, "gain": 0.0, "overrun": 0.0}
    if len(usable) < 2:
        return routes, stats
    group = min(group, len(usable))
    order: list[int] = []
    while deadline - time.monotonic() > min(0.1, round_seconds / 2):
        if not order:
            order = list(rng.permutation(usable))
            if focus is not None and stats["rounds"] == 0:
                order += [int(t) for t in focus[::-1] if allowed[:, t].any()]  # popped from the end
        t0 = int(order.pop())
        centre = np.array([xy[[c.tech_start_point[t], *c.job_point[routes[t]]]].mean(axis=0) for t in usable])
        here = centre[np.searchsorted(usable, t0)]
        techs = usable[np.argsort(((centre - here) ** 2).sum(axis=1), kind="stable")[:group]]
        on_routes = [j for t in techs for j in routes[t]]
        out = np.flatnonzero(~served & allowed[:, techs].any(axis=1))
        if len(out) > extra:
            pts = xy[np.concatenate([c.tech_start_point[techs], c.job_point[on_routes]]).astype(np.int64)]
            near = ((xy[c.job_point[out]][:, None, :] - pts[None, :, :]) ** 2).sum(axis=2).min(axis=1)
            out = out[np.argsort(near, kind="stable")[:extra]]
        jobs = np.array(on_routes + [int(j) for j in out], dtype=np.int64)
        if not len(jobs):
            continue
        local = {int(j): k for k, j in enumerate(jobs)}
        sub = sub_compiled(c, techs, jobs)
        began = time.monotonic()
        limit = min(round_seconds, deadline - began)
        stats["rounds"] += 1
        sub_prev = None
        if previous_tech is not None and move_penalty > 0:
            # A previous technician outside the neighbourhood is "someone else" for all of its members.
            where = {int(t): k for k, t in enumerate(techs)}
            sub_prev = np.array([-1 if previous_tech[j] < 0 else where.get(int(previous_tech[j]), len(techs))
                                 for j in jobs], dtype=np.int64)
        res = route_with_ortools(sub, allowed[np.ix_(jobs, techs)], metric=metric, scale=scale, cost_scale=cost_scale,
                                 search=Search(first_solution="PARALLEL_CHEAPEST_INSERTION", time_limit_seconds=limit,
                                               seed=int(rng.integers(1 << 30))),
                                 initial_routes=[[local[j] for j in routes[t]] for t in techs],
                                 previous_tech=sub_prev, move_penalty=move_penalty)
        stats["overrun"] = max(stats["overrun"], time.monotonic() - began - limit)
        if res.routes is None:
            continue
        new_routes = [[int(jobs[k]) for k in r] for r in res.routes]
        new_scheds = [simulate(c, int(t), r) for t, r in zip(techs, new_routes)]
        if not all(s.feasible for s in new_scheds):
            continue
        now_served = {j for r in new_routes for j in r}
        old_cost = sum(_route_cost(c, schedules[t], metric, previous_tech, move_penalty) for t in techs) + penalty[out].sum()
        new_cost = (sum(_route_cost(c, s, metric, previous_tech, move_penalty) for s in new_scheds)
                    + sum(penalty[j] for j in jobs if int(j) not in now_served))
        if new_cost < old_cost - 1e-6:
            for t, r, s in zip(techs, new_routes, new_scheds):
                routes[t], schedules[t] = r, s
            served[jobs] = False
            served[list(now_served)] = True
            stats["accepted"] += 1
            stats["gain"] += float(old_cost - new_cost)
    return routes, stats
