"""The consumer rates a completed job through its tracking link; ops, the brand and the technician read it."""

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import conflict, not_found
from app.events import bus
from app.feedback.models import JobRating
from app.feedback.schemas import RatingIn
from app.feedback.service import recompute_quality
from app.jobs.models import Job, JobStatus
from app.jobs.service import visible_job
from app.orders.models import Order
from app.orders.tracking import CONSUMER
from app.technicians.models import Technician


def job_of_order(order: Order, job_id: uuid.UUID) -> Job:
    job = next((j for j in order.jobs if j.id == job_id), None)
    if job is None:
        raise not_found("job", job_id)  # another order's job: the token does not reach it
    return job


def rate(session: Session, order: Order, job_id: uuid.UUID, body: RatingIn) -> JobRating:
    job = job_of_order(order, job_id)
    if job.status != JobStatus.completed:
        raise conflict(
            "job-not-completed", f"job {job.id} is {job.status}; it can be rated once it is completed",
            job_id=str(job.id), current_status=job.status,
        )
    if _rating_of(session, job.id) is not None:
        raise _already_rated(job)
    rating = JobRating(
        job_id=job.id, order_id=order.id, technician_id=job.technician_id, stars=body.stars, tags=body.tags,
        comment=body.comment,
    )
    try:
        with session.begin_nested():
            session.add(rating)
            session.flush()
    except IntegrityError:
        # A concurrent submit for the same job got in between the check and the insert.
        if _rating_of(session, job.id) is None:
            raise
        raise _already_rated(job) from None
    if job.technician_id is not None:
        recompute_quality(session, job.technician_id)
    bus.publish(session, "rating.received", CONSUMER, {"rating_id": str(rating.id), "stars": rating.stars},
                job=job, order=order)
    return rating


def _already_rated(job: Job):
    return conflict("already-rated", f"job {job.id} has already been rated; a job is rated once", job_id=str(job.id))


def _rating_of(session: Session, job_id: uuid.UUID) -> JobRating | None:
    return session.scalar(select(JobRating).where(JobRating.job_id == job_id))


def rateable_jobs(session: Session, order: Order) -> list[dict]:
    jobs = sorted(order.jobs, key=lambda j: j.sequence)
    ids = [j.id for j in jobs]
    ratings = {r.job_id: r for r in session.scalars(select(JobRating).where(JobRating.job_id.in_(ids)))} if ids else {}
    tech_ids = {j.technician_id for j in jobs if j.technician_id}
    names = {}
    if tech_ids:
        rows = session.execute(select(Technician.id, Technician.name).where(Technician.id.in_(tech_ids)))
        names = {tid: name for tid, name in rows}
    return [
        {
            "job_id": j.id, "service_type": j.service_type, "category": j.category, "status": j.status,
            "technician_name": names.get(j.technician_id),
            "can_rate": j.status == JobStatus.completed and j.id not in ratings,
            "rating": ratings.get(j.id),
        }
        for j in jobs
    ]


def rating_for_job(session: Session, job_id: uuid.UUID, principal) -> JobRating:
    job = visible_job(session, job_id, principal)
    # visible_job also shows a job to technicians it was merely offered to; its rating is not theirs.
    if principal.technician_id is not None and job.technician_id != principal.technician_id:
        raise not_found("job", job_id)
    rating = _rating_of(session, job.id)
    if rating is None:
        raise not_found("rating of job", job_id)
    return rating


def ratings_stmt(technician_id: uuid.UUID):
    return select(JobRating).where(JobRating.technician_id == technician_id)
