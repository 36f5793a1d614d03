"""A ProblemData turned into arrays: unique points, travel matrices and per-job/per-technician vectors.

Solve, schedules, explanations, offers and re-planning all work on this form, so the travel
matrices are computed once per problem.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .problem import ProblemData

INF_TIME = 10**12  # stands for "no bound" in time arithmetic


@dataclass(frozen=True, eq=False)
class Compiled:
    problem: ProblemData
    points: np.ndarray  # (P, 2) unique locations
    dist: np.ndarray  # (P, P) distance, metres or planar units
    dur: np.ndarray  # (P, P) duration, seconds or planar time units
    job_point: np.ndarray  # (n,) index into points
    tech_start_point: np.ndarray  # (m,)
    tech_end_point: np.ndarray  # (m,)
    service: np.ndarray  # (n,) seconds
    load: np.ndarray  # (n,)
    priority: np.ndarray  # (n,)
    earliest: np.ndarray  # (n,) earliest start (or -INF_TIME)
    windows: tuple[tuple[tuple[int, int], ...], ...]  # per job, sorted; () = any time
    shift_start: np.ndarray  # (m,)
    shift_end: np.ndarray  # (m,)
    capacity: np.ndarray  # (m,) INF_TIME when unlimited
    max_jobs: np.ndarray  # (m,) INF_TIME when unlimited
    max_work: np.ndarray  # (m,) INF_TIME when unlimited
    quality: np.ndarray  # (m,)
    job_index: dict[str, int] = field(default_factory=dict)
    tech_index: dict[str, int] = field(default_factory=dict)

    @property
    def n_jobs(self) -> int:
        return len(self.job_point)

    @property
    def n_techs(self) -> int:
        return len(self.tech_start_point)

    @property
    def max_lateness(self) -> int:
        return self.problem.weights.max_lateness_seconds


def compile_problem(problem: ProblemData, matrices: tuple[np.ndarray, np.ndarray] | None = None) -> Compiled:
    """Collect unique points and compute (or accept) the travel matrices over them."""
    coords: dict[tuple[float, float], int] = {}

    def point(loc) -> int:
        key = (loc.x, loc.y)
        if key not in coords:
            coords[key] = len(coords)
        return coords[key]

    tech_start = np.array([point(t.start) for t in problem.technicians], dtype=np.int64)
    tech_end = np.array([point(t.end_location) for t in problem.technicians], dtype=np.int64)
    job_point = np.array([point(j.location) for j in problem.jobs], dtype=np.int64)
    points = np.array(list(coords.keys()), dtype=float).reshape(-1, 2)
    if matrices is None:
        dist, dur = problem.travel.matrices(points)
    else:
        dist, dur = matrices
        if dist.shape != (len(points), len(points)) or dur.shape != dist.shape:
            raise ValueError(f"matrices must be {len(points)}x{len(points)} (unique points in first-seen order)")
    big = INF_TIME
    jobs = problem.jobs
    techs = problem.technicians
    return Compiled(
        problem=problem,
        points=points,
        dist=dist,
        dur=dur,
        job_point=job_point,
        tech_start_point=tech_start,
        tech_end_point=tech_end,
        service=np.array([j.service_seconds for j in jobs], dtype=np.int64),
        load=np.array([j.load for j in jobs], dtype=np.int64),
        priority=np.array([j.priority for j in jobs], dtype=np.int64),
        earliest=np.array([-big if j.earliest_start is None else j.earliest_start for j in jobs], dtype=np.int64),
        windows=tuple(() if j.started else tuple((w.start, w.end) for w in j.windows) for j in jobs),
        shift_start=np.array([t.shift.start for t in techs], dtype=np.int64),
        shift_end=np.array([t.shift.end for t in techs], dtype=np.int64),
        capacity=np.array([big if t.capacity is None else t.capacity for t in techs], dtype=np.int64),
        max_jobs=np.array([big if t.max_jobs is None else t.max_jobs for t in techs], dtype=np.int64),
        max_work=np.array([big if t.max_work_seconds is None else t.max_work_seconds for t in techs], dtype=np.int64),
        quality=np.array([t.quality for t in techs], dtype=float),
        job_index=problem.job_index(),
        tech_index=problem.technician_index(),
    )
