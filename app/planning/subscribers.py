"""How dispatch reacts to events: urgent work is offered at once rather than at the next run, and a
job whose last offer was declined goes to the next candidates."""

from app.events import bus
from app.jobs.models import JobStatus
from app.planning.offers import reoffer
from app.planning.realtime import offer_if_urgent


def _urgent(session, published) -> None:
    offer_if_urgent(session, [p.job for p in published])


def _declined(session, p) -> None:
    if p.job.status == JobStatus.pending:
        reoffer(session, p.job)


def register() -> None:
    bus.subscribe("job.created", _urgent, batch=True)
    bus.subscribe("job.declined", _declined)
