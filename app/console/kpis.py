"""KPIs per local day: jobs by status, on-time arrival, first-time fix, rework, SLA compliance by kind,
average rating, utilisation and planned km per job.

Definitions (a job belongs to the day its window starts in, city time):
- on-time arrival share: jobs with an `arrive` event at or before their window's end / jobs that arrived;
- first-time-fix share: completed repair-type jobs no later job was linked to as rework / those jobs;
- rework share: jobs that are rework of an earlier job / jobs completed;
- SLA compliance per SLA: 1 - jobs with a breach of it / jobs of the day that were not cancelled;
- average rating: mean stars of the day's rated jobs;
- utilisation: service minutes of the day's jobs that were done or are held / shift minutes of the
  active technicians working that day (weekly shifts minus days off);
- km per job: planned travel of the newest committed dispatch run for the day / its planned stops.

Each figure is one indexed range query on jobs.window_start (ix_jobs_window_status) joined by key, so
a day costs the same on a year of data as on a week.
"""

from datetime import date, timedelta

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from app.console.days import day_range
from app.feedback.models import JobRating
from app.jobs.lifecycle import HELD
from app.jobs.models import Job, JobEvent, JobStatus
from app.planning.models import DispatchRun, PlannedStop, RunStatus
from app.sla.models import SlaBreach
from app.technicians.models import DayOff, Technician, WeeklyShift
from app.warranty.models import ReworkLink

REPAIR_TYPES = ("repair", "rework", "maintenance")
WORKED = tuple(HELD) + (JobStatus.completed,)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def day_kpis(session: Session, day: date) -> dict:
    a, b = day_range(day)
    in_day = (Job.window_start >= a, Job.window_start < b)
    by_status = dict(session.execute(select(Job.status, func.count()).where(*in_day).group_by(Job.status)).all())
    total = sum(by_status.values())
    arrived, on_time = session.execute(
        select(func.count(), func.coalesce(func.sum(case((JobEvent.at <= Job.window_end, 1), else_=0)), 0))
        .select_from(Job).join(JobEvent, JobEvent.job_id == Job.id)
        .where(*in_day, JobEvent.action == "arrive")).one()
    completed = by_status.get(JobStatus.completed, 0)
    repairs, reworked_later = session.execute(
        select(func.count(distinct(Job.id)), func.count(distinct(ReworkLink.original_job_id)))
        .select_from(Job).outerjoin(ReworkLink, ReworkLink.original_job_id == Job.id)
        .where(*in_day, Job.status == JobStatus.completed, Job.service_type.in_(REPAIR_TYPES))).one()
    rework = session.scalar(select(func.count()).select_from(Job).join(ReworkLink, ReworkLink.job_id == Job.id)
                            .where(*in_day)) or 0
    not_cancelled = total - by_status.get(JobStatus.cancelled, 0)
    sla = {code: {"breached": n, "compliance": _share(not_cancelled - n, not_cancelled)}
           for code, n in session.execute(
               select(SlaBreach.sla_code, func.count(distinct(SlaBreach.job_id))).join(Job, Job.id == SlaBreach.job_id)
               .where(*in_day).group_by(SlaBreach.sla_code)).all()}
    ratings, avg = session.execute(select(func.count(), func.avg(JobRating.stars)).select_from(Job)
                                   .join(JobRating, JobRating.job_id == Job.id).where(*in_day)).one()
    service = session.scalar(select(func.coalesce(func.sum(Job.duration_minutes), 0))
                             .where(*in_day, Job.status.in_(list(WORKED)))) or 0
    off = select(DayOff.technician_id).where(DayOff.day == day)
    shift = session.scalar(
        select(func.coalesce(func.sum(WeeklyShift.end_minute - WeeklyShift.start_minute), 0))
        .join(Technician, Technician.id == WeeklyShift.technician_id)
        .where(WeeklyShift.weekday == day.weekday(), Technician.active.is_(True), Technician.id.not_in(off))) or 0
    run_id = session.scalar(select(DispatchRun.id).where(DispatchRun.local_date == day,
                                                         DispatchRun.status == RunStatus.committed)
                            .order_by(DispatchRun.committed_at.desc()).limit(1))
    stops, metres = (0, 0.0)
    if run_id is not None:
        stops, metres = session.execute(select(func.count(), func.coalesce(func.sum(PlannedStop.travel_distance_m), 0))
                                        .where(PlannedStop.run_id == run_id)).one()
    return {
        "date": day.isoformat(), "jobs_total": total, "jobs_by_status": by_status,
        "arrived": arrived, "on_time_arrivals": int(on_time), "on_time_share": _share(int(on_time), arrived),
        "completed": completed, "completed_repairs": repairs, "reworked_later": reworked_later,
        "first_time_fix_share": _share(repairs - reworked_later, repairs),
        "rework_jobs": rework, "rework_share": _share(rework, completed),
        "sla": sla, "ratings": ratings, "average_rating": round(float(avg), 2) if avg is not None else None,
        "service_minutes": int(service), "shift_minutes": int(shift), "utilisation": _share(int(service), int(shift)),
        "planned_stops": stops, "planned_km": round(float(metres) / 1000, 2),
        "km_per_job": round(float(metres) / 1000 / stops, 2) if stops else None,
    }


def kpis(session: Session, last: date, days: int) -> list[dict]:
    """`days` days ending with `last`, oldest first."""
    return [day_kpis(session, last - timedelta(days=n)) for n in range(days - 1, -1, -1)]
