"""Timing of one technician's route from the real (unscaled) travel matrices.

The solver works on integer-scaled times; every reported time is recomputed here from the float
matrices, so a plan is checked independently of the solver. The schedule is the earliest one:
leave at shift start, start each job as soon as arrival and its windows allow (waiting if early).
That schedule is feasible whenever any schedule for the same order is, and finishes earliest.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .compiled import Compiled
from .eligibility import earliest_start_at


@dataclass
class RouteSchedule:
    tech: int
    jobs: list[int]
    arrival: list[float] = field(default_factory=list)
    start: list[float] = field(default_factory=list)
    end: list[float] = field(default_factory=list)
    lateness: list[float] = field(default_factory=list)
    leg_distance: list[float] = field(default_factory=list)  # into each job, then the leg home
    leg_duration: list[float] = field(default_factory=list)
    departure: float = 0.0
    return_time: float = 0.0
    load: int = 0
    violations: list[str] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return not self.violations

    @property
    def travel_distance(self) -> float:
        return float(sum(self.leg_distance))

    @property
    def travel_seconds(self) -> float:
        return float(sum(self.leg_duration))

    @property
    def work_seconds(self) -> float:
        return self.travel_seconds + float(sum(e - s for s, e in zip(self.start, self.end)))


def simulate(c: Compiled, tech: int, jobs: list[int], stop_at_first_violation: bool = False) -> RouteSchedule:
    """Earliest schedule of ``jobs`` (job indices, in order) for technician ``tech``."""
    sched = RouteSchedule(tech=tech, jobs=list(jobs))
    lat = c.max_lateness
    t = float(c.shift_start[tech])
    here = int(c.tech_start_point[tech])
    dist, dur = c.dist, c.dur
    first_travel = None
    for j in jobs:
        p = int(c.job_point[j])
        travel = float(dur[here, p])
        if first_travel is None:
            first_travel = travel
        arrival = t + travel
        ready = max(arrival, float(c.earliest[j]))
        fit = earliest_start_at(c.windows[j], ready, lat)
        if fit is None:
            sched.violations.append(f"job {c.problem.jobs[j].id}: arrives at {arrival:.0f}, after its last window (+ allowed lateness)")
            start, late = ready, ready - c.windows[j][-1][1]
            if stop_at_first_violation:
                return sched
        else:
            start, late = fit
        sched.arrival.append(arrival)
        sched.start.append(start)
        sched.lateness.append(late)
        sched.leg_distance.append(float(dist[here, p]))
        sched.leg_duration.append(travel)
        t = start + float(c.service[j])
        sched.end.append(t)
        sched.load += int(c.load[j])
        here = p
    home = int(c.tech_end_point[tech])
    sched.leg_distance.append(float(dist[here, home]) if jobs else 0.0)
    sched.leg_duration.append(float(dur[here, home]) if jobs else 0.0)
    sched.return_time = t + sched.leg_duration[-1] if jobs else float(c.shift_start[tech])
    # Leave as late as the first job allows, so the technician does not wait at the door.
    sched.departure = float(c.shift_start[tech])
    if jobs:
        sched.departure = max(sched.departure, sched.start[0] - first_travel)
    if sched.return_time > c.shift_end[tech] + 1e-6:
        sched.violations.append(f"back at {sched.return_time:.0f}, after shift end {int(c.shift_end[tech])}")
    if sched.load > c.capacity[tech]:
        sched.violations.append(f"load {sched.load} over capacity {int(c.capacity[tech])}")
    if len(jobs) > c.max_jobs[tech]:
        sched.violations.append(f"{len(jobs)} jobs, over max_jobs {int(c.max_jobs[tech])}")
    if jobs and sched.work_seconds > c.max_work[tech] + 1e-6:
        sched.violations.append(f"works {sched.work_seconds:.0f} s, over max_work_seconds {int(c.max_work[tech])}")
    return sched
