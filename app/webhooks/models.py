"""Webhook endpoints (a client's URLs), the outbox of deliveries and each delivery's attempts."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models_base import Base, IdMixin, TimestampMixin, utcnow


class EndpointStatus(StrEnum):
    active = "active"
    disabled = "disabled"


class DisabledReason(StrEnum):
    by_client = "by_client"
    by_ops = "by_ops"
    failing = "failing"  # every delivery failed for five days


class DeliveryStatus(StrEnum):
    pending = "pending"  # waiting for its (next) attempt
    delivering = "delivering"  # claimed by a worker until lease_expires_at
    succeeded = "succeeded"
    failed = "failed"  # the retry schedule is used up
    skipped = "skipped"  # the endpoint was disabled before it could be sent


class WebhookEndpoint(IdMixin, TimestampMixin, Base):
    __tablename__ = "webhook_endpoints"
    __table_args__ = (Index("ix_webhook_endpoints_client_status", "client_id", "status"),)

    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(500), default="")
    # Event type names, or ["*"] for every type.
    event_types: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default=EndpointStatus.active)
    disabled_reason: Mapped[str | None] = mapped_column(String(20))
    disabled_at: Mapped[datetime | None]
    # Signing secrets sealed with the server's key (app/webhooks/sealing.py): they must be recoverable
    # to compute HMACs, so they cannot be hashed like API keys.
    secret_sealed: Mapped[str] = mapped_column(Text)
    # After a rotation the old secret keeps signing beside the new one until previous_expires_at.
    previous_secret_sealed: Mapped[str | None] = mapped_column(Text)
    previous_expires_at: Mapped[datetime | None]
    # The first failure since the last success; five days of nothing but failures disables the endpoint.
    failing_since: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WebhookDelivery(IdMixin, TimestampMixin, Base):
    """One event for one endpoint: the outbox row, written in the event's own transaction."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # The sweep's and the claim's lookup: what is due, oldest first.
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_endpoint", "endpoint_id", "created_at"),
    )

    endpoint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event_seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), ForeignKey("events.seq"))
    # The event's id is the webhook-id header: the same on every attempt, so receivers can deduplicate.
    event_id: Mapped[uuid.UUID]
    event_type: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default=DeliveryStatus.pending)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    lease_token: Mapped[uuid.UUID | None]
    lease_expires_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    last_duration_ms: Mapped[int | None]
    last_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]


class WebhookAttempt(IdMixin, Base):
    """One HTTP request (or refusal) made for a delivery."""

    __tablename__ = "webhook_attempts"

    delivery_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    started_at: Mapped[datetime]
    duration_ms: Mapped[int]
    status_code: Mapped[int | None]
    ok: Mapped[bool]
    error: Mapped[str | None] = mapped_column(String(500))
    response_excerpt: Mapped[str | None] = mapped_column(String(500))
