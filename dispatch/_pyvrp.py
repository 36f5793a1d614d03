"""The PyVRP portfolio member: solves the problems whose every rule PyVRP's model expresses exactly.

PyVRP (hybrid genetic search) is far ahead of OR-Tools' guided local search on time-windowed
vehicle routing (Solomon, 10 s: see README), but its model lacks several of Shifu's rules. This
adapter therefore refuses a problem unless each rule maps one to one: windows (one per job),
shifts, bases, capacity and job count (as load dimensions), optional jobs with their penalty as
prize, and who may take which job (one routing profile per eligibility class, arcs into forbidden
jobs made unusable). Whatever it returns is re-timed and re-checked by ``dispatch.schedule``
before ``solve`` uses it, so a modelling slip here can cost quality but never feasibility.
"""
from __future__ import annotations

import time

import numpy as np

from .compiled import INF_TIME, Compiled

# More eligibility classes mean more full matrices (one profile each): past this the memory and the
# matrix building outweigh the better search.
MAX_PROFILES = 8
# Profiles need a location per job (a forbidden job must not share a point with an allowed one).
MAX_JOBS_WITH_PROFILES = 2000


def available() -> bool:
    try:
        import pyvrp  # noqa: F401
    except ImportError:
        return False
    return True


def unsupported(c: Compiled, allowed: np.ndarray) -> str | None:
    """Why PyVRP's model cannot express this problem exactly, or None when it can."""
    p = c.problem
    w = p.weights
    if c.n_jobs == 0 or c.n_techs == 0:
        return "empty problem"
    if w.max_lateness_seconds > 0:
        return "soft lateness"
    if w.balance_per_second > 0:
        return "workload balancing"
    if w.quality_per_job > 0 and len(set(c.quality.tolist())) > 1:
        return "quality preference"
    if (c.max_work < INF_TIME).any():
        return "working-time limit (PyVRP limits the route's duration, waiting included)"
    if any(t.breaks for t in p.technicians):
        return "breaks"
    if any(j.pinned_technician is not None for j in p.jobs):
        return "pinned jobs"
    if any(len(wins) > 1 for wins in c.windows):
        return "several windows per job"
    classes = len({col.tobytes() for col in allowed.T})
    if classes > MAX_PROFILES:
        return f"{classes} eligibility classes (more than {MAX_PROFILES})"
    if classes > 1 and c.n_jobs > MAX_JOBS_WITH_PROFILES:
        return "too large for per-class profiles"
    return None


def route_with_pyvrp(c: Compiled, allowed: np.ndarray, *, metric: str, scale: int, cost_scale: int,
                     deadline: float, seed: int = 0) -> list[list[int]] | None:
    """Job indices per technician from PyVRP's best feasible solution, or None if it found none.

    ``deadline`` is on the monotonic clock, which a forked process shares with its parent, so a slow
    process start on a busy machine comes out of PyVRP's time rather than past the limit."""
    import pyvrp
    from pyvrp.stop import MaxRuntime

    data, tech_of_type = _data(c, allowed, metric, scale, cost_scale)
    remaining = deadline - time.monotonic()
    if remaining <= 0.05:
        return None
    res = pyvrp.solve(data, stop=MaxRuntime(remaining), seed=seed, collect_stats=False, display=False)
    if not res.best.is_feasible():
        return None
    routes: list[list[int]] = [[] for _ in range(c.n_techs)]
    used = {k: 0 for k in range(len(tech_of_type))}
    for route in res.best.routes():
        k = route.vehicle_type()
        tech = tech_of_type[k][used[k]]
        used[k] += 1
        routes[tech] = [a.idx for a in route if a.is_client()]
    return routes


def _data(c: Compiled, allowed: np.ndarray, metric: str, scale: int, cost_scale: int):
    import pyvrp

    n, m = c.n_jobs, c.n_techs
    w = c.problem.weights
    finite = [int(x) for x in c.shift_start] + [win[0][0] for win in c.windows if win]
    t0 = min(finite)
    horizon = int(max(int(x) for x in c.shift_end) - t0) * scale

    # Eligibility classes: technicians whose allowed-job columns are identical share a profile.
    class_of_col: dict[bytes, int] = {}
    tech_class = np.array([class_of_col.setdefault(allowed[:, t].tobytes(), len(class_of_col)) for t in range(m)])
    n_classes = len(class_of_col)
    base_points = sorted(set(c.tech_start_point.tolist()) | set(c.tech_end_point.tolist()))
    if n_classes == 1:
        # Jobs can share points with each other and with bases: one location per unique point.
        loc_points = np.arange(len(c.points))
        job_loc = c.job_point
        depot_loc = {p: p for p in base_points}
    else:
        loc_points = np.concatenate([np.array(base_points, dtype=np.int64), c.job_point])
        job_loc = len(base_points) + np.arange(n)
        depot_loc = {p: i for i, p in enumerate(base_points)}
    locations = [pyvrp.Location(x=float(c.points[p, 0]), y=float(c.points[p, 1])) for p in loc_points]
    pts = loc_points
    dur = np.ceil(c.dur[np.ix_(pts, pts)] * scale - 1e-9).astype(np.int64)
    cost_src = c.dist if metric == "distance" else c.dur
    cost = np.rint(cost_src[np.ix_(pts, pts)] * cost_scale).astype(np.int64)
    np.fill_diagonal(dur, 0)
    np.fill_diagonal(cost, 0)

    depot_index = {p: i for i, p in enumerate(base_points)}
    depots = [pyvrp.Depot(location=int(depot_loc[p])) for p in base_points]

    has_load = bool(c.load.any() and (c.capacity < INF_TIME).any())
    has_count = bool((c.max_jobs < INF_TIME).any())
    total_load = int(c.load.sum())

    def delivery(j: int) -> list[int]:
        out = []
        if has_load:
            out.append(int(c.load[j]))
        if has_count:
            out.append(1)
        return out

    prizes = []
    clients = []
    for j in range(n):
        win = c.windows[j]
        lo = int(c.earliest[j]) if c.earliest[j] > -INF_TIME else t0
        if win:
            lo = max(lo, win[0][0])
        early = max(0, lo - t0) * scale
        late = (win[-1][1] - t0) * scale if win else horizon
        prize = int(min(w.unassigned_penalty * (1 + c.priority[j]) * cost_scale, 2**50))
        prizes.append(prize)
        ok = bool(allowed[j].any()) and early <= late
        clients.append(pyvrp.Client(
            location=int(job_loc[j]), delivery=delivery(j), service_duration=int(c.service[j]) * scale,
            tw_early=int(early), tw_late=int(late) if ok else int(early),
            prize=prize if ok else 0, required=False))

    # A forbidden arc costs more than any prize and breaks every window, so PyVRP never keeps it.
    forbid_cost = int(min(max(prizes, default=1) * 10 + 10**6, 2**52))
    forbid_dur = horizon * 4 + 10**6
    dist_mats, dur_mats = [], []
    classes = sorted(class_of_col.items(), key=lambda kv: kv[1])
    for col_bytes, _k in classes:
        if n_classes == 1:
            dist_mats.append(cost)
            dur_mats.append(dur)
            continue
        col = np.frombuffer(col_bytes, dtype=allowed.dtype).astype(bool)
        bad = job_loc[~col]
        dm, tm = cost.copy(), dur.copy()
        dm[:, bad] = forbid_cost
        tm[:, bad] = forbid_dur
        np.fill_diagonal(dm, 0)  # PyVRP requires zero diagonals; staying put is never a move
        np.fill_diagonal(tm, 0)
        dist_mats.append(dm)
        dur_mats.append(tm)

    # Identical technicians form one vehicle type; the type's routes go to them in order.
    types: dict[tuple, list[int]] = {}
    for t in range(m):
        key = (int(c.tech_start_point[t]), int(c.tech_end_point[t]), int(c.shift_start[t]), int(c.shift_end[t]),
               int(c.capacity[t]), int(c.max_jobs[t]), int(tech_class[t]))
        types.setdefault(key, []).append(t)
    vehicle_types = []
    tech_of_type = []
    for (sp, ep, ss, se, cap, mj, cls), techs in types.items():
        capacity = []
        if has_load:
            capacity.append(int(min(cap, total_load)))
        if has_count:
            capacity.append(int(min(mj, n)))
        vehicle_types.append(pyvrp.VehicleType(
            num_available=len(techs), capacity=capacity, start_depot=depot_index[sp], end_depot=depot_index[ep],
            tw_early=(ss - t0) * scale, tw_late=(se - t0) * scale, profile=cls))
        tech_of_type.append(techs)
    data = pyvrp.ProblemData(locations=locations, clients=clients, depots=depots, vehicle_types=vehicle_types,
                             distance_matrices=dist_mats, duration_matrices=dur_mats)
    return data, tech_of_type
