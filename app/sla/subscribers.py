"""How the sla domain reacts to events.

Due times follow the job's real history: a transition (accept, arrive, reschedule, reassign, ...) or a
node completion moves anchors, and the breaches it reveals are recorded at that moment rather than
waiting for the next sweep.
"""

from app.events import bus
from app.events.catalog import JOB_ACTION_EVENTS
from app.models_base import utcnow
from app.sla import service

MOVES_ANCHORS = [t for t in JOB_ACTION_EVENTS.values() if t != "job.created"] + [
    "checklist.node_completed", "checklist.node_waived",
]


def _start(session, published) -> None:
    # Registered after the checklists domain, so the jobs' nodes exist.
    service.start_clocks(session, [p.job for p in published])


def _reconcile(session, p) -> None:
    service.reconcile(session, p.job, utcnow())


def register() -> None:
    bus.subscribe("job.created", _start, batch=True)
    bus.subscribe(MOVES_ANCHORS, _reconcile)
