"""One independent evaluation for every city plan, whoever made it.

A plan is, per technician, the job ids in visiting order. The evaluator recomputes the day from the
city alone (its own great-circle formula, the city's circuity and speed): the technician leaves home at
the start of the shift, waits at a job until its window opens, and must be home by the end of the
shift. It counts jobs done on time (service starts inside the window), late jobs, unassigned jobs and
travel, and lists every rule the plan breaks (skills and certificates, service area, shift, van capacity).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from shapely import prepared
from shapely.geometry import Point

from dispatch.bench.city import City

EARTH_RADIUS_M = 6_371_008.8


def road_metres(city: City, a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h))) * city.circuity


def travel_seconds(city: City, metres: float) -> float:
    return metres / (city.speed_kmh / 3.6)


@dataclass
class Evaluation:
    jobs: int
    assigned: int = 0
    on_time: int = 0
    late: int = 0
    travel_km: float = 0.0
    technicians_used: int = 0
    violations: list[str] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return not self.violations

    @property
    def unassigned(self) -> int:
        return self.jobs - self.assigned

    @property
    def travel_km_per_job(self) -> float | None:
        return self.travel_km / self.assigned if self.assigned else None

    def as_dict(self) -> dict:
        return {
            "jobs": self.jobs,
            "assigned": self.assigned,
            "on_time": self.on_time,
            "on_time_share": round(self.on_time / self.jobs, 4),
            "late": self.late,
            "unassigned": self.unassigned,
            "travel_km": round(self.travel_km, 3),
            "travel_km_per_job": None if self.travel_km_per_job is None else round(self.travel_km_per_job, 4),
            "technicians_used": self.technicians_used,
            "feasible": self.feasible,
            "violations": self.violations[:20],
            "violation_count": len(self.violations),
        }


def evaluate(city: City, plan: dict[str, list[str]]) -> Evaluation:
    techs = {t.id: t for t in city.technicians}
    jobs = {j.id: j for j in city.jobs}
    result = Evaluation(jobs=len(jobs))
    problems = result.violations
    seen: dict[str, str] = {}
    for tech_id, route in plan.items():
        if tech_id not in techs:
            problems.append(f"unknown technician {tech_id}")
            continue
        if not route:
            continue
        tech = techs[tech_id]
        area = prepared.prep(city.area(tech))
        result.technicians_used += 1
        time, here = float(tech.shift[0]), tech.home
        for job_id in route:
            job = jobs.get(job_id)
            if job is None:
                problems.append(f"{tech_id}: unknown job {job_id}")
                continue
            if job_id in seen:
                problems.append(f"job {job_id} planned twice ({seen[job_id]} and {tech_id})")
                continue
            seen[job_id] = tech_id
            result.assigned += 1
            if not tech.can_do(job.skills):
                problems.append(f"{tech_id} lacks a valid certificate for {job_id} ({', '.join(job.skills)})")
            if not area.covers(Point(job.location)):
                problems.append(f"{job_id} is outside {tech_id}'s service area")
            metres = road_metres(city, here, job.location)
            result.travel_km += metres / 1000
            arrival = time + travel_seconds(city, metres)
            start = max(arrival, job.window[0])
            if start <= job.window[1] + 1e-6:
                result.on_time += 1
            else:
                result.late += 1
            time, here = start + job.service_seconds, job.location
        load = sum(jobs[j].load for j in route if j in jobs)
        if tech.capacity is not None and load > tech.capacity:
            problems.append(f"{tech_id} carries {load} units, over the van's {tech.capacity}")
        metres = road_metres(city, here, tech.home)
        result.travel_km += metres / 1000
        home_at = time + travel_seconds(city, metres)
        if home_at > tech.shift[1] + 1e-6:
            problems.append(f"{tech_id} home at {home_at / 3600:.2f} h, after the shift ends at {tech.shift[1] / 3600:.2f} h")
    return result


def trim(city: City, plan: dict[str, list[str]], keep: int) -> dict[str, list[str]]:
    """The plan cut down to ``keep`` jobs, each time dropping the job whose removal saves the most
    travel (the evaluator's formula). Dropping a visit never makes a later one later (the travel
    obeys the triangle inequality), so a feasible plan stays feasible and on-time jobs stay on time:
    this compares travel per job with another plan *doing the same amount of work*."""
    techs = {t.id: t for t in city.technicians}
    jobs = {j.id: j for j in city.jobs}
    routes = {t: list(r) for t, r in plan.items()}

    def stops(t: str) -> list[tuple[float, float]]:
        home = techs[t].home
        return [home] + [jobs[j].location for j in routes[t]] + [home]

    def saving(t: str, k: int) -> float:
        s = stops(t)
        return road_metres(city, s[k], s[k + 1]) + road_metres(city, s[k + 1], s[k + 2]) - road_metres(city, s[k], s[k + 2])

    best = {t: max(((saving(t, k), k) for k in range(len(r))), default=None) for t, r in routes.items()}
    total = sum(len(r) for r in routes.values())
    while total > keep:
        t = max((t for t in best if best[t] is not None), key=lambda t: best[t][0])
        routes[t].pop(best[t][1])
        best[t] = max(((saving(t, k), k) for k in range(len(routes[t]))), default=None)
        total -= 1
    return routes


def objective_seconds(city: City, evaluation: Evaluation, plan: dict[str, list[str]], penalty: float) -> float:
    """What both OR-Tools models minimise: travel seconds plus ``penalty`` x (1 + priority) per job left out."""
    planned = {j for r in plan.values() for j in r}
    left_out = sum(penalty * (1 + j.priority) for j in city.jobs if j.id not in planned)
    return travel_seconds(city, evaluation.travel_km * 1000) + left_out
