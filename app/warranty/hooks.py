"""How the warranty domain hears about jobs (called from app/process.py)."""

from app.warranty.decisions import DECIDED_KINDS, decide
from app.warranty.rework import link_rework


def on_jobs_created(session, order, jobs, actor) -> None:
    """Link rework first (it changes who pays), then decide the warranty of each repair-type job."""
    charged_back = set()
    for job in jobs:
        if job.service_type in DECIDED_KINDS:
            link = link_rework(session, order, job)
            session.add(decide(session, order, job, link))
            if link is not None and link.original_technician_id is not None:
                charged_back.add(link.original_technician_id)
    session.flush()
    if charged_back:  # rework counts against the original technician at once, not at their next rating
        from app.feedback.service import recompute_quality

        for technician_id in charged_back:
            recompute_quality(session, technician_id)


def after_transition(session, job, action, from_status, actor) -> None:
    pass  # the decision is taken once, at creation; nothing in a job's later life changes it
