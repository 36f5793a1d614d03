"""The honest baseline: a plain OR-Tools model of the city day, as a competent engineer would write it
in an afternoon from the OR-Tools guides, with none of the library's tuning.

Technicians are vehicles from home to home; each job is an optional node (penalty = the library's
default unassigned penalty x (1 + priority)) restricted to the technicians who hold a valid
certificate and cover the address; a time dimension carries windows and shifts, a load dimension
capacity. Path-cheapest-arc construction, guided local search, default parameters otherwise. Travel
is the evaluator's own (great circle x circuity at the city's speed), in whole seconds rounded up so
that a plan feasible here is feasible for the evaluator.
"""

from __future__ import annotations

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from shapely import prepared
from shapely.geometry import Point

from dispatch.bench.city import City
from dispatch.bench.city_eval import EARTH_RADIUS_M, road_metres, travel_seconds

PENALTY_SECONDS = 100_000  # dispatch.Weights' default unassigned penalty, in seconds of travel


def plain_ortools_plan(city: City, time_limit: float, first_solution: str = "PATH_CHEAPEST_ARC") -> dict[str, list[str]]:
    """``first_solution``: the issue's baseline is path-cheapest-arc; parallel cheapest insertion is the
    same model with the construction OR-Tools documents for optional visits (it fills the day)."""
    techs, jobs = city.technicians, city.jobs
    m, n = len(techs), len(jobs)
    # Nodes: jobs 0..n-1, then one home node per technician.
    points = [j.location for j in jobs] + [t.home for t in techs]
    seconds = _seconds_matrix(city, points)
    service = [j.service_seconds for j in jobs] + [0] * m

    manager = pywrapcp.RoutingIndexManager(len(points), m, [n + k for k in range(m)], [n + k for k in range(m)])
    routing = pywrapcp.RoutingModel(manager)
    travel_cb = routing.RegisterTransitMatrix(seconds)
    time_cb = routing.RegisterTransitMatrix((np.array(seconds) + np.array(service)[:, None]).tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(travel_cb)
    horizon = max(t.shift[1] for t in techs)
    routing.AddDimension(time_cb, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for v, t in enumerate(techs):
        time_dim.CumulVar(routing.Start(v)).SetRange(t.shift[0], t.shift[1])
        time_dim.CumulVar(routing.End(v)).SetRange(t.shift[0], t.shift[1])

    loads = [getattr(j, "load", 0) for j in jobs]
    if any(loads) and any(getattr(t, "capacity", None) is not None for t in techs):
        load_cb = routing.RegisterUnaryTransitVector(loads + [0] * m)
        caps = [sum(loads) if getattr(t, "capacity", None) is None else t.capacity for t in techs]
        routing.AddDimensionWithVehicleCapacity(load_cb, 0, caps, True, "load")

    areas = [prepared.prep(city.area(t)) for t in techs]
    for j, job in enumerate(jobs):
        idx = manager.NodeToIndex(j)
        time_dim.CumulVar(idx).SetRange(job.window[0], job.window[1])
        here = Point(job.location)
        allowed = [v for v, t in enumerate(techs) if t.can_do(job.skills) and areas[v].covers(here)]
        routing.AddDisjunction([idx], PENALTY_SECONDS * (1 + job.priority))
        if not allowed:
            routing.ActiveVar(idx).SetValue(0)
        elif len(allowed) < m:
            routing.VehicleVar(idx).SetValues([-1] + allowed)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, first_solution)
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(time_limit * 1000))
    solution = routing.SolveWithParameters(params)
    plan: dict[str, list[str]] = {t.id: [] for t in techs}
    if solution is None:
        return plan
    for v, t in enumerate(techs):
        idx = solution.Value(routing.NextVar(routing.Start(v)))
        while not routing.IsEnd(idx):
            plan[t.id].append(jobs[manager.IndexToNode(idx)].id)
            idx = solution.Value(routing.NextVar(idx))
    return plan


def _seconds_matrix(city: City, points) -> list[list[int]]:
    """``road_metres`` / ``travel_seconds`` for every pair, vectorised (the same formula)."""
    lon, lat = np.radians(np.array(points, dtype=float)).T
    h = (np.sin((lat[None, :] - lat[:, None]) / 2) ** 2
         + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin((lon[None, :] - lon[:, None]) / 2) ** 2)
    metres = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(1.0, h))) * city.circuity
    secs = np.ceil(metres / (city.speed_kmh / 3.6) - 1e-9).astype(np.int64)
    np.fill_diagonal(secs, 0)
    # Rounded up, so a spot check against the evaluator's scalar formula must never come out lower.
    assert len(points) < 2 or secs[0, 1] >= travel_seconds(city, road_metres(city, points[0], points[1])) - 1e-6
    return secs.tolist()
