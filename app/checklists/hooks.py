"""How the checklists domain hears about jobs (called from app/process.py)."""

from app.checklists import checklist, service

# Job transitions the system observes for system nodes (evidence {"auto": event}).
EVENTS = {"accept": "accepted", "assign": "accepted", "reassign": "accepted", "arrive": "arrived", "start": "started"}


def on_jobs_created(session, order, jobs, actor) -> None:
    service.instantiate(session, order, jobs)


def before_transition(session, job, action, actor) -> None:
    if action == "complete":
        checklist.refuse_completion_if_open(session, job)


def after_transition(session, job, action, from_status, actor) -> None:
    event = EVENTS.get(action)
    if event is not None:
        checklist.system_event(session, job, event)


def system_event(session, job, event, actor) -> None:
    checklist.system_event(session, job, event)
