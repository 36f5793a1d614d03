"""How the warranty domain hears about jobs (called from app/process.py)."""


def on_jobs_created(session, order, jobs, actor) -> None:
    pass  # TODO(warranty): implement


def after_transition(session, job, action, from_status, actor) -> None:
    pass  # TODO(warranty): implement
