"""Jobs the consumer can rate or complain about, reached through their order's tracking token."""

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select

from app.jobs.models import Job, JobEvent, JobStatus
from app.models_base import utcnow
from app.orders.models import Order
from app.security import sha256
from tests.factories import make_client, make_order, make_technician


@dataclass
class Visit:
    order: Order
    job: Job
    token: str
    tech: object

    @property
    def track(self) -> str:
        return f"/v1/track/{self.token}"


def visit(db, tech=None, client=None, completed: bool = True, status: str | None = None) -> Visit:
    """A repair done by `tech` for a consumer holding the order's tracking token.

    Completion is written directly (status and a "complete" event): the real transition may be gated
    by checklists this story does not care about."""
    client = client or make_client(db)
    tech = tech or make_technician(db)
    order, jobs = make_order(db, client.id)
    token = secrets.token_urlsafe(24)
    order.tracking_token_hash = sha256(token)
    job = jobs[0]
    job.technician_id = tech.id
    job.status = status or (JobStatus.completed if completed else JobStatus.in_progress)
    if job.status == JobStatus.completed:
        seq = (db.scalar(select(func.max(JobEvent.seq)).where(JobEvent.job_id == job.id)) or 0) + 1
        db.add(JobEvent(job_id=job.id, seq=seq, at=utcnow(), actor_type="technician", actor_id=str(tech.id),
                        action="complete", from_status="in_progress", to_status="completed"))
    db.commit()
    return Visit(order, job, token, tech)


def rating(stars: int = 5, **overrides) -> dict:
    body = {"stars": stars, "tags": ["on_time", "tidy"], "comment": "师傅很专业，装完还清理了现场"}
    body.update(overrides)
    return body
