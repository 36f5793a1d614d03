"""Solving a Solomon instance with PyVRP, the yardstick the library is compared against.

PyVRP is an optional dev dependency, imported only when asked for. It works on integers, so distances
are scaled by 1000; travel *durations* are rounded up so that a schedule PyVRP finds feasible is also
feasible with the unrounded travel times the independent checker uses.
"""

from __future__ import annotations

import math
import time

from dispatch.bench.solomon import BenchInputError, Instance
from dispatch.bench.vrptw import SolverRun

SCALE = 1000


def solve_with_pyvrp(instance: Instance, time_limit: float, seed: int = 0) -> SolverRun:
    try:
        import pyvrp
        from pyvrp.stop import MaxRuntime
    except ImportError:
        raise BenchInputError(
            "--vs pyvrp needs PyVRP, an optional dev dependency: run `uv sync` (dev group) or `pip install pyvrp`"
        ) from None

    model = pyvrp.Model()
    nodes = (instance.depot, *instance.customers)
    locations = [model.add_location(x=n.x, y=n.y) for n in nodes]
    depot = model.add_depot(
        locations[0], tw_early=_scaled(instance.depot.ready), tw_late=_scaled(instance.depot.due)
    )
    model.add_vehicle_type(num_available=instance.vehicles, capacity=instance.capacity, start_depot=depot)
    for loc, customer in zip(locations[1:], instance.customers):
        model.add_client(
            loc,
            delivery=customer.demand,
            service_duration=_scaled(customer.service),
            tw_early=_scaled(customer.ready),
            tw_late=_scaled(customer.due),
        )
    for a, loc_a in zip(nodes, locations):
        for b, loc_b in zip(nodes, locations):
            if a is not b:
                d = instance.distance(a, b) * SCALE
                model.add_edge(loc_a, loc_b, distance=round(d), duration=math.ceil(d))

    data = model.data()
    start = time.perf_counter()
    result = pyvrp.solve(data, stop=MaxRuntime(time_limit), seed=seed, collect_stats=False, display=False)
    seconds = time.perf_counter() - start
    # A route is a sequence of activities; a client activity's idx counts clients in the order added.
    routes = [
        [instance.customers[activity.idx].number for activity in route if activity.is_client()]
        for route in result.best.routes()
    ]
    return SolverRun(routes=routes, seconds=seconds)


def _scaled(t: float) -> int:
    return round(t * SCALE)
