"""Publishing events and the handlers that react to them, in the publisher's transaction.

A domain registers its handlers in its own `subscribers.py`; `app.wiring` imports those modules in
the one order they run in. A handler that raises aborts the whole change (the session dependency
rolls back), so a reaction is never half-done. Guards are the explicit checks that must refuse a
change before anything is written (a job may not complete with open checklist nodes).
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.actors import Actor
from app.events.catalog import check_payload
from app.events.models import Event
from app.models_base import utcnow


@dataclass
class Published:
    """What a handler receives: the stored event and the objects it is about (not re-read)."""

    event: Event
    actor: Actor
    job: Any = None
    order: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[Session, Published], None]
BatchHandler = Callable[[Session, list[Published]], None]
Guard = Callable[..., None]

_handlers: dict[str, list[tuple[Callable, bool]]] = {}
_every: list[Handler] = []
_guards: dict[str, list[Guard]] = {}
_wired: list[str] = []


def subscribe(types: str | Iterable[str], handler: Callable, *, batch: bool = False) -> None:
    """Call `handler` for every event of these types; `batch=True` gets all events of one publish
    call together (job creation publishes an order's jobs at once, so a checklist is built in one go)."""
    for t in [types] if isinstance(types, str) else types:
        _handlers.setdefault(t, []).append((handler, batch))


def subscribe_all(handler: Handler) -> None:
    """Called for every event after the type's own handlers (webhook fan-out writes its outbox here)."""
    _every.append(handler)


def guard(name: str, check: Guard) -> None:
    _guards.setdefault(name, []).append(check)


def check(name: str, session: Session, *args, **kwargs) -> None:
    """Run the guards registered for `name`; the first refusal (a ProblemError) propagates."""
    _require_wiring()
    for g in _guards.get(name, ()):
        g(session, *args, **kwargs)


def mark_wired(by: str) -> None:
    _wired.append(by)


def is_wired() -> bool:
    return bool(_wired)


def _require_wiring() -> None:
    # Silently skipping every reaction (no checklist, no bill) would be far worse than failing.
    if not _wired:
        raise RuntimeError("event handlers are not registered: import app.wiring before changing anything")


def subject_of(job=None, order=None, technician_id=None) -> dict[str, Any]:
    order = order if order is not None else (job.order if job is not None else None)
    return {
        "job_id": job.id if job is not None else None,
        "order_id": order.id if order is not None else (job.order_id if job is not None else None),
        "client_id": order.client_id if order is not None else None,
        "external_order_id": order.external_order_id if order is not None else None,
        "technician_id": technician_id if technician_id is not None else (job.technician_id if job is not None else None),
    }


def publish(
    session: Session, type: str, actor: Actor, data: dict[str, Any] | None = None, *, job=None, order=None,
    technician_id=None, audience: Iterable | None = None, **extra,
) -> Published:
    return publish_many(session, type, actor, [dict(data=data, job=job, order=order, technician_id=technician_id,
                                                    audience=audience, extra=extra)])[0]


def publish_many(session: Session, type: str, actor: Actor, items: list[dict[str, Any]]) -> list[Published]:
    """Append one event per item (data, job, order, technician_id, audience, extra), then run the handlers."""
    _require_wiring()
    out: list[Published] = []
    for item in items:
        data = item.get("data") or {}
        version = check_payload(type, data)
        job, order = item.get("job"), item.get("order")
        audience = sorted({str(t) for t in item.get("audience") or () if t is not None}) or None
        ev = Event(id=uuid.uuid4(), occurred_at=utcnow(), type=type, version=version, actor_type=actor.type,
                   actor_id=actor.id, data=data, audience=audience, **subject_of(job, order, item.get("technician_id")))
        session.add(ev)
        out.append(Published(ev, actor, job, order if order is not None else getattr(job, "order", None),
                             item.get("extra") or {}))
    # Not flushed here: the rows go with the change's next flush (the session keeps them in the order
    # they were added), which saves a round trip per event on the intake path. A handler that needs
    # the stored position (seq, tx) flushes first.
    for handler, batch in _handlers.get(type, ()):
        if batch:
            handler(session, out)
        else:
            for p in out:
                handler(session, p)
    for handler in _every:
        for p in out:
            handler(session, p)
    return out
