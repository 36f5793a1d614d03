"""How the pricing domain hears about jobs (called from app/process.py)."""

from app.pricing.models import ChargeSheet


def on_jobs_created(session, order, jobs, actor) -> None:
    # Every job gets its charge sheet now, so adding and closing charges always find the row to lock.
    for job in jobs:
        session.add(ChargeSheet(job_id=job.id))
    session.flush()


def before_transition(session, job, action, actor) -> None:
    if action == "complete":
        from app.pricing.charges import refuse_completion_while_pending

        # Nothing may be billed that the consumer did not confirm, nor left hanging unanswered.
        refuse_completion_while_pending(session, job)


def after_transition(session, job, action, from_status, actor) -> None:
    if action == "complete":
        from app.pricing.billing import freeze

        freeze(session, job, actor)
    elif action in ("cancel", "fail"):
        from app.pricing.charges import lapse_pending

        lapse_pending(session, job, actor, {"cancel": "job cancelled", "fail": "job failed"}[action])
