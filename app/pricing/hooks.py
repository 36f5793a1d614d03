"""How the pricing domain hears about jobs (called from app/process.py)."""


def on_jobs_created(session, order, jobs, actor) -> None:
    pass  # TODO(pricing): implement


def before_transition(session, job, action, actor) -> None:
    pass  # TODO(pricing): implement


def after_transition(session, job, action, from_status, actor) -> None:
    pass  # TODO(pricing): implement
