"""The outbox: one delivery row per matching endpoint, written in the event's own transaction, so an
event is never committed without its deliveries (nor a delivery without its event)."""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.events.bus import Published
from app.webhooks import handoff
from app.webhooks.models import DeliveryStatus, EndpointStatus, WebhookDelivery, WebhookEndpoint

WILDCARD = "*"
_CACHE = "webhooks.endpoints"


def _active_endpoints(session: Session, client_id: uuid.UUID) -> list[tuple[uuid.UUID, frozenset]]:
    """The client's active endpoints, read once per transaction: an order's intake publishes several
    events, and this keeps it to one indexed query per client. Kept on the transaction object, so
    the next transaction (which may see new endpoints) reads afresh."""
    txn = session.get_transaction()
    cached = session.info.get(_CACHE)
    if cached is None or cached[0] is not txn:
        cached = (txn, {})
        session.info[_CACHE] = cached
    by_client = cached[1]
    if client_id not in by_client:
        rows = session.execute(
            select(WebhookEndpoint.id, WebhookEndpoint.event_types)
            .where(WebhookEndpoint.client_id == client_id, WebhookEndpoint.status == EndpointStatus.active)
        ).all()
        by_client[client_id] = [(r.id, frozenset(r.event_types or ())) for r in rows]
    return by_client[client_id]


def forget(session: Session) -> None:
    """Called when this transaction changes endpoints, so its later events see the change."""
    session.info.pop(_CACHE, None)


def new_delivery(session: Session, endpoint_id: uuid.UUID, ev) -> WebhookDelivery:
    d = WebhookDelivery(id=uuid.uuid4(), endpoint_id=endpoint_id, event_seq=ev.seq, event_id=ev.id,
                        event_type=ev.type, status=DeliveryStatus.pending, attempts=0)
    session.add(d)
    handoff.after_commit(session, [d.id])
    return d


def fan_out(session: Session, p: Published) -> None:
    """bus.subscribe_all handler. Events about no client's order (a dispatch run) go to nobody; a test
    event goes only to the endpoint it was made for (app/webhooks/service.py sends those itself)."""
    ev = p.event
    if ev.client_id is None or ev.type == "webhook.test":
        return
    for endpoint_id, types in _active_endpoints(session, ev.client_id):
        if ev.type in types or WILDCARD in types:
            if ev.seq is None:  # the bus leaves the event to the next flush; a delivery points at its row
                session.flush()
            new_delivery(session, endpoint_id, ev)
