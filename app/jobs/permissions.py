"""What this caller may do to this job next: the lifecycle's actions narrowed to the caller's role."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.jobs.lifecycle import OPS_ACTIONS, TECHNICIAN_ACTIONS, allowed_actions
from app.jobs.models import Job, JobOffer, OfferStatus

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
    return sorted(out)


def _offer_open(session: Session, job: Job, technician_id) -> bool:
    return session.scalar(
        select(JobOffer.id).where(
            JobOffer.job_id == job.id, JobOffer.technician_id == technician_id, JobOffer.status == OfferStatus.open
        )
    ) is not None
