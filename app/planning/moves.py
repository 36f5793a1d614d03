"""Hand-made moves: may job J go to technician T (at time t)? Checked with the optimizer's own rules
(dispatch's coverage, skill and certificate test, window fit and route simulation), never a second
copy of them; and, when every rule holds, the move saved with the dispatcher's reason in the job's
event log.

Rules reported (all that break, not only the first): the job's state, the technician (inactive),
service_area, skill, certificate, window, shift (not working that day, or the job would run past the
shift's end), capacity (jobs per day) and overlap (the technician cannot be there by then, or a later
job of theirs would miss its window).
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.actors import Actor
from app.config import get_settings
from app.errors import conflict, invalid
from app.jobs import service as jobs
from app.jobs.lifecycle import HELD
from app.jobs.models import Job, JobStatus
from app.planning.names import job_labels, job_title
from app.planning.translate import day_context, move_problem, technicians_on_shift
from app.technicians.models import Technician
from dispatch.compiled import compile_problem
from dispatch.eligibility import coverage, job_span, skill_holders, skills_ok
from dispatch.explain import clock
from dispatch.insertion import Blocked, best_insertion
from dispatch.schedule import simulate

MOVABLE = frozenset({JobStatus.pending, JobStatus.offered, JobStatus.accepted, JobStatus.scheduled,
                     JobStatus.rescheduled})
# A requested start the route can meet within this many seconds counts as met (travel is rounded).
SLACK_SECONDS = 60


@dataclass
class Violation:
    rule: str
    message: str
    params: dict = field(default_factory=dict)


@dataclass
class MoveCheck:
    job_id: uuid.UUID
    technician_id: uuid.UUID
    technician_name: str
    violations: list[Violation]
    start: datetime | None = None
    end: datetime | None = None
    travel_seconds: float | None = None

    @property
    def feasible(self) -> bool:
        return not self.violations


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def check_move(session: Session, job: Job, technician_id: uuid.UUID, start: datetime | None = None) -> MoveCheck:
    settings = get_settings()
    tech = session.get(Technician, technician_id)
    if tech is None:
        raise invalid("technician_id", f"technician {technician_id} does not exist", code="unknown-technician")
    out: list[Violation] = []
    start = _aware(start) if start else None
    if job.status not in MOVABLE:
        out.append(Violation("status", f"the job is {job.status} and can no longer be moved", {"status": job.status}))
    if not tech.active:
        out.append(Violation("technician", f"{tech.name} is inactive", {}))
    day = _aware(start or job.window_start).astimezone(ZoneInfo(settings.city_timezone)).date()
    ctx = day_context(day, settings.city_timezone)
    periods = next((p for t, p in technicians_on_shift(session, ctx) if t.id == tech.id), None)
    if periods is None:
        out.append(Violation("shift", f"{tech.name} does not work on {day.isoformat()} (no shift, or a day off)",
                             {"day": day.isoformat()}))
    # The rest is checked on the day as dispatch sees it; a technician off that day is checked as if
    # on all day, so the dispatcher still learns about area and skills.
    problem = move_problem(session, ctx, tech, periods or [(0, 1440)], job, start)
    c = compile_problem(problem)
    j = c.job_index[str(job.id)]
    if not coverage(c)[j, 0]:
        out.append(Violation("service_area", f"the address is outside {tech.name}'s service area", {}))
    lo, hi = job_span(c, j)
    holders = skill_holders(problem.technicians)
    missing, expired = [], []
    for code in job.required_skills:
        has, valid = skills_ok(holders, [code], lo, hi, c.shift_start, c.shift_end)
        if not has[0]:
            missing.append(code)
        elif not valid[0]:
            expired.append(code)
    if missing:
        out.append(Violation("skill", f"{tech.name} lacks the skill(s) {', '.join(missing)}", {"skills": missing}))
    if expired:
        out.append(Violation("certificate", f"{tech.name}'s certificate for {', '.join(expired)} is not valid then",
                             {"skills": expired}))
    labels = job_labels(session, [j_.id for j_ in problem.jobs])
    w = c.windows[j]
    req = ctx.seconds(start) if start else None
    if req is not None and w and not (w[0][0] <= req <= w[-1][1] + c.max_lateness):
        out.append(Violation("window", f"{clock(req)} is outside the job's window {clock(w[0][0])}-{clock(w[-1][1])}",
                             {"start": clock(req), "window": f"{clock(w[0][0])}-{clock(w[-1][1])}"}))
    if periods is not None and req is not None and not (c.shift_start[0] <= req and req + c.service[j] <= c.shift_end[0]):
        out.append(Violation("shift", f"{clock(req)}-{clock(req + int(c.service[j]))} is outside {tech.name}'s shift "
                                      f"{clock(int(c.shift_start[0]))}-{clock(int(c.shift_end[0]))}",
                             {"shift": f"{clock(int(c.shift_start[0]))}-{clock(int(c.shift_end[0]))}"}))
    held = [k for k in range(c.n_jobs) if k != j]
    if len(held) + 1 > c.max_jobs[0]:
        out.append(Violation("capacity", f"{tech.name} already has {len(held)} jobs that day (at most {int(c.max_jobs[0])})",
                             {"jobs": len(held), "max": int(c.max_jobs[0])}))
    check = MoveCheck(job.id, tech.id, tech.name, out)
    base = simulate(c, 0, held)
    if req is None:
        ins = best_insertion(c, base, j)
        if isinstance(ins, Blocked):
            if ins.kind == "time":
                out.append(Violation("overlap", f"{tech.name}'s day has no gap for it within its window", {}))
            return check
        route = held[:ins.position] + [j] + held[ins.position:]
    else:
        position = sum(1 for s in base.start if s <= req)
        route = held[:position] + [j] + held[position:]
    sched = simulate(c, 0, route)
    p = route.index(j)
    if req is not None and sched.start[p] > req + SLACK_SECONDS and not any(v.rule == "window" for v in out):
        prev = route[p - 1] if p else None
        where = job_title(labels.get(problem.jobs[prev].id)) if prev is not None else "the start of the shift"
        out.append(Violation("overlap", f"cannot start at {clock(req)}: after {where} the earliest start is "
                                        f"{clock(sched.start[p])}", {"earliest": clock(sched.start[p])}))
    for v in sched.violations:
        if v.startswith("back at") or "max_work" in v:
            if not any(x.rule == "shift" for x in out):
                out.append(Violation("shift", f"{tech.name} would finish after the end of the shift", {}))
        elif v.startswith("job ") and not v.startswith(f"job {job.id}"):
            other = v.split(":", 1)[0][4:]
            out.append(Violation("overlap", f"{job_title(labels.get(other))} would then miss its window",
                                 {"job_id": other}))
        elif v.startswith(f"job {job.id}") and not any(x.rule in ("window", "overlap") for x in out):
            out.append(Violation("window", f"{tech.name} cannot reach it within its window", {}))
    if sched.start:
        check.start, check.end = ctx.instant(sched.start[p]), ctx.instant(sched.end[p])
        check.travel_seconds = round(float(sched.leg_duration[p]), 1)
    return check


def move_job(session: Session, job: Job, technician_id: uuid.UUID, start: datetime | None, reason: str | None,
             actor: Actor) -> tuple[Job, MoveCheck]:
    """Save a move that breaks no rule; otherwise refuse it (409, every broken rule listed, nothing saved)."""
    if not reason or not reason.strip():
        raise invalid("reason", "say why the job is moved; the reason goes into the job's event log",
                      code="reason-required")
    check = check_move(session, job, technician_id, start)
    if not check.feasible:
        raise conflict("move-not-allowed", "; ".join(v.message for v in check.violations), job_id=str(job.id),
                       technician_id=str(technician_id),
                       violations=[{"rule": v.rule, "message": v.message, "params": v.params} for v in check.violations])
    planned = check.start if start is not None else None
    if job.technician_id != technician_id or job.status not in HELD:
        jobs.assign(session, job, technician_id, actor, reason.strip(), scheduled_start=planned)
    elif planned is None:
        raise conflict("already-assigned", f"the job is already with {check.technician_name}")
    elif job.status == JobStatus.scheduled:
        raise conflict("appointment-confirmed", "the visit time is agreed with the consumer: reschedule it "
                       "instead of moving it by hand", job_id=str(job.id), current_status=job.status)
    else:
        jobs.act(session, job, "schedule", actor, reason=reason.strip(), scheduled_start=_within(job, planned))
    return job, check


def _within(job: Job, at: datetime) -> datetime:
    # Lateness allowed by the optimizer may put the start a little after the window; the appointment
    # itself is kept inside it.
    return min(max(at, _aware(job.window_start)), _aware(job.window_end) - timedelta(seconds=1))
