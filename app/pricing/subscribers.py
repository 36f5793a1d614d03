"""How the pricing domain reacts to events: a charge sheet per new job, the bill frozen at completion,
pending extras lapsing when a job ends otherwise; and nothing is completed with an extra unanswered."""

from app.events import bus
from app.pricing.billing import freeze
from app.pricing.charges import lapse_pending, refuse_completion_while_pending
from app.pricing.models import ChargeSheet

LAPSE_REASON = {"job.cancelled": "job cancelled", "job.failed": "job failed"}


def _sheets(session, published) -> None:
    # Every job gets its charge sheet now, so adding and closing charges always find the row to lock.
    session.add_all(ChargeSheet(job_id=p.job.id) for p in published)
    session.flush()


def _freeze(session, p) -> None:
    freeze(session, p.job, p.actor)


def _lapse(session, p) -> None:
    lapse_pending(session, p.job, p.actor, LAPSE_REASON[p.event.type])


def _gate(session, job, actor) -> None:
    # Nothing may be billed that the consumer did not confirm, nor left hanging unanswered.
    refuse_completion_while_pending(session, job)


def register() -> None:
    bus.subscribe("job.created", _sheets, batch=True)
    bus.subscribe("job.completed", _freeze)
    bus.subscribe(LAPSE_REASON, _lapse)
    bus.guard("job.complete", _gate)
