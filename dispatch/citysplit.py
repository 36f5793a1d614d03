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
from .geo import kmeans, planar, quota_assign
from .improve import repair
from .params import SolveParams
from .problem import ProblemData
from .result import Result, SolverInfo
from .schedule import simulate
from .solve import solve


def _xy(problem: ProblemData, locs) -> np.ndarray:
    return planar(np.array([(p.x, p.y) for p in locs], dtype=float), problem.travel.geographic)


def split(problem: ProblemData, parts: int, seed: int = 0) -> list[ProblemData]:
    """Split into ``parts`` geographic sub-problems (technicians and jobs partitioned)."""
    jobs_xy = _xy(problem, [j.location for j in problem.jobs])
    tech_xy = _xy(problem, [t.start for t in problem.technicians])
    labels, centres = kmeans(jobs_xy, parts, seed)
    counts = np.bincount(labels, minlength=parts)
    tech_part = quota_assign(tech_xy, centres, counts)
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
