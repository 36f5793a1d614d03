"""An independent VRPTW feasibility checker.

It recomputes everything from the instance file and the visiting order alone, never from a solver's
own times or costs, so that a solver cannot grade its own homework: every customer exactly once,
capacity, time windows with travel time = unrounded Euclidean distance and waiting allowed, return to
the depot by its due date, and at most the instance's vehicles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dispatch.bench.solomon import Instance

# Reference solutions are computed in double precision too; this only absorbs summation order.
TOLERANCE = 1e-6


@dataclass
class CheckResult:
    distance: float
    vehicles: int  # non-empty routes
    violations: list[str] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return not self.violations


def check(instance: Instance, routes: list[list[int]]) -> CheckResult:
    numbers = {c.number for c in instance.customers}
    used = [list(r) for r in routes if len(r) > 0]
    result = CheckResult(distance=0.0, vehicles=len(used))
    problems = result.violations

    if len(used) > instance.vehicles:
        problems.append(f"{len(used)} routes, the instance has {instance.vehicles} vehicles")

    seen: dict[int, int] = {}
    for r, route in enumerate(used):
        for number in route:
            if number not in numbers:
                problems.append(f"route {r}: {number} is not a customer of {instance.name}")
            elif number in seen:
                problems.append(f"customer {number} visited twice (routes {seen[number]} and {r})")
            else:
                seen[number] = r
    missing = sorted(numbers - seen.keys())
    if missing:
        shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
        problems.append(f"{len(missing)} customer(s) not visited: {shown}")
    if any(n not in numbers for route in used for n in route):
        return result  # times and distances mean nothing on unknown nodes

    depot = instance.depot
    for r, route in enumerate(used):
        load = sum(instance.node(n).demand for n in route)
        if load > instance.capacity:
            problems.append(f"route {r}: load {load} exceeds capacity {instance.capacity}")
        time = depot.ready
        here = depot
        for number in route:
            there = instance.node(number)
            leg = instance.distance(here, there)
            result.distance += leg
            arrival = time + leg
            if arrival > there.due + TOLERANCE:
                problems.append(
                    f"route {r}: customer {number} reached at {arrival:.4f}, after its due date {there.due:g}"
                )
            time = max(arrival, there.ready) + there.service
            here = there
        leg = instance.distance(here, depot)
        result.distance += leg
        back = time + leg
        if back > depot.due + TOLERANCE:
            problems.append(f"route {r}: back at the depot at {back:.4f}, after its due date {depot.due:g}")
    return result
