"""What this caller may do to this job next: the lifecycle's actions narrowed to the caller's role."""

from datetime import timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.jobs.lifecycle import HELD, OPS_ACTIONS, TECHNICIAN_ACTIONS, allowed_actions
from app.jobs.models import Job, JobOffer, OfferStatus
from app.models_base import utcnow

# Ops act through their own endpoints (offers, assign, unassign) besides the transitions.
OPS_EXTRA = frozenset({"offer", "assign", "reassign", "unassign"})


def allowed_actions_for(session: Session | None, job: Job, principal) -> list[str]:
    possible = allowed_actions(job.status)
    if principal is None or principal.is_ops:
        return [a for a in possible if a in OPS_ACTIONS | OPS_EXTRA] if principal else possible
    if principal.technician_id is None:
        return []  # clients follow their jobs; they change orders, not jobs
    mine = job.technician_id == principal.technician_id
    out = [a for a in possible if a in TECHNICIAN_ACTIONS and mine]
    if "accept" in possible and session is not None and _offer_open(session, job, principal.technician_id):
        out += ["accept", "decline"]
    if mine and job.status in HELD and session is not None and _may_give_back(session, job, principal.technician_id):
        out.append("give_back")  # assign mode, before the deadline: POST /v1/dispatch/jobs/{id}/give-back
    return sorted(out)


def _may_give_back(session: Session, job: Job, technician_id) -> bool:
    deadline = session.scalar(
        select(JobOffer.expires_at).where(
            JobOffer.job_id == job.id, JobOffer.technician_id == technician_id, JobOffer.status == OfferStatus.accepted,
            JobOffer.responded_at.is_(None))
    )
    if deadline is None:
        return False
    return (deadline if deadline.tzinfo else deadline.replace(tzinfo=timezone.utc)) > utcnow()


def _offer_open(session: Session, job: Job, technician_id) -> bool:
    return session.scalar(
        select(JobOffer.id).where(
            JobOffer.job_id == job.id, JobOffer.technician_id == technician_id, JobOffer.status == OfferStatus.open
        )
    ) is not None
