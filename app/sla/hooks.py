"""How the sla domain hears about jobs (called from app/process.py)."""


def on_jobs_created(session, order, jobs, actor) -> None:
    pass  # TODO(sla): implement


def after_transition(session, job, action, from_status, actor) -> None:
    pass  # TODO(sla): implement


def after_node_completed(session, job, node, actor) -> None:
    pass  # TODO(sla): implement
