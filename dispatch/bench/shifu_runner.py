"""A Solomon instance as the library's own problem, solved by the same `solve` that dispatches jobs.

The depot is every technician's start and end; each vehicle is a technician whose shift is the depot's
opening hours and whose capacity is the vehicle's; each customer is a job with its demand as load, its
window as the allowed start of service and its service time. Travel is planar Euclidean at speed 1, so
time equals distance, and the objective is distance. There is no separate benchmark model.
"""

from __future__ import annotations

import time

from dispatch import (
    EuclideanTravel,
    Job,
    Location,
    ProblemData,
    Shift,
    SolveParams,
    Technician,
    TimeWindow,
    Weights,
    solve,
)
from dispatch.bench.solomon import Instance
from dispatch.bench.vrptw import SolverRun

# Leaving a customer out must always cost more than any detour could save (Solomon distances are in
# the hundreds to a few thousand units per instance).
UNSERVED_PENALTY = 1e7


def vehicle_id(k: int) -> str:
    return f"vehicle-{k + 1:03d}"


def to_problem(instance: Instance) -> ProblemData:
    depot = instance.depot
    home = Location(x=depot.x, y=depot.y)
    technicians = tuple(
        Technician(
            id=vehicle_id(k),
            shift=Shift(start=int(depot.ready), end=int(depot.due)),
            start=home,
            capacity=instance.capacity,
        )
        for k in range(instance.vehicles)
    )
    jobs = tuple(
        Job(
            id=str(c.number),
            location=Location(x=c.x, y=c.y),
            service_seconds=int(c.service),
            windows=(TimeWindow(start=int(c.ready), end=int(c.due)),),
            load=c.demand,
        )
        for c in instance.customers
    )
    return ProblemData(
        technicians=technicians,
        jobs=jobs,
        travel=EuclideanTravel(speed=1.0),
        weights=Weights(unassigned_penalty=UNSERVED_PENALTY),
    )


def solve_with_shifu(instance: Instance, time_limit: float, seed: int = 0, workers: int = 1) -> SolverRun:
    problem = to_problem(instance)
    params = SolveParams(
        time_limit_seconds=time_limit, seed=seed, objective="distance", num_workers=workers, explain=False
    )
    start = time.perf_counter()
    result = solve(problem, params)
    seconds = time.perf_counter() - start
    # Unassigned jobs are simply absent here; the independent checker reports them as not visited.
    routes = [[int(job_id) for job_id in route.job_ids] for route in result.routes]
    return SolverRun(routes=routes, seconds=seconds)
