"""The one module that translates between database rows and the `dispatch` library.

`build_problem` turns a city's day (pending jobs, technicians on shift, jobs they already hold) into a
`dispatch.ProblemData`; `store_result` turns a `dispatch.Result` back into planned stops. Times in the
problem are seconds from the local midnight of the planned day.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from geoalchemy2.shape import to_shape
from sqlalchemy import and_, select
from sqlalchemy.orm import Session, selectinload

import dispatch
from app.jobs.lifecycle import HELD
from app.jobs.models import Job, JobStatus
from app.planning.models import DispatchRun, PlannedStop, PlannedUnassigned
from app.technicians.models import DayOff, Technician, WeeklyShift

# Jobs a run may (re)plan, and jobs already promised to a technician (kept in place, pinned).
PLANNABLE = (JobStatus.pending,)
STARTED = frozenset({JobStatus.on_site, JobStatus.in_progress})


@dataclass(frozen=True)
class JobRef:
    id: uuid.UUID
    status: str


@dataclass
class DayContext:
    local_date: date
    tz: ZoneInfo
    epoch: datetime  # UTC instant of local midnight
    jobs: dict[str, JobRef] = field(default_factory=dict)

    def seconds(self, at: datetime) -> int:
        return int((at - self.epoch).total_seconds())

    def instant(self, seconds: float) -> datetime:
        return self.epoch + timedelta(seconds=float(seconds))


def day_context(local_date: date, tz_name: str) -> DayContext:
    tz = ZoneInfo(tz_name)
    return DayContext(local_date, tz, datetime.combine(local_date, time(0), tz).astimezone(ZoneInfo("UTC")))


def _area(geom) -> tuple:
    shape = to_shape(geom)
    polys = getattr(shape, "geoms", [shape])
    return tuple(
        (tuple(map(tuple, p.exterior.coords)),) + tuple(tuple(map(tuple, r.coords)) for r in p.interiors)
        for p in polys
    )


def _skills(tech: Technician, ctx: DayContext) -> tuple[dispatch.Skill, ...]:
    out = []
    for s in tech.skills:
        valid_from = ctx.seconds(datetime.combine(s.valid_from, time(0), ctx.tz)) if s.valid_from else None
        # A certificate valid "until" a date covers that whole local day.
        valid_until = ctx.seconds(datetime.combine(s.valid_until + timedelta(days=1), time(0), ctx.tz)) if s.valid_until else None
        out.append(dispatch.Skill(code=s.skill, valid_from=valid_from, valid_until=valid_until))
    return tuple(out)


def technicians_on_shift(
    session: Session, ctx: DayContext, only: set | None = None
) -> list[tuple[Technician, list[tuple[int, int]]]]:
    """Active technicians working that day (of `only`, if given), each with the day's working periods
    (start, end minute), sorted and with overlapping or touching periods merged."""
    weekday = ctx.local_date.weekday()
    off = select(DayOff.technician_id).where(DayOff.day == ctx.local_date)
    stmt = (
        select(Technician, WeeklyShift)
        .join(WeeklyShift, and_(WeeklyShift.technician_id == Technician.id, WeeklyShift.weekday == weekday))
        .where(Technician.active.is_(True), Technician.id.not_in(off))
        .options(selectinload(Technician.skills))
        .order_by(Technician.id, WeeklyShift.start_minute)
    )
    if only is not None:
        stmt = stmt.where(Technician.id.in_(list(only)))
    rows = session.execute(stmt).all()
    spans: dict[uuid.UUID, tuple[Technician, list[tuple[int, int]]]] = {}
    for tech, shift in rows:
        _, periods = spans.setdefault(tech.id, (tech, []))
        if periods and shift.start_minute <= periods[-1][1]:
            periods[-1] = (periods[-1][0], max(periods[-1][1], shift.end_minute))
        else:
            periods.append((shift.start_minute, shift.end_minute))
    return list(spans.values())


def _technician(tech: Technician, periods: list[tuple[int, int]], ctx: DayContext, live: bool = False) -> dispatch.Technician:
    home = to_shape(tech.home_base)
    start = home
    if live and tech.on_duty and tech.last_location is not None:
        start = to_shape(tech.last_location)  # real-time offers start from where the technician is
    # A split shift is one day with its gaps as fixed breaks, so no job (nor travel) lands in a gap.
    gaps = tuple(dispatch.Break(earliest=a * 60, latest=a * 60, duration=(b - a) * 60)
                 for (_, a), (b, _) in zip(periods, periods[1:]))
    return dispatch.Technician(
        id=str(tech.id),
        shift=dispatch.Shift(start=periods[0][0] * 60, end=periods[-1][1] * 60),
        breaks=gaps,
        start=dispatch.Location(x=start.x, y=start.y),
        end=dispatch.Location(x=home.x, y=home.y),
        skills=_skills(tech, ctx),
        service_area=_area(tech.service_area),
        max_jobs=tech.max_jobs_per_day,
        quality=max(0.0, min(1.0, tech.quality_score)),
    )


def _held_jobs(session: Session, ctx: DayContext, tech_ids: set) -> list[dispatch.Job]:
    """Jobs technicians already hold that day, pinned to them in their scheduled order."""
    day_start, day_end = ctx.epoch, ctx.epoch + timedelta(days=1)
    held = session.scalars(
        select(Job).where(Job.window_start < day_end, Job.window_end > day_start, Job.status.in_(list(HELD)),
                          Job.technician_id.in_(tech_ids))
        .order_by(Job.technician_id, Job.scheduled_start, Job.window_start, Job.id)
    )
    out, position, last = [], 0, None
    for job in held:
        position = position + 1 if job.technician_id == last else 0
        last = job.technician_id
        out.append(_job(job, ctx, pinned=(str(job.technician_id), position)))
    return out


def build_problem(session: Session, ctx: DayContext, speed_kmh: float) -> dispatch.ProblemData:
    """The whole day: every technician on shift, every pending job of the day, held jobs pinned."""
    day_start, day_end = ctx.epoch, ctx.epoch + timedelta(days=1)
    techs = technicians_on_shift(session, ctx)
    tech_ids = {t.id for t, _ in techs}
    pending = session.scalars(
        select(Job).where(Job.window_start < day_end, Job.window_end > day_start, Job.status.in_(list(PLANNABLE)))
        .order_by(Job.window_start, Job.id)
    )
    jobs = [_job(job, ctx) for job in pending] + _held_jobs(session, ctx, tech_ids)
    return dispatch.ProblemData(
        technicians=tuple(_technician(t, s, ctx) for t, s in techs),
        jobs=tuple(jobs),
        travel=dispatch.GreatCircleTravel(speed_kmh=speed_kmh),
        epoch=ctx.epoch.isoformat(),
        weights=dispatch.Weights(quality_per_job=60.0),
    )


def realtime_problem(session: Session, ctx: DayContext, tech_ids: set, speed_kmh: float) -> dispatch.ProblemData:
    """Only the given technicians (already prefiltered in SQL) with their current routes."""
    techs = technicians_on_shift(session, ctx, only=set(tech_ids))
    ids = {t.id for t, _ in techs}
    return dispatch.ProblemData(
        technicians=tuple(_technician(t, s, ctx, live=True) for t, s in techs),
        jobs=tuple(_held_jobs(session, ctx, ids)),
        travel=dispatch.GreatCircleTravel(speed_kmh=speed_kmh),
        epoch=ctx.epoch.isoformat(),
        weights=dispatch.Weights(quality_per_job=60.0),
    )


def job_for_offer(job: Job, ctx: DayContext) -> dispatch.Job:
    return _job(job, ctx)


def _job(job: Job, ctx: DayContext, pinned: tuple[str, int] | None = None) -> dispatch.Job:
    ctx.jobs[str(job.id)] = JobRef(job.id, job.status)
    loc = to_shape(job.location)
    start, end = max(0, ctx.seconds(job.window_start)), ctx.seconds(job.window_end)
    earliest = ctx.seconds(job.earliest_start) if job.earliest_start else None
    return dispatch.Job(
        id=str(job.id),
        location=dispatch.Location(x=loc.x, y=loc.y),
        service_seconds=job.duration_minutes * 60,
        windows=(dispatch.TimeWindow(start=min(start, end), end=end),),
        required_skills=tuple(job.required_skills),
        priority=job.priority,
        earliest_start=earliest,
        pinned_technician=pinned[0] if pinned else None,
        pinned_sequence=pinned[1] if pinned else None,
        started=job.status in STARTED,
    )


def store_result(session: Session, run: DispatchRun, result: dispatch.Result, ctx: DayContext) -> None:
    for route in result.routes:
        for position, stop in enumerate(route.stops):
            job = ctx.jobs[stop.job_id]
            expl = result.explanations.get(stop.job_id)
            session.add(PlannedStop(
                run_id=run.id, technician_id=uuid.UUID(route.technician_id), job_id=job.id, position=position,
                pinned=job.status in HELD,
                arrival=ctx.instant(stop.arrival), start=ctx.instant(stop.start), end=ctx.instant(stop.end),
                travel_seconds=stop.travel_seconds, travel_distance_m=stop.travel_distance,
                explanation=expl.model_dump(mode="json") if expl else None,
            ))
    for job_id, why in result.unassigned.items():
        session.add(PlannedUnassigned(run_id=run.id, job_id=uuid.UUID(job_id), reason=why.reason.value, detail=why.detail))
    t = result.totals
    run.totals = {
        "jobs": t.jobs, "assigned": t.assigned, "unassigned": t.unassigned, "technicians_used": t.technicians_used,
        "travel_km": t.travel_km, "travel_minutes": round(t.travel_minutes, 1), "on_time_share": t.on_time_share,
        "utilisation": t.utilisation, "solver_seconds": result.solver.seconds, "solver_status": result.solver.status,
    }
    session.flush()
