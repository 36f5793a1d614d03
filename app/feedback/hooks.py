"""How the feedback domain hears about jobs (called from app/process.py)."""


def after_transition(session, job, action, from_status, actor) -> None:
    pass  # TODO(feedback): implement
