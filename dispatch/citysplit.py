"""City scale: split a problem too large for one solve, solve the parts in parallel, repair the seams.

1. Jobs are clustered by geography (k-means on equirectangular coordinates, seeded, so the split
   is deterministic); the number of parts keeps each near ``max_jobs_per_part``.
2. Technicians go to the part whose centre is nearest their start, in proportion to each part's
   jobs (greedy by distance under quotas); a pinned job follows its technician.
3. Parts are solved by :func:`dispatch.solve` in a process pool (``workers`` processes), sharing
   the time limit in waves.
4. The parts' routes are joined on the whole problem, and jobs a part left out are inserted where
   they fit best in any route (the seam repair), so a job near a border can go to a technician of
   the neighbouring part. The result is one plan with reasons and totals for the whole city.
"""
from __future__ import annotations

import math
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from .build import build_result
from .compiled import compile_problem
from .eligibility import Why, eligibility
from .improve import repair
from .params import SolveParams
from .problem import ProblemData
from .result import Result, SolverInfo
from .schedule import simulate
from .solve import solve


def _xy(problem: ProblemData, locs) -> np.ndarray:
    pts = np.array([(p.x, p.y) for p in locs], dtype=float).reshape(-1, 2)
    if problem.travel.geographic and len(pts):
        pts[:, 0] *= math.cos(math.radians(float(np.mean(pts[:, 1]))))
    return pts


def kmeans(points: np.ndarray, k: int, seed: int = 0, iterations: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """Plain Lloyd's k-means with k-means++ seeding; returns (labels, centres)."""
    rng = np.random.default_rng(seed)
    centres = [points[rng.integers(len(points))]]
    for _ in range(1, k):
        d2 = np.min(((points[:, None, :] - np.array(centres)[None, :, :]) ** 2).sum(axis=2), axis=1)
        total = d2.sum()
        centres.append(points[rng.choice(len(points), p=d2 / total)] if total > 0 else points[rng.integers(len(points))])
    centres = np.array(centres)
    labels = np.zeros(len(points), dtype=np.int64)
    for _ in range(iterations):
        d2 = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        new = d2.argmin(axis=1)
        if np.array_equal(new, labels) and _ > 0:
            break
        labels = new
        for c in range(k):
            members = points[labels == c]
            if len(members):
                centres[c] = members.mean(axis=0)
    return labels, centres


def split(problem: ProblemData, parts: int, seed: int = 0) -> list[ProblemData]:
    """Split into ``parts`` geographic sub-problems (technicians and jobs partitioned)."""
    jobs_xy = _xy(problem, [j.location for j in problem.jobs])
    tech_xy = _xy(problem, [t.start for t in problem.technicians])
    labels, centres = kmeans(jobs_xy, parts, seed)
    m = len(problem.technicians)
    counts = np.bincount(labels, minlength=parts)
    quota = np.maximum(1, np.floor(m * counts / counts.sum())).astype(int)
    while quota.sum() < m:  # hand out the remainder to the busiest parts
        quota[np.argmax(counts / quota)] += 1
    d2 = ((tech_xy[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    tech_part = np.full(m, -1)
    for flat in np.argsort(d2, axis=None, kind="stable"):
        t, c = divmod(int(flat), parts)
        if tech_part[t] < 0 and quota[c] > 0:
            tech_part[t] = c
            quota[c] -= 1
    tech_part[tech_part < 0] = d2[tech_part < 0].argmin(axis=1)
    tindex = problem.technician_index()
    for i, j in enumerate(problem.jobs):
        if j.pinned_technician is not None:
            labels[i] = tech_part[tindex[j.pinned_technician]]
    out = []
    for c in range(parts):
        techs = tuple(t for t, p in zip(problem.technicians, tech_part) if p == c)
        jobs = tuple(j for j, p in zip(problem.jobs, labels) if p == c)
        out.append(problem.replace(technicians=techs, jobs=jobs))
    return out


def _solve_part(problem: ProblemData, params: SolveParams) -> dict[str, list[str]]:
    return solve(problem, params).sequences()


def solve_city(problem: ProblemData, params: SolveParams | None = None, *, max_jobs_per_part: int = 600,
               workers: int = 2) -> Result:
    """Solve a large problem by geographic parts in parallel; small problems go straight to solve."""
    t_begin = time.monotonic()
    params = params or SolveParams()
    n = len(problem.jobs)
    if n <= max_jobs_per_part or len(problem.technicians) < 2:
        return solve(problem, params)
    k = min(math.ceil(n / max_jobs_per_part), len(problem.technicians))
    parts = [p for p in split(problem, k, params.seed) if p.jobs and p.technicians]
    waves = math.ceil(len(parts) / workers)
    reserve = 0.15 * params.time_limit_seconds  # joining, seam repair and the result
    per_part = max(0.5, (params.time_limit_seconds - (time.monotonic() - t_begin) - reserve) / waves)
    part_params = params.model_copy(update={"time_limit_seconds": per_part, "num_workers": 1, "explain": False})
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = [pool.submit(_solve_part, p, part_params) for p in parts]
        c = compile_problem(problem)  # the whole city's matrices, while the parts are solved
        why = eligibility(c)
        sequences: dict[str, list[str]] = {}
        for f in futures:
            sequences.update(f.result())
    routes = [[c.job_index[j] for j in sequences.get(t.id, [])] for t in problem.technicians]
    deadline = t_begin + params.time_limit_seconds
    routes = repair(c, why == Why.OK, routes, params.objective, deadline, candidates=20)
    schedules = [simulate(c, t, r) for t, r in enumerate(routes)]
    info = SolverInfo(status="success", seconds=round(time.monotonic() - t_begin, 3), seed=params.seed,
                      time_limit_seconds=params.time_limit_seconds, objective_metric=params.objective,
                      workers=workers, strategy=f"city split into {len(parts)} parts; {params.first_solution or 'auto'}+{params.metaheuristic}")
    return build_result(c, why, schedules, params.objective, info, with_explanations=params.explain)
