"""HTTP routes of the webhooks: /v1/webhook-endpoints and /v1/webhook-deliveries."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.actors import Actor
from app.auth import ClientDep, PrincipalDep, SessionDep
from app.models_base import utcnow
from app.schemas_base import Page
from app.webhooks import service
from app.webhooks.schemas import (
    AttemptOut,
    DeliveryDetail,
    DeliveryOut,
    EndpointCreate,
    EndpointCreated,
    EndpointOut,
    EndpointUpdate,
    SecretOut,
    TestEventIn,
)

router = APIRouter(tags=["webhooks"])
Limit = Annotated[int, Query(ge=1, le=200)]


@router.post("/v1/webhook-endpoints", status_code=201, response_model=EndpointCreated,
             responses={422: {"description": "unsafe URL or unknown event type (the field is named)"}})
def create_endpoint(body: EndpointCreate, request: Request, session: SessionDep, p: ClientDep):
    endpoint, secret = service.create(session, p.id, body, request.app.state.settings)
    return EndpointCreated.model_validate({**EndpointOut.model_validate(endpoint).model_dump(), "secret": secret})


@router.get("/v1/webhook-endpoints", response_model=Page[EndpointOut])
def list_endpoints(session: SessionDep, p: PrincipalDep, client_id: uuid.UUID | None = None,
                   cursor: str | None = None, limit: Limit = 50):
    rows, next_cursor = service.list_endpoints(session, p, client_id, cursor, limit)
    return Page[EndpointOut](items=[EndpointOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/v1/webhook-endpoints/{endpoint_id}", response_model=EndpointOut)
def get_endpoint(endpoint_id: uuid.UUID, session: SessionDep, p: PrincipalDep):
    return service.get_endpoint(session, p, endpoint_id)


@router.patch("/v1/webhook-endpoints/{endpoint_id}", response_model=EndpointOut)
def update_endpoint(endpoint_id: uuid.UUID, body: EndpointUpdate, request: Request, session: SessionDep,
                    p: PrincipalDep):
    endpoint = service.get_endpoint(session, p, endpoint_id)
    return service.update(session, endpoint, body, request.app.state.settings)


@router.post("/v1/webhook-endpoints/{endpoint_id}/disable", response_model=EndpointOut)
def disable_endpoint(endpoint_id: uuid.UUID, session: SessionDep, p: PrincipalDep):
    return service.set_enabled(session, p, service.get_endpoint(session, p, endpoint_id), False, utcnow())


@router.post("/v1/webhook-endpoints/{endpoint_id}/enable", response_model=EndpointOut)
def enable_endpoint(endpoint_id: uuid.UUID, session: SessionDep, p: PrincipalDep):
    return service.set_enabled(session, p, service.get_endpoint(session, p, endpoint_id), True, utcnow())


@router.post("/v1/webhook-endpoints/{endpoint_id}/rotate-secret", response_model=SecretOut)
def rotate_secret(endpoint_id: uuid.UUID, request: Request, session: SessionDep, p: ClientDep):
    endpoint = service.get_endpoint(session, p, endpoint_id)
    secret = service.rotate(session, endpoint, request.app.state.settings, utcnow())
    return SecretOut(endpoint_id=endpoint.id, secret=secret, previous_expires_at=endpoint.previous_expires_at)


@router.post("/v1/webhook-endpoints/{endpoint_id}/test", status_code=202, response_model=DeliveryOut)
def send_test(endpoint_id: uuid.UUID, session: SessionDep, p: PrincipalDep, body: TestEventIn | None = None):
    endpoint = service.get_endpoint(session, p, endpoint_id)
    return service.send_test(session, endpoint, Actor.of(p), (body or TestEventIn()).message)


@router.get("/v1/webhook-endpoints/{endpoint_id}/deliveries", response_model=Page[DeliveryOut])
def list_deliveries(endpoint_id: uuid.UUID, session: SessionDep, p: PrincipalDep, status: str | None = None,
                    cursor: str | None = None, limit: Limit = 50):
    endpoint = service.get_endpoint(session, p, endpoint_id)
    rows, next_cursor = service.deliveries(session, endpoint, status, cursor, limit)
    return Page[DeliveryOut](items=[DeliveryOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/v1/webhook-deliveries/{delivery_id}", response_model=DeliveryDetail)
def get_delivery(delivery_id: uuid.UUID, session: SessionDep, p: PrincipalDep):
    delivery, _ = service.get_delivery(session, p, delivery_id)
    return DeliveryDetail.model_validate({
        **DeliveryOut.model_validate(delivery).model_dump(),
        "attempt_log": [AttemptOut.model_validate(a) for a in service.attempts(session, delivery)],
    })


@router.post("/v1/webhook-deliveries/{delivery_id}/retry", status_code=202, response_model=DeliveryOut)
def retry_delivery(delivery_id: uuid.UUID, session: SessionDep, p: PrincipalDep):
    delivery, endpoint = service.get_delivery(session, p, delivery_id)
    return service.retry(session, delivery, endpoint, utcnow())
