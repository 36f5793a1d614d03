"""The feedback domain's contract with the others: the technician quality score and the ticket sweep.

Ratings (ratings.py) and complaints (tickets.py) call recompute_quality; the SLA sweep calls
sweep_overdue_tickets.
"""

import uuid
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.errors import not_found
from app.feedback.models import ComplaintTicket, JobRating, TicketStatus
from app.feedback.quality import QualityBreakdown, quality_score
from app.feedback.vocabulary import SLA_FIRST_RESPONSE, SLA_RESOLUTION
from app.jobs.models import Job, JobStatus
from app.sla.service import compliance, record_breach
from app.technicians.models import Technician
from app.warranty.service import rework_stats

# --- quality -------------------------------------------------------------------------------------


def quality_breakdown(session: Session, technician_id: uuid.UUID) -> QualityBreakdown:
    """The score from the technician's record as it is now (nothing written)."""
    stars = list(session.scalars(select(JobRating.stars).where(JobRating.technician_id == technician_id)))
    upheld = session.scalar(
        select(func.count()).select_from(ComplaintTicket).where(
            ComplaintTicket.technician_id == technician_id,
            ComplaintTicket.status == TicketStatus.resolved,
            ComplaintTicket.upheld.is_(True),
        )
    )
    completed = session.scalar(
        select(func.count()).select_from(Job).where(
            Job.technician_id == technician_id, Job.status == JobStatus.completed
        )
    )
    rework = rework_stats(session, technician_id)
    sla = compliance(session, technician_id)
    return quality_score(stars, rework, sla, complaints_upheld=upheld or 0, completed=completed or 0)


def recompute_quality(session: Session, technician_id: uuid.UUID) -> float:
    """Write Technician.quality_score (dispatch reads it as a preference) and return it."""
    # Lock the technician first: two ratings committed at once then cannot each write a score
    # that misses the other's rating (PostgreSQL; SQLite writers are serialised anyway).
    tech = session.scalar(select(Technician).where(Technician.id == technician_id).with_for_update())
    if tech is None:
        raise not_found("technician", technician_id)
    tech.quality_score = quality_breakdown(session, technician_id).score
    session.flush()
    return tech.quality_score


def recompute_all(session: Session) -> int:
    ids = list(session.scalars(select(Technician.id).where(Technician.active.is_(True)).order_by(Technician.id)))
    for tid in ids:
        recompute_quality(session, tid)
    return len(ids)


# --- the ticket SLA sweep ------------------------------------------------------------------------


def sweep_overdue_tickets(session: Session, now: datetime) -> int:
    """Record a breach for every ticket past its first-response or resolution due time (answered late
    or not at all). Each breach is recorded once; safe to run twice or concurrently. Returns how many
    breaches this run recorded."""
    T = ComplaintTicket
    late_response = and_(
        T.first_response_breach_at.is_(None), T.first_response_due_at < now,
        or_(T.first_response_at.is_(None), T.first_response_at > T.first_response_due_at),
    )
    late_resolution = and_(
        T.resolution_breach_at.is_(None), T.resolution_due_at < now,
        or_(T.resolved_at.is_(None), T.resolved_at > T.resolution_due_at),
    )
    # SKIP LOCKED: a concurrent sweep takes the other tickets instead of waiting (PostgreSQL).
    tickets = session.scalars(
        select(T).where(or_(late_response, late_resolution)).order_by(T.created_at, T.id)
        .with_for_update(skip_locked=True)
    ).all()
    recorded = 0
    for t in tickets:
        for sla_code, due_at, answered_at, flag in (
            (SLA_FIRST_RESPONSE, t.first_response_due_at, t.first_response_at, "first_response_breach_at"),
            (SLA_RESOLUTION, t.resolution_due_at, t.resolved_at, "resolution_breach_at"),
        ):
            if getattr(t, flag) is not None or due_at >= now or (answered_at is not None and answered_at <= due_at):
                continue
            what = "first response" if sla_code == SLA_FIRST_RESPONSE else "resolution"
            record_breach(
                session, kind="ticket", subject_id=t.id, sla_code=sla_code, due_at=due_at, detected_at=now,
                job_id=t.job_id, technician_id=t.technician_id, client_id=t.client_id, city=t.city,
                detail=f"{t.severity}-severity {t.category} complaint: {what} "
                       + ("late" if answered_at is not None else "still outstanding"),
            )
            setattr(t, flag, now)
            recorded += 1
    session.flush()
    return recorded
