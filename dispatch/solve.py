"""``solve(problem, params) -> Result``: the one entry point that plans a day.

Pipeline: compile (unique points, travel matrices) -> eligibility pre-check (who may take what)
-> OR-Tools search (one process, or a small portfolio of differently-configured searches in
parallel processes) -> optional polish on the real data -> schedules, reasons, explanations.
"""
from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import numpy as np

from . import _pyvrp, lns
from ._ortools import PROFILES, Outcome, Search, cost_scale_for, route_with_ortools, scale_for
from .build import build_result, objective
from .compiled import Compiled, compile_problem
from .eligibility import Why, eligibility
from .improve import improve, repair
from .params import SolveParams
from .problem import ProblemData
from .result import Result, SolverInfo
from .schedule import simulate

# Second and later portfolio members. A different construction sends guided local search into a
# different basin, which diversifies far more than reshuffling the job order (measured on six
# Solomon instances, 10 s each, loaded machine: PCI +6.5% mean, SAVINGS +5.3%, LCI +5.1%, best of
# SAVINGS/LCI +4.3%). Savings assumes one depot and a uniform fleet, so it is the second choice
# only for problems of that shape; otherwise local cheapest insertion is.
PORTFOLIO_UNIFORM = ("SAVINGS", "LOCAL_CHEAPEST_INSERTION", "PARALLEL_CHEAPEST_INSERTION", "PATH_CHEAPEST_ARC")
PORTFOLIO_MIXED = ("PARALLEL_CHEAPEST_INSERTION", "LOCAL_CHEAPEST_INSERTION", "SAVINGS", "PATH_CHEAPEST_ARC")


def solve(problem: ProblemData, params: SolveParams | None = None) -> Result:
    """Plan the day: assign and sequence jobs to technicians within ``params.time_limit_seconds``.

    Jobs that cannot be served (or cost more than their unassigned penalty) are left out with a
    reason; the plan itself is always feasible for windows (or their allowed lateness), shifts,
    skills, service areas, capacity, job count and working time.
    """
    started = time.monotonic()  # the limit covers the travel matrix too: the caller waits for it
    params = params or SolveParams()
    return solve_compiled(compile_problem(problem), params, started_at=started)


def solve_compiled(c: Compiled, params: SolveParams, *, initial_routes: list[list[int]] | None = None,
                   previous_tech: np.ndarray | None = None, move_penalty: float = 0.0,
                   started_at: float | None = None) -> Result:
    """``solve`` on an already compiled problem, with re-planning hooks (see dispatch.replan)."""
    t_begin = started_at if started_at is not None else time.monotonic()
    why = eligibility(c)
    allowed = why == Why.OK
    metric = params.objective
    scale = scale_for(c, params.scale)
    elapsed = time.monotonic() - t_begin
    # The pre-check's pace tells how busy the machine is; the result's share grows with it.
    pace = _pace(elapsed, c)
    search_limit = max(0.1, params.time_limit_seconds - elapsed - _end_reserve(c, params) * pace)
    searches = _portfolio(params, search_limit, _uniform_fleet(c))
    kwargs = dict(metric=metric, scale=scale, cost_scale=cost_scale_for(c, params.cost_scale), initial_routes=initial_routes,
                  previous_tech=previous_tech, move_penalty=move_penalty)
    use_pyvrp = _pyvrp_path(c, allowed, params, initial_routes, previous_tech, move_penalty)
    if c.n_jobs == 0 or c.n_techs == 0:
        outcomes = [Outcome(routes=[[] for _ in range(c.n_techs)], status="success", objective=0, seconds=0.0, config=searches[0])]
    elif not use_pyvrp and _lns_path(c, params):
        outcomes = _with_lns(c, allowed, params, search_limit, kwargs)
    elif use_pyvrp:
        outcomes = _with_pyvrp(c, allowed, params, searches, search_limit, kwargs)
    elif len(searches) == 1:
        outcomes = [route_with_ortools(c, allowed, search=searches[0], **kwargs)]
    else:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=len(searches), mp_context=ctx) as pool:
            futures = [pool.submit(route_with_ortools, c, allowed, search=s, **kwargs) for s in searches]
            outcomes = [f.result() for f in futures]
    scored = []
    for i, out in enumerate(outcomes):
        if out.routes is None:
            continue
        scheds = [simulate(c, t, r) for t, r in enumerate(out.routes)]
        if out.config.profile == "pyvrp" and not _acceptable(allowed, scheds):
            continue  # an adapter slip costs this member its turn, never the plan's feasibility
        scored.append((objective(c, scheds, metric), i, out, scheds))
    best_cost, best_i, best, schedules = min(scored, key=lambda x: (x[0], x[1]))
    routes = [list(r) for r in best.routes]
    if params.post_optimize:
        deadline = t_begin + params.time_limit_seconds - _end_reserve(c, params, polish=False) * pace
        routes = improve(c, allowed, routes, metric, deadline, previous_tech=previous_tech, move_penalty=move_penalty)
        schedules = [simulate(c, t, r) for t, r in enumerate(routes)]
    bad = [f"{c.problem.technicians[s.tech].id}: {v}" for s in schedules for v in s.violations]
    if bad:
        raise AssertionError("solver returned an infeasible route (bug): " + "; ".join(bad[:3]))
    info = SolverInfo(
        status=best.status, seconds=round(time.monotonic() - t_begin, 3), seed=params.seed,
        time_limit_seconds=params.time_limit_seconds, objective_metric=metric, workers=len(searches),
        strategy=_strategy(best.config), solver_objective=best.objective)
    return build_result(c, why, schedules, metric, info, with_explanations=params.explain,
                        deadline=t_begin + params.time_limit_seconds * (1 + LIMIT_SLACK / 2))


LIMIT_SLACK = 0.02  # solve returns within its time limit plus this share


def _end_reserve(c: Compiled, params: SolveParams, polish: bool = True) -> float:
    """Seconds kept after the search for polishing and for building the result (reasons for every
    job left out, explanations with the next-best technician). Measured on a 1,000-job city at load
    5: 0.1 s polish, 0.45 s reasons, 0.42 s explanations; the per-job figures below cover that."""
    per_job = 0.0006 + (0.0006 if params.explain else 0.0)
    reserve = 0.05 + c.n_jobs * per_job + (0.01 * params.time_limit_seconds if polish and params.post_optimize else 0.0)
    return min(0.3 * params.time_limit_seconds, reserve)


def _pace(elapsed: float, c: Compiled) -> float:
    """How much slower than the calibration run (1,000 x 100 city, travel matrix and pre-check in
    0.38 s at load 5) the machine is going, between 1 and 4."""
    expected = 0.38 * (c.n_jobs * max(c.n_techs, 1)) / 100_000
    if expected < 0.05:
        return 1.0  # too small to time
    return min(4.0, max(1.0, elapsed / expected))


def _uniform_fleet(c: Compiled) -> bool:
    """One shared base and technicians alike in shift, skills, area and capacity (Solomon-like)."""
    techs = c.problem.technicians
    if not techs:
        return True
    first = techs[0]
    return (len(set(c.tech_start_point.tolist()) | set(c.tech_end_point.tolist())) == 1
            and all(t.shift == first.shift and t.skills == first.skills and t.service_area == first.service_area
                    and t.capacity == first.capacity for t in techs))


def _portfolio(params: SolveParams, limit: float, uniform: bool) -> list[Search]:
    order = PORTFOLIO_UNIFORM if uniform else PORTFOLIO_MIXED
    head = params.first_solution or order[0]
    first = Search(first_solution=head, metaheuristic=params.metaheuristic,
                   gls_lambda=params.gls_lambda, time_limit_seconds=limit,
                   max_solutions=params.max_solutions, seed=params.seed,
                   profile=params.search_profile if params.search_profile in PROFILES else "gls")
    out = [first]
    others = [f for f in order if f != head]
    for strategy in others[: params.num_workers - 1]:
        out.append(replace(first, first_solution=strategy))
    return out


LNS_FROM_JOBS = 400  # see dispatch/README.md, "City days": below this one OR-Tools model is quick enough


def _lns_path(c: Compiled, params: SolveParams) -> bool:
    """Large days go to the parts construction and the neighbourhood search (dispatch.lns), unless a
    construction or an OR-Tools profile is forced or a solution count (beyond the first) is asked for."""
    if params.search_profile is not None or params.first_solution is not None:
        return False
    if params.max_solutions is not None and params.max_solutions > 1:
        return False
    return c.n_jobs >= LNS_FROM_JOBS and c.n_techs >= 2 and lns.applies(c)


def _with_lns(c: Compiled, allowed: np.ndarray, params: SolveParams, limit: float, kwargs: dict) -> list[Outcome]:
    """Construction by parts (or the warm start a re-plan gives), then the neighbourhood search up to
    the search deadline; ``max_solutions=1`` stops at the construction. With two or more workers the
    search also runs from another seed in a second process and the cheaper plan is kept."""
    t0 = time.monotonic()
    deadline = t0 + limit
    config = Search(first_solution="PARTS", metaheuristic="LNS", time_limit_seconds=limit,
                    max_solutions=params.max_solutions, seed=params.seed, profile="lns")
    run = dict(metric=kwargs["metric"], scale=kwargs["scale"], cost_scale=kwargs["cost_scale"], deadline=deadline,
               initial_routes=kwargs["initial_routes"], previous_tech=kwargs["previous_tech"],
               move_penalty=kwargs["move_penalty"], search=params.max_solutions is None)
    if params.num_workers >= 2 and params.max_solutions is None:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
            other = pool.submit(_lns_member, c, allowed, seed=params.seed + 1, **run)
            mine = _lns_member(c, allowed, seed=params.seed, **run)
            members = [mine, other.result()]
    else:
        members = [_lns_member(c, allowed, seed=params.seed, **run)]
    return [Outcome(routes=r, status="success", objective=None, seconds=time.monotonic() - t0, config=config)
            for r in members]


def _lns_member(c: Compiled, allowed: np.ndarray, *, metric: str, scale: int, cost_scale: int, deadline: float,
                initial_routes, previous_tech, move_penalty: float, search: bool, seed: int) -> list[list[int]]:
    if initial_routes is not None:
        # Re-planning: the previous plan where it still fits, then what it lost inserted (move penalty counted).
        routes = lns.feasible_prefixes(c, initial_routes)
        routes = repair(c, allowed, routes, metric, deadline, previous_tech, move_penalty, candidates=20)
        served = np.zeros(c.n_jobs, dtype=bool)
        for r in routes:
            served[r] = True
        moved = [t for t, r in enumerate(routes) for j in r
                 if previous_tech is not None and previous_tech[j] >= 0 and previous_tech[j] != t]
        focus = np.array(sorted(set(moved)), dtype=np.int64) if moved else None
    else:
        routes = lns.construct(c, allowed, metric, scale, cost_scale, deadline, seed)
        focus = None
    if search:
        routes, _ = lns.search(c, allowed, routes, metric, scale, cost_scale, deadline, seed,
                               previous_tech=previous_tech, move_penalty=move_penalty, focus=focus)
    return routes


def _pyvrp_path(c: Compiled, allowed: np.ndarray, params: SolveParams, initial_routes, previous_tech,
                move_penalty: float) -> bool:
    """PyVRP leads when asked for, or by default when its model expresses every rule of the problem."""
    if params.search_profile not in (None, "pyvrp"):
        return False
    if initial_routes is not None or (previous_tech is not None and move_penalty > 0):
        return False  # re-planning: PyVRP has no warm start on Shifu's terms nor a move penalty
    if params.max_solutions is not None:
        return False  # a solution count is OR-Tools' determinism contract
    return _pyvrp.available() and _pyvrp.unsupported(c, allowed) is None


def _with_pyvrp(c: Compiled, allowed: np.ndarray, params: SolveParams, searches: list[Search], limit: float,
                kwargs: dict) -> list[Outcome]:
    """PyVRP in its own process; OR-Tools beside it (a full search with a second worker, else only its
    first solution, a safety net should PyVRP find nothing feasible)."""
    member = Search(first_solution="PYVRP", metaheuristic="HGS", time_limit_seconds=limit, seed=params.seed, profile="pyvrp")
    ctx = multiprocessing.get_context("fork")
    t0 = time.monotonic()
    with ProcessPoolExecutor(max_workers=max(1, min(2, params.num_workers)), mp_context=ctx) as pool:
        # Starting the process and handing the plan back take their share of the limit too.
        fut = pool.submit(_pyvrp.route_with_pyvrp, c, allowed, metric=kwargs["metric"], scale=kwargs["scale"],
                          cost_scale=kwargs["cost_scale"], deadline=t0 + max(0.1, limit * 0.98 - 0.15), seed=params.seed)
        if params.num_workers >= 2:
            first = pool.submit(route_with_ortools, c, allowed, search=searches[0], **kwargs)
            ortools = first.result()
        else:
            ortools = route_with_ortools(c, allowed, search=replace(searches[0], max_solutions=1), **kwargs)
        try:
            routes = fut.result()
        except Exception:  # noqa: BLE001 - a crash in the member leaves the OR-Tools plan
            routes = None
    out = Outcome(routes=routes, status="success" if routes is not None else "fail", objective=None,
                  seconds=time.monotonic() - t0, config=member)
    return [out, ortools]


def _acceptable(allowed: np.ndarray, schedules) -> bool:
    return all(s.feasible and allowed[s.jobs, s.tech].all() for s in schedules)


def _strategy(config: Search) -> str:
    if config.profile == "pyvrp":
        return "pyvrp-hgs"
    if config.profile == "lns":
        return "parts-pci+lns-gls" if config.max_solutions is None else "parts-pci"
    return f"{config.first_solution}+{config.metaheuristic}" + ("" if config.profile == "gls" else f"/{config.profile}")
