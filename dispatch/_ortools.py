"""The OR-Tools routing adapter: the only module that speaks of vehicles and nodes.

Technicians are vehicles (each with its own start and end node), jobs are nodes. Travel data is
scaled to integers: durations are rounded *up* so that a plan feasible for OR-Tools is feasible
with the real travel times; costs are rounded to nearest. All matrices are handed to OR-Tools as
native transit matrices/vectors (no Python callbacks in the search loop).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

from .build import unassigned_penalty
from .compiled import INF_TIME, Compiled

_STATUS = {
    0: "not_solved", 1: "success", 2: "partial_success", 3: "fail", 4: "timeout", 5: "invalid",
    6: "infeasible", 7: "optimal",
}


@dataclass
class Search:
    """One OR-Tools search configuration."""

    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    gls_lambda: float | None = None
    time_limit_seconds: float = 10.0
    max_solutions: int | None = None
    seed: int = 0
    profile: str = "gls"  # a key of PROFILES: which neighbourhoods and acceptance the search uses


@dataclass
class Outcome:
    routes: list[list[int]]  # job indices per technician
    status: str
    objective: int | None
    seconds: float
    config: Search = field(default_factory=Search)


def _scaled_int(a: np.ndarray, scale: int, up: bool) -> np.ndarray:
    v = a * scale
    v = np.ceil(v - 1e-9) if up else np.rint(v)
    return v.astype(np.int64)


def route_with_ortools(
    c: Compiled,
    allowed: np.ndarray,
    *,
    metric: str,
    scale: int,
    cost_scale: int | None = None,
    search: Search,
    initial_routes: list[list[int]] | None = None,
    previous_tech: np.ndarray | None = None,
    move_penalty: float = 0.0,
) -> Outcome:
    """Assign and sequence jobs; returns the job indices each technician visits, in order.

    ``allowed`` is the (n_jobs, n_techs) eligibility; ``previous_tech`` (n_jobs, -1 = none) and
    ``move_penalty`` make moving a job away from its previous technician cost that much
    (re-planning). ``initial_routes`` seeds the search (must be feasible to be used).
    """
    t_begin = time.monotonic()
    n, m = c.n_jobs, c.n_techs
    w = c.problem.weights
    lat = c.max_lateness
    rng = np.random.default_rng(search.seed)
    order = rng.permutation(n) if search.seed else np.arange(n)  # node k is job order[k]
    node_of_job = np.empty(n, dtype=np.int64)
    node_of_job[order] = np.arange(n)
    # Technicians sharing a base share its node (one depot node per distinct start/end point):
    # with a separate copy of the base per technician, guided local search stalls on Solomon
    # R2/RC2 (RC201 stuck at the first solution, +15.5%, in 10 s; one shared depot: +3.4%).
    bases, base_of_point = [], {}
    for pt in list(c.tech_start_point) + list(c.tech_end_point):
        if int(pt) not in base_of_point:
            base_of_point[int(pt)] = len(bases)
            bases.append(int(pt))
    d = len(bases)
    n_nodes = n + d
    starts = [n + base_of_point[int(p)] for p in c.tech_start_point]
    ends = [n + base_of_point[int(p)] for p in c.tech_end_point]
    node_point = np.concatenate([c.job_point[order], np.array(bases, dtype=np.int64)])
    node_service = np.concatenate([c.service[order], np.zeros(d, dtype=np.int64)])

    manager = pywrapcp.RoutingIndexManager(n_nodes, m, starts, ends)
    routing = pywrapcp.RoutingModel(manager)
    solver = routing.solver()

    # Rows/columns of the transit matrices are node numbers, which is what RegisterTransitMatrix
    # expects; job indices always go through manager.NodeToIndex.
    cost_scale = scale if cost_scale is None else cost_scale
    travel_t = _scaled_int(c.dur[np.ix_(node_point, node_point)], scale, up=True)
    time_m = travel_t + (node_service * scale)[:, None]
    if metric == "distance":
        cost_m = _scaled_int(c.dist[np.ix_(node_point, node_point)], cost_scale, up=False)
    else:
        cost_m = _scaled_int(c.dur[np.ix_(node_point, node_point)], cost_scale, up=False)
    time_cb = routing.RegisterTransitMatrix(time_m.tolist())
    cost_cb = routing.RegisterTransitMatrix(cost_m.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)

    # Time: cumul of a job node = its service start, in scaled seconds from t0.
    finite_starts = [int(x) for x in c.shift_start] + [win[0][0] for win in c.windows if win]
    t0 = min(finite_starts) if finite_starts else 0
    horizon = int((max(int(x) for x in c.shift_end) - t0) * scale) if m else 0
    routing.AddDimension(time_cb, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for v in range(m):
        time_dim.CumulVar(routing.Start(v)).SetRange(int((c.shift_start[v] - t0) * scale), int((c.shift_end[v] - t0) * scale))
        time_dim.CumulVar(routing.End(v)).SetMax(int((c.shift_end[v] - t0) * scale))
        routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(routing.End(v)))

    # Breaks (lunch, split-shift gaps): intervals on the time dimension that no service may overlap;
    # OR-Tools fits them into the slack or the travel between two visits, as dispatch.schedule does.
    techs = c.problem.technicians
    if any(t.breaks for t in techs):
        visit = [int(node_service[manager.IndexToNode(k)] * scale) for k in range(routing.Size())]
        for v, tech in enumerate(techs):
            if not tech.breaks:
                continue
            intervals = [solver.FixedDurationIntervalVar(int((b.earliest - t0) * scale), int((b.latest - t0) * scale),
                                                         int(b.duration * scale), False, f"break {v}.{i}")
                         for i, b in enumerate(tech.breaks)]
            time_dim.SetBreakIntervalsOfVehicle(intervals, v, visit)

    late_coef = max(1, int(round(w.lateness_per_second * cost_scale / scale))) if lat > 0 and w.lateness_per_second > 0 else 0
    jobs = c.problem.jobs
    for j in range(n):
        idx = manager.NodeToIndex(int(node_of_job[j]))
        cumul = time_dim.CumulVar(idx)
        lo = max(0, int(c.earliest[j]) - t0) if c.earliest[j] > -INF_TIME else 0
        win = c.windows[j]
        if win:
            lo = max(lo, win[0][0] - t0)
            hi = win[-1][1] + lat - t0
        else:
            hi = horizon // scale + 1
        lo_s, hi_s = lo * scale, min(hi * scale, horizon)
        if lo_s > hi_s or not allowed[j].any():
            routing.ActiveVar(idx).SetValue(0)
            continue
        cumul.SetRange(lo_s, hi_s)
        for (a_s, a_e), (b_s, _b_e) in zip(win, win[1:]):
            gap_lo = (a_e + lat - t0) * scale + 1
            gap_hi = (b_s - t0) * scale - 1
            if gap_lo <= gap_hi:
                cumul.RemoveInterval(gap_lo, gap_hi)
        if win and late_coef:
            time_dim.SetCumulVarSoftUpperBound(idx, (win[-1][1] - t0) * scale, late_coef)
        allowed_v = np.flatnonzero(allowed[j])
        if len(allowed_v) < m:
            # SetAllowedVehiclesForIndex does not accept Python lists in this wheel (absl::Span).
            routing.VehicleVar(idx).SetValues([-1] + [int(v) for v in allowed_v])

    # Pinned jobs: with their technician, in sequence; started ones first. Leaving a pinned job out
    # costs far more than anything else, but stays possible so an impossible pin cannot sink the plan.
    by_tech: dict[int, list[tuple[int, int]]] = {}
    for j, job in enumerate(jobs):
        idx = manager.NodeToIndex(int(node_of_job[j]))
        if job.started and allowed[j].any():
            v = c.tech_index[job.pinned_technician]
            routing.NextVar(routing.Start(v)).SetValue(idx)
        elif job.pinned_technician is not None and job.pinned_sequence is not None:
            by_tech.setdefault(c.tech_index[job.pinned_technician], []).append((job.pinned_sequence, j))
    for v, seq in by_tech.items():
        seq.sort()
        for (_, a), (_, b) in zip(seq, seq[1:]):
            ia = manager.NodeToIndex(int(node_of_job[a]))
            ib = manager.NodeToIndex(int(node_of_job[b]))
            solver.Add(time_dim.CumulVar(ia) + int(c.service[a] * scale) <= time_dim.CumulVar(ib))

    for j, job in enumerate(jobs):
        if job.started and allowed[j].any():
            continue
        idx = manager.NodeToIndex(int(node_of_job[j]))
        before = previous_tech is not None and move_penalty > 0 and previous_tech[j] >= 0
        penalty = unassigned_penalty(c, j, planned_before=bool(before)) * cost_scale
        routing.AddDisjunction([idx], int(min(penalty, 2**60)))

    # Capacity (load) and job count / quality preference.
    if c.load.any() and (c.capacity < INF_TIME).any():
        total = int(c.load.sum())
        loads = np.concatenate([c.load[order], np.zeros(d, dtype=np.int64)])
        load_cb = routing.RegisterUnaryTransitVector(loads.tolist())
        routing.AddDimensionWithVehicleCapacity(load_cb, 0, [int(min(x, total)) for x in c.capacity], True, "load")
    quality_coef = [int(round(w.quality_per_job * (1.0 - q) * cost_scale)) for q in c.quality]
    if (c.max_jobs < INF_TIME).any() or any(quality_coef):
        ones = [1] * n + [0] * d
        count_cb = routing.RegisterUnaryTransitVector(ones)
        routing.AddDimensionWithVehicleCapacity(count_cb, 0, [int(min(x, n)) for x in c.max_jobs], True, "count")
        count_dim = routing.GetDimensionOrDie("count")
        for v, coef in enumerate(quality_coef):
            if coef:
                count_dim.SetSpanCostCoefficientForVehicle(coef, v)

    # Working time (travel + service) limit and balancing.
    if (c.max_work < INF_TIME).any() or w.balance_per_second > 0:
        big = int(time_m.sum(axis=1).max()) if n_nodes else 0
        caps = [int(min(x * scale, max(big, 1) * 2)) for x in c.max_work]
        routing.AddDimensionWithVehicleCapacity(time_cb, 0, caps, True, "work")
        if w.balance_per_second > 0:
            routing.GetDimensionOrDie("work").SetGlobalSpanCostCoefficient(max(1, int(round(w.balance_per_second * cost_scale / scale))))

    # Re-planning: a job placed with another technician than before costs move_penalty.
    if previous_tech is not None and move_penalty > 0 and (previous_tech >= 0).any():
        prev_nodes = np.concatenate([previous_tech[order], np.full(d, -1)])
        evaluators = []
        shared = None
        for v in range(m):
            moved = ((prev_nodes >= 0) & (prev_nodes != v)).astype(int)
            if (prev_nodes == v).any() or shared is None:
                cb = routing.RegisterUnaryTransitVector(moved.tolist())
                if not (prev_nodes == v).any():
                    shared = cb
            else:
                cb = shared
            evaluators.append(cb)
        routing.AddDimensionWithVehicleTransits(evaluators, 0, n + 1, True, "moved")
        moved_dim = routing.GetDimensionOrDie("moved")
        coef = int(round(move_penalty * cost_scale))
        for v in range(m):
            moved_dim.SetSpanCostCoefficientForVehicle(coef, v)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, search.first_solution)
    # With a single job a metaheuristic finds no new solutions and would idle until the time limit.
    movable = sum(1 for j, job in enumerate(jobs) if not job.started and allowed[j].any())
    meta = "GREEDY_DESCENT" if movable <= 1 else search.metaheuristic
    params.local_search_metaheuristic = getattr(routing_enums_pb2.LocalSearchMetaheuristic, meta)
    if search.gls_lambda is not None:
        params.guided_local_search_lambda_coefficient = search.gls_lambda
    PROFILES[search.profile](params, n)
    if search.max_solutions is not None:
        params.solution_limit = search.max_solutions
    remaining = max(0.05, search.time_limit_seconds - (time.monotonic() - t_begin))
    if n >= OVERRUN_FROM_JOBS:
        # OR-Tools' own limit runs ~20% over on models this size, idle machine or not (a 400-node city
        # model: 7.4 s took 9.0 s, 14.1 s took 17.5 s; a check on every solution found did not stop it
        # sooner), so it is given that much less.
        remaining *= OVERRUN_SHARE
    params.time_limit.FromMilliseconds(int(remaining * 1000))

    solution = None
    if initial_routes is not None:
        routing.CloseModelWithParameters(params)
        hint = [[manager.NodeToIndex(int(node_of_job[j])) for j in r] for r in initial_routes]
        start_assignment = routing.ReadAssignmentFromRoutes(hint, True)
        if start_assignment is not None:
            solution = routing.SolveFromAssignmentWithParameters(start_assignment, params)
    if solution is None:
        solution = routing.SolveWithParameters(params)
    if solution is None and search.first_solution != "ALL_UNPERFORMED":
        # No first solution (e.g. pinned order and windows clash): start from an empty plan instead.
        retry = Search(**{**search.__dict__, "first_solution": "ALL_UNPERFORMED",
                          "time_limit_seconds": max(0.1, search.time_limit_seconds - (time.monotonic() - t_begin))})
        return route_with_ortools(c, allowed, metric=metric, scale=scale, cost_scale=cost_scale, search=retry,
                                  previous_tech=previous_tech, move_penalty=move_penalty)
    status = _STATUS.get(routing.status(), str(routing.status()))
    routes: list[list[int]] = [[] for _ in range(m)]
    objective = None
    if solution is not None:
        objective = int(solution.ObjectiveValue())
        for v in range(m):
            idx = solution.Value(routing.NextVar(routing.Start(v)))
            while not routing.IsEnd(idx):
                routes[v].append(int(order[manager.IndexToNode(idx)]))
                idx = solution.Value(routing.NextVar(idx))
    return Outcome(routes=routes, status=status, objective=objective,
                   seconds=time.monotonic() - t_begin, config=search)


OVERRUN_FROM_JOBS = 200
OVERRUN_SHARE = 0.8


def scale_for(c: Compiled, requested: int | None) -> int:
    """Integer scaling of times: planar instances carry fractional travel times, so x1000
    (durations are rounded up, so this only loses 0.001 per leg of slack)."""
    if requested is not None:
        return requested
    return 1 if c.problem.travel.geographic else 1000


def cost_scale_for(c: Compiled, requested: int | None) -> int:
    """Integer scaling of costs. Planar costs are kept to 0.1 unit: guided local search stalls
    with very large arc costs (measured on Solomon C101: x1000 stuck at +3.1% for 10 s, x10 found
    the optimum), and 0.1 is the resolution of the published Solomon distance results."""
    if requested is not None:
        return requested
    return 1 if c.problem.travel.geographic else 10


def _gls(params, n: int) -> None:
    """OR-Tools' defaults: guided local search over the standard operators (what solve uses)."""


def _lns_operators(params, n: int) -> None:
    ops = params.local_search_operators
    for name in ("use_path_lns", "use_inactive_lns", "use_global_cheapest_insertion_close_nodes_lns",
                 "use_local_cheapest_insertion_close_nodes_lns", "use_global_cheapest_insertion_expensive_chain_lns",
                 "use_local_cheapest_insertion_expensive_chain_lns", "use_relocate_neighbors", "use_cross_exchange"):
        setattr(ops, name, optional_boolean_pb2.BOOL_TRUE)


def _bandit(params, n: int) -> None:
    params.use_multi_armed_bandit_concatenate_operators = True


def _reset_penalties(params, n: int) -> None:
    params.guided_local_search_reset_penalties_on_new_best_solution = True


def _penalties_in_operators(params, n: int) -> None:
    params.use_guided_local_search_penalties_in_local_search_operators = True


def _sisr(params, n: int) -> None:
    """Iterated local search with SISR ruin and local-cheapest-insertion recreate, simulated-annealing
    acceptance. This wheel (9.15) accepts it and the search never engages it (plans identical to
    plain guided local search): kept so the measurement can be repeated on a newer wheel."""
    params.use_iterated_local_search = True
    ils = params.iterated_local_search_parameters
    ils.perturbation_strategy = 1  # RUIN_AND_RECREATE
    rr = ils.ruin_recreate_parameters
    del rr.ruin_strategies[:]
    sisr = rr.ruin_strategies.add().sisr
    sisr.max_removed_sequence_size = 10
    sisr.avg_num_removed_visits = min(10, max(1, n // 10))
    sisr.bypass_factor = 0.01
    rr.recreate_strategy.heuristic = routing_enums_pb2.FirstSolutionStrategy.LOCAL_CHEAPEST_INSERTION
    ils.improve_perturbed_solution = True
    ils.reference_solution_acceptance_strategy.simulated_annealing.automatic_temperatures = True


# Search profiles: which neighbourhoods and acceptance the OR-Tools search uses. Only "gls" is used by
# default; the others are the options measured on Solomon (dispatch/README.md), all worse or no
# different, kept selectable through SolveParams.search_profile to repeat the measurement.
PROFILES = {
    "gls": _gls,
    "gls_lns": _lns_operators,
    "gls_bandit": _bandit,
    "gls_reset": _reset_penalties,
    "gls_lsops": _penalties_in_operators,
    "ils_sisr": _sisr,
}
