"""Request and response bodies of the webhook endpoints API."""

import uuid
from datetime import datetime

from pydantic import Field

from app.schemas_base import Body, Out


class EndpointCreate(Body):
    url: str = Field(max_length=2000, description="https URL that receives POSTed events")
    event_types: list[str] = Field(min_length=1, max_length=100,
                                   description='event types to send, or ["*"] for all (GET /v1/event-types)')
    description: str = Field("", max_length=500)


class EndpointUpdate(Body):
    url: str | None = Field(None, max_length=2000)
    event_types: list[str] | None = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=500)


class EndpointOut(Out):
    id: uuid.UUID
    client_id: uuid.UUID
    url: str
    description: str
    event_types: list[str]
    status: str
    disabled_reason: str | None
    disabled_at: datetime | None
    failing_since: datetime | None
    previous_expires_at: datetime | None = Field(
        description="until then the secret before the last rotation also signs every delivery")
    created_at: datetime
    updated_at: datetime


class EndpointCreated(EndpointOut):
    secret: str = Field(description="the signing secret (whsec_...); shown only now")


class SecretOut(Out):
    endpoint_id: uuid.UUID
    secret: str = Field(description="the new signing secret; shown only now")
    previous_expires_at: datetime


class DeliveryOut(Out):
    id: uuid.UUID
    endpoint_id: uuid.UUID
    event_id: uuid.UUID = Field(description="also the webhook-id header, the same on every attempt")
    event_type: str
    status: str
    attempts: int
    last_status_code: int | None
    last_duration_ms: int | None
    last_error: str | None
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


class AttemptOut(Out):
    number: int
    started_at: datetime
    duration_ms: int
    status_code: int | None
    ok: bool
    error: str | None
    response_excerpt: str | None


class DeliveryDetail(DeliveryOut):
    attempt_log: list[AttemptOut]


class TestEventIn(Body):
    message: str = Field("Hello from Shifu", max_length=500)
