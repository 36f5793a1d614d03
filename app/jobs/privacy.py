"""The consumer-contact window: when a technician may see whom to call and where the consumer lives.

From acceptance until `contact_window_hours` after the job ended (completed or failed); never for an
offer not (yet) theirs, a job taken from them, or a cancelled one. Other roles are not decided here.
"""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.jobs.lifecycle import HELD
from app.jobs.models import Job, JobEvent, JobStatus
from app.models_base import utcnow

ENDED = (JobStatus.completed, JobStatus.failed)


def ended_at(session: Session, job: Job) -> datetime | None:
    return session.scalar(
        select(JobEvent.at).where(JobEvent.job_id == job.id, JobEvent.to_status.in_(ENDED))
        .order_by(JobEvent.seq.desc()).limit(1)
    )


def contact_visible_until(session: Session, job: Job, technician_id, window_hours: int) -> datetime | None:
    """None: hidden now. Otherwise the moment it hides (datetime.max while the job is being worked)."""
    if job.technician_id is None or job.technician_id != technician_id:
        return None
    if job.status in HELD:
        return datetime.max
    if job.status in ENDED:
        at = ended_at(session, job)
        if at is None:
            return None
        if at.tzinfo is None:  # SQLite hands back naive UTC
            from datetime import timezone

            at = at.replace(tzinfo=timezone.utc)
        until = at + timedelta(hours=window_hours)
        return until if until > utcnow() else None
    return None
