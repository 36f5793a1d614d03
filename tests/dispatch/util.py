"""Builders for tiny hand-checkable problems and an independent plan checker (plain math, no dispatch internals)."""
from __future__ import annotations

import math

from dispatch import EuclideanTravel, Job, Location, ProblemData, Result, Shift, SolveParams, Technician, TimeWindow

FAST = SolveParams(time_limit_seconds=2, max_solutions=200, explain=True)


def tech(id="T1", x=0.0, y=0.0, start=0, end=1000, **kw) -> Technician:
    return Technician(id=id, shift=Shift(start=start, end=end), start=Location(x=x, y=y), **kw)


def job(id, x, y=0.0, service=0, windows=(), **kw) -> Job:
    return Job(id=id, location=Location(x=x, y=y), service_seconds=service,
               windows=[TimeWindow(start=a, end=b) for a, b in windows], **kw)


def planar(techs, jobs, **kw) -> ProblemData:
    return ProblemData(technicians=techs, jobs=jobs, travel=EuclideanTravel(), **kw)


def check_plan(problem: ProblemData, result: Result, speed: float = 1.0) -> None:
    """Re-derive every time of a planar plan and assert windows, shifts, skills, areas, capacity."""
    techs = {t.id: t for t in problem.technicians}
    jobs = {j.id: j for j in problem.jobs}
    seen = set()
    lat = problem.weights.max_lateness_seconds
    for route in result.routes:
        t = techs[route.technician_id]
        here = t.start
        clock = t.shift.start
        load = 0
        for s in route.stops:
            j = jobs[s.job_id]
            assert s.job_id not in seen, f"{s.job_id} planned twice"
            seen.add(s.job_id)
            if j.pinned_technician is not None:
                assert j.pinned_technician == t.id, f"{j.id} pinned to {j.pinned_technician}, planned for {t.id}"
            codes = {k.code for k in t.skills}
            assert set(j.required_skills) <= codes, f"{t.id} lacks skills for {j.id}"
            travel = math.hypot(j.location.x - here.x, j.location.y - here.y) / speed
            assert s.arrival >= clock + travel - 1e-6, f"{j.id}: arrival {s.arrival} before {clock + travel}"
            assert s.start >= s.arrival - 1e-9
            if j.earliest_start is not None:
                assert s.start >= j.earliest_start - 1e-9
            if j.windows:
                assert any(w.start - 1e-9 <= s.start <= w.end + lat + 1e-6 for w in j.windows), f"{j.id} starts {s.start} outside {j.windows}"
            assert abs(s.end - s.start - j.service_seconds) < 1e-6
            clock = s.end
            here = j.location
            load += j.load
        if route.stops:
            end = t.end_location
            back = clock + math.hypot(end.x - here.x, end.y - here.y) / speed
            assert back <= t.shift.end + 1e-6, f"{t.id} back at {back} after {t.shift.end}"
        if t.capacity is not None:
            assert load <= t.capacity
        if t.max_jobs is not None:
            assert len(route.stops) <= t.max_jobs
    assert seen | set(result.unassigned) == set(jobs), "every job is either planned or unassigned"
    assert not (seen & set(result.unassigned))
