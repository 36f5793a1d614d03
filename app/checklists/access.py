"""Who may read and work a job's checklist: ops, the job's assigned technician, the order's client (read
only), and the consumer through the order's tracking token (their own nodes only)."""

import uuid

from sqlalchemy.orm import Session

from app.errors import forbidden, not_found
from app.jobs.models import Job
from app.jobs.service import visible_job
from app.orders.tracking import order_for_token


def readable_job(session: Session, job_id: uuid.UUID, principal) -> Job:
    """Ops, the job's technician, the order's client. A technician only offered the job sees the job,
    not its checklist and photos (pictures of someone's home)."""

    job = visible_job(session, job_id, principal)
    if principal.technician_id is not None and job.technician_id != principal.technician_id:
        raise forbidden("only the technician assigned to this job sees its checklist")
    return job


def workable_job(session: Session, job_id: uuid.UUID, principal) -> Job:
    """The job's assigned technician, or ops, may upload evidence and complete its nodes."""
    job = readable_job(session, job_id, principal)
    if principal.kind == "client":
        raise forbidden("the job's technician completes its checklist; clients can read it")
    return job


def consumer_job(session: Session, token: str, job_id: uuid.UUID) -> Job:
    order = order_for_token(session, token)
    job = next((j for j in order.jobs if j.id == job_id), None)
    if job is None:
        raise not_found("job", job_id)  # another order's job: its existence does not leak
    return job
