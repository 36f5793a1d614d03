"""How the checklists domain reacts to events: every new job gets its checklist, system nodes close on
what they wait for, and a job cannot complete while a mandatory node is open."""

from app.checklists import checklist, service
from app.events import bus

# What a system node can wait for (its evidence {"auto": ...}), by the event that shows it happened.
OBSERVED = {
    "job.accepted": "accepted", "job.assigned": "accepted", "job.reassigned": "accepted",
    "job.arrived": "arrived", "job.started": "started", "job.charges_settled": "charges_settled",
}


def _instantiate(session, published) -> None:
    by_order: dict = {}
    for p in published:
        by_order.setdefault(p.order.id, (p.order, []))[1].append(p.job)
    for order, jobs in by_order.values():
        service.instantiate(session, order, jobs)


def _observe(session, p) -> None:
    checklist.system_event(session, p.job, OBSERVED[p.event.type])


def _gate(session, job, actor) -> None:
    checklist.refuse_completion_if_open(session, job)


def register() -> None:
    bus.subscribe("job.created", _instantiate, batch=True)
    bus.subscribe(OBSERVED, _observe)
    bus.guard("job.complete", _gate)
