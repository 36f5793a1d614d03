"""The events API: the type catalogue, the pull API (`after` a cursor) and the live stream (SSE)."""

import asyncio
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Security
from fastapi.responses import StreamingResponse

from app.auth import (
    PrincipalDep,
    SessionDep,
    api_key_scheme,
    bearer_scheme,
    principal_from,
)
from app.events import service
from app.events.feed import OrderReader, parse_cursor, parse_types
from app.events.schemas import EventPage, EventTypeOut
from app.orders.tracking import order_for_token

router = APIRouter(prefix="/v1", tags=["events"])


@router.get("/event-types", response_model=list[EventTypeOut])
def event_types():
    """Every event type with its payload's JSON Schema."""
    return service.catalogue()


@router.get("/events", response_model=EventPage)
def list_events(
    session: SessionDep, p: PrincipalDep,
    after: Annotated[str | None, Query(description="a cursor from a previous page or event; omit to start at the beginning")] = None,
    types: Annotated[str | None, Query(description="comma-separated event types, e.g. job.completed,order.created")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
):
    """Events in order after `after`: a client sees its own orders' events, a technician their jobs' and
    offers', ops everything. For clients that cannot receive webhooks."""
    items, next_cursor = service.page(session, p, parse_cursor(after), parse_types(types), limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/events/stream", response_class=StreamingResponse, responses={200: {"content": {"text/event-stream": {}}}})
async def stream(
    request: Request,
    types: Annotated[str | None, Query(description="comma-separated event types")] = None,
    after: Annotated[str | None, Query(description="resume after this cursor (or send Last-Event-ID)")] = None,
    access_token: Annotated[str | None, Query(description="a bearer token, for EventSource, which cannot send headers; or an order's tracking token (trk_...), which hears only that order's progress")] = None,
    last_event_id: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Security(api_key_scheme)] = None,
    _bearer: Annotated[object, Security(bearer_scheme)] = None,
):
    """Server-Sent Events, live: `id` is the cursor, `event` the type, `data` the event's JSON. Resumes from
    Last-Event-ID; a keep-alive comment every few seconds when quiet."""
    wanted = parse_types(types)
    resume = last_event_id or after
    position = parse_cursor(resume, "Last-Event-ID" if last_event_id else "after") if resume else None
    authorization = request.headers.get("authorization")
    if access_token and not authorization:
        authorization = f"Bearer {access_token}"
    # Its own short session: a stream may stay open for hours and must not hold a connection meanwhile.
    # In a worker thread, not on the event loop: on SQLite the lookup waits for the write lock, and a
    # request holding it needs the loop to finish and commit (a 30-second deadlock otherwise).
    def authenticate():
        with request.app.state.sessionmaker() as session:
            if access_token and access_token.startswith("trk_") and not x_api_key:
                return OrderReader(order_for_token(session, access_token).id)  # a consumer's tracking link
            return principal_from(session, x_api_key, authorization)

    principal = await asyncio.to_thread(authenticate)
    hub = request.app.state.event_hub
    return StreamingResponse(
        hub.subscribe(principal, position, set(wanted) if wanted else None),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
