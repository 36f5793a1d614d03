"""How the orders domain reacts to events: an order closes once its jobs are done."""

from app.events import bus
from app.models_base import utcnow
from app.orders.service import close_if_done


def _maybe_close(session, p) -> None:
    close_if_done(session, p.job.order_id, utcnow(), p.actor)


def register() -> None:
    bus.subscribe(["job.completed", "job.failed", "job.cancelled"], _maybe_close)
