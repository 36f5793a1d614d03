"""Pins: a dispatcher keeps a job with one technician, and the next dispatch run plans it there.

Jobs a technician already holds are always kept by a run (app/planning/translate.py); a pin is what
keeps a job that is still pending (say, promised to a named technician on the phone) on its
technician. Pinning checks the move with the optimizer's rules first (app/planning/moves.py).
"""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actors import Actor
from app.errors import conflict, invalid, not_found
from app.jobs.lifecycle import TERMINAL
from app.jobs.models import Job
from app.planning.models import DispatchRun, JobPin, PlannedStop
from app.planning.moves import check_move


def planned_technician(session: Session, job: Job) -> uuid.UUID | None:
    """Who holds the job, or else who the newest plan gives it to."""
    if job.technician_id:
        return job.technician_id
    return session.scalar(select(PlannedStop.technician_id).join(DispatchRun, DispatchRun.id == PlannedStop.run_id)
                          .where(PlannedStop.job_id == job.id).order_by(DispatchRun.created_at.desc()).limit(1))


def pin(session: Session, job: Job, actor: Actor, technician_id: uuid.UUID | None, reason: str | None) -> JobPin:
    if job.status in TERMINAL:
        raise conflict("job-closed", f"the job is {job.status}; there is nothing to pin", current_status=job.status)
    technician_id = technician_id or planned_technician(session, job)
    if technician_id is None:
        raise invalid("technician_id", "the job has no technician yet: say whom to pin it to")
    check = check_move(session, job, technician_id)
    hard = [v for v in check.violations if v.rule in ("service_area", "skill", "certificate", "status", "technician")]
    if hard:
        raise conflict("move-not-allowed", "; ".join(v.message for v in hard), job_id=str(job.id),
                       violations=[{"rule": v.rule, "message": v.message, "params": v.params} for v in hard])
    row = session.scalar(select(JobPin).where(JobPin.job_id == job.id))
    if row is None:
        row = JobPin(job_id=job.id, technician_id=technician_id)
        session.add(row)
    row.technician_id, row.reason, row.created_by = technician_id, reason, actor.id
    session.flush()
    return row


def unpin(session: Session, job: Job) -> None:
    row = session.scalar(select(JobPin).where(JobPin.job_id == job.id))
    if row is None:
        raise not_found("pin of job", job.id)
    session.delete(row)
    session.flush()


def pins_for(session: Session, job_ids) -> dict[uuid.UUID, JobPin]:
    ids = list(job_ids)
    if not ids:
        return {}
    return {p.job_id: p for p in session.scalars(select(JobPin).where(JobPin.job_id.in_(ids)))}
