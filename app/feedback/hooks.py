"""How the feedback domain hears about jobs (called from app/process.py, after the other domains)."""

from app.jobs.models import JobStatus


def after_transition(session, job, action, from_status, actor) -> None:
    # A completion changes the technician's record (jobs done, SLAs decided, the base that rework and
    # complaints are measured against), so the score dispatch reads is brought up to date at once.
    if job.status == JobStatus.completed and job.technician_id is not None:
        from app.feedback.service import recompute_quality

        recompute_quality(session, job.technician_id)
