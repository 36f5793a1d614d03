"""Re-planning a day under way.

Given the plan being executed, what has happened (jobs done, jobs in progress, jobs the
technicians accepted, where they are now) and a change (a new urgent job, a technician off sick, a
job overrunning), :func:`replan` re-solves from ``now``:

- done jobs leave the problem; a job in progress stays first on its technician's route (its
  remaining service is what is left of the planned service, plus any overrun), and the technician
  starts from there;
- accepted jobs stay with their technician in their previous order (pinned);
- every other job may move, but moving it off its previous technician costs ``move_penalty``
  (objective units), so the new plan changes as few assignments as it can; the previous plan seeds
  the search;
- the answer lists what moved, what dropped out and what was added.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Iterable, Mapping

import numpy as np

from .compiled import compile_problem
from .params import SolveParams
from .problem import Job, Location, ProblemData, Shift
from .result import Result
from .solve import solve_compiled


@dataclass(frozen=True)
class NewJob:
    job: Job


@dataclass(frozen=True)
class TechnicianOff:
    technician_id: str


@dataclass(frozen=True)
class JobOverrun:
    job_id: str
    extra_seconds: int


Change = NewJob | TechnicianOff | JobOverrun


@dataclass(frozen=True)
class Move:
    job_id: str
    from_technician: str
    to_technician: str


@dataclass
class Replan:
    result: Result
    problem: ProblemData  # the problem that was re-solved (from ``now``)
    moved: list[Move] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # planned before, unassigned now
    added: list[str] = field(default_factory=list)  # not planned before, planned now

    def summary(self) -> str:
        parts = [f"{len(self.moved)} job(s) moved"]
        parts += [f"{m.job_id}: {m.from_technician} -> {m.to_technician}" for m in self.moved[:10]]
        if self.dropped:
            parts.append(f"dropped: {', '.join(self.dropped)}")
        if self.added:
            parts.append(f"added: {', '.join(self.added)}")
        return "; ".join(parts)


def replan(problem: ProblemData, previous: Result, now: int, *, done: Iterable[str] = (),
           started: Iterable[str] = (), accepted: Iterable[str] = (),
           positions: Mapping[str, Location] | None = None, changes: Iterable[Change] = (),
           params: SolveParams | None = None, move_penalty: float = 600.0) -> Replan:
    """Re-solve the rest of the day from ``now`` keeping started and accepted jobs in place."""
    t_begin = time.monotonic()
    params = params or SolveParams()
    done, started, accepted = set(done), set(started), set(accepted)
    positions = dict(positions or {})
    changes = list(changes)
    off = {c.technician_id for c in changes if isinstance(c, TechnicianOff)}
    overrun: dict[str, int] = {}
    for c in changes:
        if isinstance(c, JobOverrun):
            overrun[c.job_id] = overrun.get(c.job_id, 0) + c.extra_seconds
    new_jobs = [c.job for c in changes if isinstance(c, NewJob)]

    before = previous.sequences()
    owner = {j: t for t, seq in before.items() for j in seq}
    stop_of = {s.job_id: s for r in previous.routes for s in r.stops}
    jobs_by_id = {j.id: j for j in problem.jobs}

    techs = []
    for t in problem.technicians:
        if t.id in off:
            continue
        seq = [j for j in before.get(t.id, []) if j not in done]
        current = next((j for j in seq if j in started), None)
        if current is not None:
            start = jobs_by_id[current].location
        elif t.id in positions:
            start = positions[t.id]
        else:
            finished = [j for j in before.get(t.id, []) if j in done]
            start = jobs_by_id[finished[-1]].location if finished else t.start
        shift = Shift(start=max(t.shift.start, min(now, t.shift.end)), end=t.shift.end)
        techs.append(t.model_copy(update={"start": start, "shift": shift, "end": t.end_location}))
    kept_techs = {t.id for t in techs}

    jobs = []
    for j in list(problem.jobs) + new_jobs:
        if j.id in done:
            continue
        tech = owner.get(j.id)
        update: dict = {"pinned_technician": None, "pinned_sequence": None, "started": False}
        if tech in kept_techs and j.id in started:
            planned_end = stop_of[j.id].end if j.id in stop_of else now + j.service_seconds
            # Whole seconds rounded down: rounding up pushed the next job a fraction of a second past
            # a window end the plan met exactly, and the re-plan dropped it.
            remaining = max(0, math.floor(planned_end - now)) + overrun.get(j.id, 0)
            update = {"pinned_technician": tech, "pinned_sequence": 0, "started": True,
                      "service_seconds": remaining, "earliest_start": None}
        elif tech in kept_techs and j.id in accepted:
            update["pinned_technician"] = tech
            update["pinned_sequence"] = before[tech].index(j.id) + 1
        elif j.id in overrun:
            update["service_seconds"] = j.service_seconds + overrun[j.id]
        jobs.append(j.model_copy(update=update))
    new_problem = problem.replace(technicians=tuple(techs), jobs=tuple(jobs))

    c = compile_problem(new_problem)
    previous_tech = np.array([c.tech_index.get(owner.get(j.id, ""), -1) for j in new_problem.jobs], dtype=np.int64)
    hint = [[c.job_index[j] for j in before.get(t.id, []) if j in c.job_index] for t in new_problem.technicians]
    result = solve_compiled(c, params, initial_routes=hint, previous_tech=previous_tech,
                            move_penalty=move_penalty, started_at=t_begin)

    after = result.assignment()
    moved = [Move(j, owner[j], after[j]) for j in after if j in owner and owner[j] != after[j]]
    dropped = [j for j in owner if j not in done and j not in after and j in c.job_index]
    added = [j for j in after if j not in owner]
    return Replan(result=result, problem=new_problem, moved=moved, dropped=dropped, added=added)
