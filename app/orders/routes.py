import uuid
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Header, Query, Request

from app.actors import Actor
from app.auth import ClientDep, PrincipalDep, SessionDep
from app.consumer import verification
from app.consumer.ratelimit import limit_consumer
from app.idempotency.service import run_idempotent
from app.orders import batch, service, tracking
from app.orders.models import OrderStatus, ServiceType
from app.orders.schemas import (
    BatchIn,
    BatchOut,
    BookingCreated,
    CancelIn,
    ConsumerBooking,
    GoodsArrivedIn,
    OrderCreate,
    OrderCreated,
    OrderOut,
    TrackingOut,
)
from app.schemas_base import AwareDatetime, Page

router = APIRouter(prefix="/v1/orders", tags=["orders"])
public = APIRouter(tags=["consumers"])

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="retries with the same key and body return the first result"),
]


def _tz(request: Request) -> ZoneInfo:
    return ZoneInfo(request.app.state.settings.city_timezone)


@router.post(
    "", status_code=201, response_model=OrderCreated,
    responses={409: {"description": "external_order_id already used"}, 422: {"description": "invalid order"}},
)
def create_order(
    body: OrderCreate, request: Request, session: SessionDep, p: ClientDep, idempotency_key: IdempotencyKey = None
):
    settings = request.app.state.settings

    def work():
        new = service.create_order(session, body, Actor.of(p), client_id=p.id)
        return 201, service.render_created(new, _tz(request), settings.public_base_url)

    return run_idempotent(
        session, p.id, idempotency_key, "POST /v1/orders", body.model_dump(mode="json"),
        settings.idempotency_ttl_hours, work,
    )


@router.post(
    "/batch", response_model=BatchOut,
    responses={413: {"description": "more orders than settings.batch_max_orders; nothing written"}},
)
def import_batch(
    body: BatchIn, request: Request, session: SessionDep, p: ClientDep, idempotency_key: IdempotencyKey = None
):
    settings = request.app.state.settings

    def work():
        return 200, batch.import_batch(
            session, body.orders, Actor.of(p), client_id=p.id, limit=settings.batch_max_orders,
            tz=_tz(request), base_url=settings.public_base_url,
        )

    # Refuse an oversized batch before claiming the key, so nothing at all is written.
    if len(body.orders) > settings.batch_max_orders:
        raise batch.too_large(len(body.orders), settings.batch_max_orders)
    return run_idempotent(
        session, p.id, idempotency_key, "POST /v1/orders/batch", body.orders, settings.idempotency_ttl_hours, work
    )


@router.get("", response_model=Page[OrderOut])
def list_orders(
    request: Request,
    session: SessionDep,
    p: PrincipalDep,
    status: OrderStatus | None = None,
    service_type: ServiceType | None = None,
    external_order_id: Annotated[str | None, Query(max_length=100)] = None,
    created_after: AwareDatetime | None = None,
    created_before: AwareDatetime | None = None,
    client_id: Annotated[uuid.UUID | None, Query(description="ops only")] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    orders, next_cursor = service.list_orders(
        session, p, status=status, service_type=service_type, external_order_id=external_order_id,
        created_after=created_after, created_before=created_before, client_id=client_id, cursor=cursor, limit=limit,
    )
    tz = _tz(request)
    return {"items": [service.render_order(o, o.jobs, tz) for o in orders], "next_cursor": next_cursor}


@router.get("/{order_id}", response_model=OrderOut)
def get_order(order_id: uuid.UUID, request: Request, session: SessionDep, p: PrincipalDep):
    order = service.visible_order(session, order_id, p)
    return service.render_order(order, order.jobs, _tz(request))


@router.post("/{order_id}/cancel", response_model=OrderOut, responses={409: {"description": "a job is under way"}})
def cancel_order(order_id: uuid.UUID, body: CancelIn, request: Request, session: SessionDep, p: PrincipalDep):
    order = service.cancel_order(session, order_id, p, Actor.of(p), body.reason)
    return service.render_order(order, service.jobs_of(session, order), _tz(request))


@router.post("/{order_id}/goods-arrived", response_model=OrderOut)
def goods_arrived(
    order_id: uuid.UUID, request: Request, session: SessionDep, p: PrincipalDep, body: GoodsArrivedIn | None = None
):
    order = service.mark_goods_arrived(session, order_id, p, Actor.of(p), body.at if body else None)
    return service.render_order(order, service.jobs_of(session, order), _tz(request))


# --- consumers: no account, a tracking token instead --------------------------------------------------------


@public.post("/v1/consumer/bookings", status_code=201, response_model=BookingCreated,
             dependencies=[Depends(limit_consumer)],
             responses={429: {"description": "too many requests from this address; see Retry-After"}})
def book_visit(body: ConsumerBooking, request: Request, session: SessionDep):
    verification.use_proof(session, body.phone_proof, body.phone, request.app.state.settings)
    new = tracking.book(session, body)
    return {
        "order_id": new.order.id,
        "status": new.order.status,
        "tracking_token": new.tracking_token,
        "tracking_url": service.tracking_url(request.app.state.settings.public_base_url, new.tracking_token),
    }


@public.get("/v1/track/{token}", response_model=TrackingOut)
def track(token: str, request: Request, session: SessionDep):
    order = tracking.order_for_token(session, token)
    return tracking.tracking_view(session, order, _tz(request))
