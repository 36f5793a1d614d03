"""How the warranty domain hears about jobs (called from app/process.py)."""

from app.warranty.decisions import DECIDED_KINDS, decide
from app.warranty.rework import link_rework


def on_jobs_created(session, order, jobs, actor) -> None:
    """Link rework first (it changes who pays), then decide the warranty of each repair-type job."""
    for job in jobs:
        if job.service_type in DECIDED_KINDS:
            session.add(decide(session, order, job, link_rework(session, order, job)))
    session.flush()


def after_transition(session, job, action, from_status, actor) -> None:
    pass  # the decision is taken once, at creation; nothing in a job's later life changes it
