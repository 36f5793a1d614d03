"""How the warranty domain reacts to events: a new repair-type job is linked to the job it reworks
and gets its warranty decision, once (nothing in a job's later life changes it)."""

from app.events import bus
from app.warranty.decisions import DECIDED_KINDS, decide
from app.warranty.rework import link_rework


def _decide(session, published) -> None:
    # Rework first: it changes who pays.
    for p in published:
        if p.job.service_type in DECIDED_KINDS:
            session.add(decide(session, p.order, p.job, link_rework(session, p.order, p.job)))
    session.flush()


def register() -> None:
    bus.subscribe("job.created", _decide, batch=True)
