"""Reasons for unassigned jobs and explanations for assigned ones.

Unassigned jobs are diagnosed from the eligibility pre-check first (area, skills, certificates,
capacity, reachability in a window); a job that passed it but is still out is tested for
insertion into every eligible technician's final route: if load, job count or working time is
what blocks every one of them it is CAPACITY_EXHAUSTED, otherwise NO_TECHNICIAN_FREE_IN_WINDOW.
"""
from __future__ import annotations

import time

import numpy as np

from .compiled import Compiled
from .eligibility import Why
from .insertion import Blocked, best_insertion
from .result import Explanation, NextBest, Unassigned, UnassignedReason
from .schedule import RouteSchedule

R = UnassignedReason


def diagnose(c: Compiled, why: np.ndarray, schedules: list[RouteSchedule], job: int, metric: str,
             deadline: float | None = None) -> Unassigned:
    """Why ``job`` is out. Past ``deadline`` (monotonic clock) the insertion tests against the final
    routes are skipped and the detail says so; the pre-check's reasons are always given."""
    row = why[job]
    jb = c.problem.jobs[job]
    techs = c.problem.technicians
    if jb.pinned_technician is not None:
        t = c.tech_index[jb.pinned_technician]
        if row[t] == Why.TIME:
            return Unassigned(reason=R.NO_TECHNICIAN_FREE_IN_WINDOW, detail=f"pinned technician {jb.pinned_technician} cannot reach it in a window within the shift")
    else:
        covering = row != Why.OUTSIDE_AREA
        if not covering.any():
            return Unassigned(reason=R.OUTSIDE_EVERY_SERVICE_AREA, detail="the address is outside every technician's service area")
        skilled = covering & (row != Why.SKILL_MISSING)
        if not skilled.any():
            need = ", ".join(jb.required_skills)
            return Unassigned(reason=R.NO_SKILLED_TECHNICIAN_COVERS_ADDRESS, detail=f"no technician covering the address has all of: {need}")
        certified = skilled & (row != Why.CERTIFICATE_EXPIRED)
        if not certified.any():
            names = ", ".join(techs[t].id for t in np.flatnonzero(skilled)[:5])
            return Unassigned(reason=R.CERTIFICATE_EXPIRED, detail=f"the skilled technicians covering it ({names}) hold no certificate valid at the job's time")
        fits = certified & (row != Why.CAPACITY)
        if not fits.any():
            return Unassigned(reason=R.CAPACITY_EXHAUSTED, detail=f"load {jb.load} exceeds the capacity of every qualified technician")
        if not (row == Why.OK).any():
            return Unassigned(reason=R.NO_TECHNICIAN_FREE_IN_WINDOW, detail="no qualified technician can reach it within a window and be back by the end of the shift")
    if deadline is not None and time.monotonic() > deadline:
        return Unassigned(reason=R.NO_TECHNICIAN_FREE_IN_WINDOW,
                          detail="qualified technicians exist; not tested against the final routes (time limit)")
    blocked_capacity = 0
    could_fit = []
    # The routes passing nearest are the ones a job could plausibly join; checking every
    # qualified technician costs too much in a city of hundreds.
    for t in _near_techs(c, schedules, job, np.flatnonzero(row == Why.OK), 12):
        ins = best_insertion(c, schedules[t], job, metric)
        if isinstance(ins, Blocked):
            blocked_capacity += ins.kind == "capacity"
        else:
            could_fit.append(techs[t].id)
    if could_fit:
        return Unassigned(reason=R.NO_TECHNICIAN_FREE_IN_WINDOW, detail=f"fits the plan of {could_fit[0]} only at a cost above its unassigned penalty")
    if blocked_capacity:
        return Unassigned(reason=R.CAPACITY_EXHAUSTED, detail=f"{blocked_capacity} nearby qualified technician(s) have no load, job or working-time capacity left")
    return Unassigned(reason=R.NO_TECHNICIAN_FREE_IN_WINDOW, detail="every qualified technician's day is full around the job's windows")


def clock(t: float) -> str:
    t = int(round(t))
    sign = "-" if t < 0 else ""
    t = abs(t)
    return f"{sign}{t // 3600:02d}:{t % 3600 // 60:02d}"


def _near_techs(c: Compiled, schedules: list[RouteSchedule], job: int, candidates: np.ndarray, k: int) -> np.ndarray:
    """The k candidates whose route (start, stops, end) passes closest to the job."""
    if len(candidates) <= k:
        return candidates
    p = int(c.job_point[job])
    best = []
    for t in candidates:
        s = schedules[t]
        pts = [int(c.tech_start_point[t]), int(c.tech_end_point[t])] + [int(c.job_point[r]) for r in s.jobs]
        best.append(float(c.dist[p, pts].min()))
    return candidates[np.argsort(best, kind="stable")[:k]]


def explain(c: Compiled, why: np.ndarray, schedules: list[RouteSchedule], metric: str,
            candidates: int = 5, shown: list[RouteSchedule] | None = None,
            deadline: float | None = None) -> dict[str, Explanation]:
    """For each assigned job: travel in, window fit, skills, and the next-best technician.

    Insertions are tested on the earliest ``schedules``; the times quoted come from ``shown`` (the
    just-in-time schedules the plan reports), so the text matches what the technician sees. Past
    ``deadline`` (monotonic clock) the next-best search is skipped, and the text says so.
    """
    out: dict[str, Explanation] = {}
    techs = c.problem.technicians
    qw = c.problem.weights.quality_per_job

    def cost_text(x: float) -> str:
        if metric == "travel_time":
            return f"{x / 60:.1f} min"
        return f"{x / 1000:.2f} km" if c.problem.travel.geographic else f"{x:.1f} units"

    for sched in schedules:
        t = sched.tech
        seen = shown[t] if shown is not None else sched
        waits = seen.waits()
        stops = [int(c.tech_start_point[t])] + [int(c.job_point[r]) for r in sched.jobs] + [int(c.tech_end_point[t])]
        for k, j in enumerate(sched.jobs):
            job = c.problem.jobs[j]
            a, p, b = stops[k], stops[k + 1], stops[k + 2]
            mat = c.dur if metric == "travel_time" else c.dist
            base = float(mat[a, b]) if len(sched.jobs) > 1 else 0.0
            own = float(mat[a, p]) + float(mat[p, b]) - base
            start, late = seen.start[k], seen.lateness[k]
            if job.started:
                fit = "already under way"
            elif not c.windows[j]:
                fit = f"starts {clock(start)}, no window"
            else:
                ws, we = next(((ws, we) for ws, we in c.windows[j] if ws <= start <= we + c.max_lateness), c.windows[j][-1])
                wait = waits[k]
                fit = f"starts {clock(start)} in window {clock(ws)}-{clock(we)}"
                if late > 0:
                    fit += f", {late / 60:.0f} min late"
                elif wait > 0:
                    fit += f", waits {wait / 60:.0f} min"
            others = np.flatnonzero(why[j] == Why.OK)
            others = others[others != t]
            nb = None
            late_now = deadline is not None and time.monotonic() > deadline
            if len(others) and candidates > 0 and not late_now:
                best = None
                for o in _near_techs(c, schedules, j, others, candidates):
                    ins = best_insertion(c, schedules[o], j, metric, qw)
                    if not isinstance(ins, Blocked) and (best is None or ins.extra_cost < best.extra_cost):
                        best = ins
                if best is not None:
                    nb = NextBest(technician_id=techs[best.tech].id, extra_cost=round(best.extra_cost, 3),
                                  extra_travel_seconds=round(best.extra_seconds, 3), extra_distance=round(best.extra_distance, 3))
            skills = tuple(job.required_skills)
            text = f"{techs[t].id}: {sched.leg_duration[k] / 60:.0f} min from the previous stop, {fit}"
            if skills:
                text += f", has {', '.join(skills)}"
            if nb is not None:
                text += f"; next best {nb.technician_id} would add {cost_text(nb.extra_cost)} (here {cost_text(own)})"
            elif job.pinned_technician is not None:
                text += "; pinned to this technician"
            elif len(others) and late_now:
                text += "; next best not searched (time limit)"
            else:
                text += "; no other technician could take it"
            out[job.id] = Explanation(
                technician_id=techs[t].id, travel_seconds=round(sched.leg_duration[k], 3),
                travel_distance=round(sched.leg_distance[k], 3), window_fit=fit, skills=skills,
                insertion_cost=round(own, 3), next_best=nb, text=text)
    return out
