"""Webhook endpoints and their deliveries: registration with safe URLs, updates, enabling and disabling,
secret rotation, manual retries and test events. Callers own the transaction; this only flushes."""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actors import Actor
from app.config import Settings
from app.errors import conflict, forbidden, invalid, not_found
from app.events.catalog import TYPES, check_payload
from app.events.models import Event
from app.pagination import paginate
from app.webhooks import handoff, outbox, sealing, signing, urls
from app.webhooks.models import (
    DeliveryStatus,
    DisabledReason,
    EndpointStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from app.webhooks.schemas import EndpointCreate, EndpointUpdate

# After a rotation the old secret signs beside the new one this long, so receivers can switch over.
ROTATION_OVERLAP = timedelta(hours=24)


def _url(url: str, settings: Settings) -> str:
    try:
        urls.check(url, settings.webhook_allow_loopback)
    except urls.UnsafeUrl as exc:
        raise invalid("url", str(exc), code="unsafe-url") from None
    return url


def _event_types(types: list[str]) -> list[str]:
    for i, t in enumerate(types):
        if t != outbox.WILDCARD and t not in TYPES:
            raise invalid(f"event_types[{i}]", f"unknown event type {t!r}; see GET /v1/event-types, or use '*'")
    return [outbox.WILDCARD] if outbox.WILDCARD in types else sorted(set(types))


def create(session: Session, client_id: uuid.UUID, body: EndpointCreate, settings: Settings):
    """Returns the endpoint and its secret, which is never shown again."""
    secret = signing.new_secret()
    endpoint = WebhookEndpoint(
        client_id=client_id, url=_url(body.url, settings), description=body.description,
        event_types=_event_types(body.event_types), status=EndpointStatus.active,
        secret_sealed=sealing.seal(secret, sealing.master_key(settings)),
    )
    session.add(endpoint)
    session.flush()
    outbox.forget(session)
    return endpoint, secret


def _may_read(p) -> None:
    if p.kind != "client" and not p.is_ops:
        raise forbidden("webhook endpoints are for clients (API key) and ops staff")


def get_endpoint(session: Session, p, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    """The endpoint, if this caller may see it: its client, or ops. Others get 404, not 403, so ids
    of other clients' endpoints cannot be probed."""
    _may_read(p)
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or (p.kind == "client" and endpoint.client_id != p.id):
        raise not_found("webhook endpoint", endpoint_id)
    return endpoint


def list_endpoints(session: Session, p, client_id: uuid.UUID | None, cursor: str | None, limit: int):
    _may_read(p)
    stmt = select(WebhookEndpoint)
    if p.kind == "client":
        if client_id is not None and client_id != p.id:
            raise invalid("client_id", "a client can only list its own endpoints")
        stmt = stmt.where(WebhookEndpoint.client_id == p.id)
    elif client_id is not None:
        stmt = stmt.where(WebhookEndpoint.client_id == client_id)
    return paginate(session, stmt, WebhookEndpoint, cursor, limit)


def update(session: Session, endpoint: WebhookEndpoint, body: EndpointUpdate, settings: Settings) -> WebhookEndpoint:
    if body.url is not None:
        endpoint.url = _url(body.url, settings)
    if body.event_types is not None:
        endpoint.event_types = _event_types(body.event_types)
    if body.description is not None:
        endpoint.description = body.description
    session.flush()
    outbox.forget(session)
    return endpoint


def set_enabled(session: Session, p, endpoint: WebhookEndpoint, enabled: bool, now: datetime) -> WebhookEndpoint:
    if enabled:
        if endpoint.disabled_reason == DisabledReason.by_ops and not p.is_ops:
            raise conflict("disabled-by-ops", "ops disabled this endpoint; ask them to enable it again")
        # A fresh start: five more days of failures before it is disabled again.
        endpoint.status, endpoint.disabled_reason, endpoint.disabled_at = EndpointStatus.active, None, None
        endpoint.failing_since = None
    elif endpoint.status == EndpointStatus.active:
        endpoint.status, endpoint.disabled_at = EndpointStatus.disabled, now
        endpoint.disabled_reason = DisabledReason.by_ops if p.is_ops else DisabledReason.by_client
    session.flush()
    outbox.forget(session)
    return endpoint


def rotate(session: Session, endpoint: WebhookEndpoint, settings: Settings, now: datetime) -> str:
    """A new secret signs from now on; the current one keeps signing beside it for ROTATION_OVERLAP.
    Rotating again within the overlap retires the oldest at once (two signatures at most)."""
    secret = signing.new_secret()
    endpoint.previous_secret_sealed = endpoint.secret_sealed
    endpoint.previous_expires_at = now + ROTATION_OVERLAP
    endpoint.secret_sealed = sealing.seal(secret, sealing.master_key(settings))
    session.flush()
    return secret


def deliveries(session: Session, endpoint: WebhookEndpoint, status: str | None, cursor: str | None, limit: int):
    stmt = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
    if status is not None:
        if status not in DeliveryStatus.__members__:
            raise invalid("status", f"one of {', '.join(DeliveryStatus.__members__)}")
        stmt = stmt.where(WebhookDelivery.status == status)
    return paginate(session, stmt, WebhookDelivery, cursor, limit)


def get_delivery(session: Session, p, delivery_id: uuid.UUID) -> tuple[WebhookDelivery, WebhookEndpoint]:
    _may_read(p)
    delivery = session.get(WebhookDelivery, delivery_id)
    endpoint = session.get(WebhookEndpoint, delivery.endpoint_id) if delivery is not None else None
    if endpoint is None or (p.kind == "client" and endpoint.client_id != p.id):
        raise not_found("webhook delivery", delivery_id)
    return delivery, endpoint


def attempts(session: Session, delivery: WebhookDelivery) -> list[WebhookAttempt]:
    return list(session.scalars(select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery.id)
                                .order_by(WebhookAttempt.number, WebhookAttempt.started_at)))


def _require_active(endpoint: WebhookEndpoint) -> None:
    if endpoint.status != EndpointStatus.active:
        raise conflict("endpoint-disabled", f"endpoint {endpoint.id} is disabled ({endpoint.disabled_reason}); "
                       "enable it first")


def retry(session: Session, delivery: WebhookDelivery, endpoint: WebhookEndpoint, now: datetime) -> WebhookDelivery:
    """Send again now, with the same webhook-id. A failed (or delivered) one gets one more attempt (past
    the schedule, a failure fails it again); a pending one is brought forward and keeps its schedule."""
    _require_active(endpoint)
    if delivery.status == DeliveryStatus.delivering and delivery.lease_expires_at and delivery.lease_expires_at > now:
        raise conflict("delivery-in-flight", "a worker is sending this delivery right now; look again shortly")
    delivery.status, delivery.next_attempt_at = DeliveryStatus.pending, now
    delivery.lease_token = delivery.lease_expires_at = None
    session.flush()
    handoff.after_commit(session, [delivery.id])
    return delivery


def send_test(session: Session, endpoint: WebhookEndpoint, actor: Actor, message: str) -> WebhookDelivery:
    """A webhook.test event for this endpoint's client, delivered to this endpoint only (whatever its
    event types), through the same outbox and worker as every other event."""
    _require_active(endpoint)
    data = {"message": message}
    ev = Event(type="webhook.test", version=check_payload("webhook.test", data), actor_type=actor.type,
               actor_id=actor.id, client_id=endpoint.client_id, data=data)
    session.add(ev)
    session.flush()
    d = outbox.new_delivery(session, endpoint.id, ev)
    session.flush()
    return d
