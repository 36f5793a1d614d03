"""How the checklists domain hears about jobs (called from app/process.py)."""


def on_jobs_created(session, order, jobs, actor) -> None:
    pass  # TODO(checklists): implement


def before_transition(session, job, action, actor) -> None:
    pass  # TODO(checklists): implement


def after_transition(session, job, action, from_status, actor) -> None:
    pass  # TODO(checklists): implement


def system_event(session, job, event, actor) -> None:
    pass  # TODO(checklists): implement
