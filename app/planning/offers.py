"""Turning plans into offers, and keeping offers moving: re-offer on decline or expiry, then ops.

Assign mode (派单): committing a plan makes the job the planned technician's at once; they may give
it back with a reason until the offer deadline (app/planning/expiry.py), which re-offers it.
Re-offers after a decline or expiry go to one candidate at a time.
Grab mode (抢单): the top k ranked technicians are offered it; the first to accept wins.
Every open offer stays open until the deadline that fits the job's day (app/planning/expiry.py).
A job whose offers all ran out goes to the next candidates, up to `max_offer_rounds` rounds, and
then waits in the ops queue (pending, offers exhausted).
"""

import uuid
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actors import SYSTEM, Actor
from app.clients.models import Client, DispatchMode
from app.config import get_settings
from app.errors import conflict, invalid
from app.jobs import service as jobs
from app.jobs.models import Job, JobOffer, JobStatus, OfferStatus
from app.models_base import utcnow
from app.orders.models import Order
from app.planning.expiry import offer_deadline
from app.technicians.candidates import candidates_for_job


def dispatch_mode(session: Session, job: Job) -> str:
    client_id = session.scalar(select(Order.client_id).where(Order.id == job.order_id))
    client = session.get(Client, client_id) if client_id else None
    return client.dispatch_mode if client else DispatchMode.assign


def offers_per_round(session: Session, job: Job) -> int:
    return 1 if dispatch_mode(session, job) == DispatchMode.assign else get_settings().grab_offer_count


def offer_count(session: Session, job: Job) -> int:
    return session.scalar(select(func.count()).select_from(JobOffer).where(JobOffer.job_id == job.id)) or 0


def ranked_candidates(session: Session, job: Job, exclude: set[uuid.UUID], limit: int) -> list[uuid.UUID]:
    """Technicians who can take the job (area, skills, shift), nearest first, minus `exclude`."""

    out = []
    for tech, _distance in candidates_for_job(session, job, limit=limit + len(exclude)):
        if tech.id not in exclude:
            out.append(tech.id)
        if len(out) >= limit:
            break
    return out


def make_offers(
    session: Session, job: Job, preferred: list[uuid.UUID], actor: Actor = SYSTEM, now: datetime | None = None
) -> list[JobOffer]:
    """Offer a pending job to the planned technician (assign) or the top k (grab)."""
    settings = get_settings()
    k = offers_per_round(session, job)
    already = set(session.scalars(select(JobOffer.technician_id).where(JobOffer.job_id == job.id)))
    chosen = [t for t in dict.fromkeys(preferred) if t not in already][:k]
    if len(chosen) < k:
        chosen += ranked_candidates(session, job, already | set(chosen), k - len(chosen))
    if not chosen:
        return []
    now = now or utcnow()
    return jobs.offer(session, job, chosen, actor, offer_deadline(job.window_start, now, settings) - now, now=now)


def assign_planned(session: Session, job: Job, technician_id: uuid.UUID, actor: Actor, now: datetime | None = None):
    """Assign mode at commit: the job is the planned technician's now. The offer row records it as
    accepted, and its expires_at is their deadline to give the job back."""
    now = now or utcnow()
    jobs.assign(session, job, technician_id, actor, "plan committed (assign mode)")
    o = session.scalar(select(JobOffer).where(JobOffer.job_id == job.id, JobOffer.technician_id == technician_id))
    if o is None:
        o = JobOffer(job_id=job.id, technician_id=technician_id)
        session.add(o)
    o.status, o.responded_at = OfferStatus.accepted, None
    o.expires_at = offer_deadline(job.window_start, now, get_settings())
    session.flush()
    return o


def give_back(session: Session, job: Job, technician_id: uuid.UUID, actor: Actor, reason: str | None,
              now: datetime | None = None) -> Job:
    """An assigned (派单) technician declines before the deadline: the job is re-offered."""

    now = now or utcnow()
    if not reason:
        raise invalid("reason", "say why you are giving the job back", code="reason-required")
    o = session.scalar(select(JobOffer).where(
        JobOffer.job_id == job.id, JobOffer.technician_id == technician_id, JobOffer.status == OfferStatus.accepted,
        JobOffer.responded_at.is_(None), JobOffer.expires_at.is_not(None)))
    deadline = o.expires_at.replace(tzinfo=o.expires_at.tzinfo or timezone.utc) if o else None
    if deadline is None or deadline <= now:
        raise conflict("decline-deadline-passed",
                       "this job can no longer be declined in the app; call the dispatcher", job_id=str(job.id),
                       current_status=job.status)
    jobs.unassign(session, job, actor, reason)
    o.status, o.responded_at = OfferStatus.declined, now
    session.flush()
    reoffer(session, job, now)
    return job


def reoffer(session: Session, job: Job, now: datetime | None = None) -> list[JobOffer]:
    """After the last open offer was declined or expired: next candidates, or leave it for ops."""
    if job.status != JobStatus.pending:
        return []
    if offer_count(session, job) >= get_settings().max_offer_rounds * offers_per_round(session, job):
        return []
    return make_offers(session, job, [], now=now)


def expire_offers(session: Session, now: datetime | None = None) -> dict:
    """Sweep: close offers past their expiry, return their jobs to pending and re-offer them.
    Idempotent: a second sweep at the same moment finds nothing to do."""
    now = now or utcnow()
    expired = list(session.scalars(
        select(JobOffer).where(JobOffer.status == OfferStatus.open, JobOffer.expires_at <= now)
    ))
    touched: dict[uuid.UUID, Job] = {}
    for o in expired:
        o.status, o.responded_at = OfferStatus.expired, now
        touched[o.job_id] = session.get(Job, o.job_id)
    session.flush()
    reoffered = to_ops = 0
    for job in touched.values():
        open_left = session.scalar(select(func.count()).select_from(JobOffer).where(
            JobOffer.job_id == job.id, JobOffer.status == OfferStatus.open))
        if job.status != JobStatus.offered or open_left:
            continue
        jobs.transition(session, job, "expire_offers", SYSTEM, data={"at": now.isoformat()})
        if reoffer(session, job, now):
            reoffered += 1
        else:
            to_ops += 1
    return {"expired_offers": len(expired), "jobs_reoffered": reoffered, "jobs_to_ops_queue": to_ops}


def ops_queue_stmt():
    """Pending jobs whose offers have all run out: a person has to decide."""
    has_closed = select(JobOffer.job_id).where(JobOffer.status != OfferStatus.open)
    has_open = select(JobOffer.job_id).where(JobOffer.status == OfferStatus.open)
    return select(Job).where(Job.status == JobStatus.pending, Job.id.in_(has_closed), Job.id.not_in(has_open))
