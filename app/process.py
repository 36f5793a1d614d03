"""The service process around a job: where checklists, SLAs, prices, warranty and feedback hear
about what happens to jobs. The jobs domain calls these; each domain answers in its own hooks.py,
so the jobs package does not need to know the others and the order they run in is written once.
"""

from sqlalchemy.orm import Session

from app.actors import Actor


def on_jobs_created(session: Session, order, jobs: list, actor: Actor) -> None:
    from app.checklists import hooks as checklists
    from app.pricing import hooks as pricing
    from app.sla import hooks as sla
    from app.warranty import hooks as warranty

    warranty.on_jobs_created(session, order, jobs, actor)  # warranty decision and rework link first:
    checklists.on_jobs_created(session, order, jobs, actor)  # ... the checklist and bill read them
    pricing.on_jobs_created(session, order, jobs, actor)
    sla.on_jobs_created(session, order, jobs, actor)


def before_transition(session: Session, job, action: str, actor: Actor) -> None:
    """May refuse the transition (raise ProblemError) before anything is written."""
    from app.checklists import hooks as checklists
    from app.pricing import hooks as pricing

    checklists.before_transition(session, job, action, actor)
    pricing.before_transition(session, job, action, actor)


def after_transition(session: Session, job, action: str, from_status: str | None, actor: Actor) -> None:
    from app.checklists import hooks as checklists
    from app.feedback import hooks as feedback
    from app.pricing import hooks as pricing
    from app.sla import hooks as sla
    from app.warranty import hooks as warranty

    checklists.after_transition(session, job, action, from_status, actor)
    sla.after_transition(session, job, action, from_status, actor)
    pricing.after_transition(session, job, action, from_status, actor)
    warranty.after_transition(session, job, action, from_status, actor)
    feedback.after_transition(session, job, action, from_status, actor)
    if action in ("complete", "fail", "cancel"):
        from app.models_base import utcnow
        from app.orders.service import close_if_done

        close_if_done(session, job.order_id, utcnow())


def after_node_completed(session: Session, job, node, actor: Actor) -> None:
    from app.sla import hooks as sla

    sla.after_node_completed(session, job, node, actor)


def system_event(session: Session, job, event: str, actor: Actor) -> None:
    """Something the system observed (e.g. "charges_settled"): completes system nodes waiting on it."""
    from app.checklists import hooks as checklists

    checklists.system_event(session, job, event, actor)
