"""How the feedback domain reacts to events: a technician's quality score follows their record at once
(a completion, or a new job that reworks one of theirs), and complaint tickets join the SLA sweep."""

from sqlalchemy import select

from app.events import bus
from app.feedback.service import recompute_quality, sweep_overdue_tickets
from app.jobs.models import JobStatus
from app.sla.service import register_sweep
from app.warranty.models import ReworkLink


def _completed(session, p) -> None:
    if p.job.status == JobStatus.completed and p.job.technician_id is not None:
        recompute_quality(session, p.job.technician_id)


def _rework(session, published) -> None:
    # Registered after the warranty domain, so the rework links of these jobs exist.
    charged_back = set(session.scalars(
        select(ReworkLink.original_technician_id).where(
            ReworkLink.job_id.in_([p.job.id for p in published]), ReworkLink.original_technician_id.is_not(None))
    ))
    for technician_id in sorted(charged_back):
        recompute_quality(session, technician_id)


def register() -> None:
    bus.subscribe("job.completed", _completed)
    bus.subscribe("job.created", _rework, batch=True)
    register_sweep("tickets", sweep_overdue_tickets)
