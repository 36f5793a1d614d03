"""HTTP routes of the consumer side: bookable slots (public, for consumers and brands), phone
verification before a booking, and what the tracking link adds: the page's overview, rescheduling or
cancelling within the rules, photos of the problem and of a complaint."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from app.auth import SessionDep
from app.checklists.photos import Upload
from app.checklists.storage import storage_for
from app.consumer import boot, changes, overview, photos, slots, verification
from app.consumer.ratelimit import limit_consumer
from app.consumer.schemas import (
    ChangeOut,
    CodeIn,
    ConsumerCancelIn,
    ConsumerPhotoOut,
    MapOut,
    OverviewOut,
    PhoneIn,
    ProofOut,
    RescheduleIn,
    SlotsOut,
    VerificationOut,
)
from app.errors import ProblemError, not_found, problem_for
from app.orders.models import ServiceType
from app.orders.tracking import order_for_token
from app.web_app import consumer_shell

LIMITED = {429: {"description": "too many requests from this address; see Retry-After"}}
public = APIRouter(tags=["consumers"], dependencies=[Depends(limit_consumer)], responses=LIMITED)
tracked = APIRouter(prefix="/v1/track", tags=["consumers"])
pages = APIRouter(include_in_schema=False)


def _settings(request: Request):
    return request.app.state.settings


@public.get("/v1/booking-slots", response_model=SlotsOut,
            responses={422: {"description": "unknown category or service, or no technician covers the place "
                                            "(code not-covered, field location)"},
                       429: {"description": "too many requests from this address"}})
def booking_slots(
    request: Request, session: SessionDep,
    lon: Annotated[float, Query(ge=-180, le=180, description="WGS84 longitude", examples=[120.165])],
    lat: Annotated[float, Query(ge=-90, le=90, description="WGS84 latitude", examples=[30.284])],
    category: Annotated[str, Query(min_length=1, max_length=40, description="catalogue category code")],
    service_type: ServiceType = ServiceType.repair,
):
    """The next days' visit slots at this address, each available (some covering technician can fit the
    visit into their day, by the optimizer's insertion check) or full; with the visit's published price."""
    return slots.booking_slots(session, lon, lat, category, str(service_type), _settings(request))


@public.post("/v1/consumer/phone-verifications", status_code=201, response_model=VerificationOut,
             responses={429: {"description": "a code was sent to this number moments ago, or too many"}})
def send_code(body: PhoneIn, request: Request, session: SessionDep):
    """Send a six-digit code to the phone (by the configured SMS provider; by default it is only logged)."""
    sent = verification.send_code(session, body.phone, _settings(request))
    v = sent.verification
    return {"id": v.id, "expires_at": v.expires_at, "resend_after_seconds": sent.resend_after_seconds}


@public.post("/v1/consumer/phone-verifications/{verification_id}/check", response_model=ProofOut,
             responses={422: {"description": "wrong, expired or used code (field code)"}})
def check_code(verification_id: uuid.UUID, body: CodeIn, request: Request, session: SessionDep):
    result = verification.check_code(session, verification_id, body.code, _settings(request))
    if isinstance(result, ProblemError):
        return problem_for(request, result)  # answered, not raised: the used-up try is committed
    return {"phone_proof": result}


@public.get("/v1/consumer/map", response_model=MapOut)
def city_map(request: Request):
    """What the consumer's map draws without a tile server: the city's centre and its district outlines
    (and the tile server's URL when one is configured)."""
    return boot.city_map(_settings(request))


# --- through the tracking link ----------------------------------------------------------------------------


@tracked.get("/{token}/overview", response_model=OverviewOut)
def tracking_overview(token: str, request: Request, session: SessionDep):
    """Everything the tracking page shows at once: visits, technician and their position while on the
    way, the timeline, and whether (and at what fee) the consumer may still reschedule or cancel."""
    return overview.overview(session, order_for_token(session, token), _settings(request))


@tracked.post("/{token}/reschedule", response_model=ChangeOut,
              responses={409: {"description": "too late, under way, closed, or the slot is full"}})
def reschedule(token: str, body: RescheduleIn, request: Request, session: SessionDep):
    order = order_for_token(session, token)
    return changes.reschedule(session, order, body.start, body.end, _settings(request))


@tracked.post("/{token}/cancel", response_model=ChangeOut,
              responses={409: {"description": "too late, under way, or closed"}})
def cancel(token: str, body: ConsumerCancelIn, request: Request, session: SessionDep):
    return changes.cancel(session, order_for_token(session, token), body.reason, _settings(request))


def _photo_out(token: str, p) -> dict:
    return {"id": p.id, "purpose": p.purpose, "ticket_id": p.ticket_id, "content_type": p.content_type,
            "size_bytes": p.size_bytes, "uploaded_at": p.uploaded_at, "url": f"/v1/track/{token}/photos/{p.id}"}


@tracked.post("/{token}/photos", status_code=201, response_model=list[ConsumerPhotoOut],
              dependencies=[Depends(limit_consumer)], responses=LIMITED)
def upload_photos(
    token: str, request: Request, session: SessionDep,
    files: Annotated[list[UploadFile], File(description="JPEG, PNG or WebP images")],
    purpose: Annotated[str, Form(description="problem | complaint")] = "problem",
    ticket_id: Annotated[uuid.UUID | None, Form(description="the complaint, for complaint photos")] = None,
):
    order = order_for_token(session, token)
    max_bytes = _settings(request).photo_max_bytes
    uploads = [Upload(f.filename, f.file.read(max_bytes + 1), f.size or 0) for f in files]
    stored = photos.upload(session, order, purpose, ticket_id, uploads, storage=storage_for(request.app),
                           max_bytes=max_bytes)
    return [_photo_out(token, p) for p in stored]


@tracked.get("/{token}/photos", response_model=list[ConsumerPhotoOut])
def list_photos(token: str, session: SessionDep):
    return [_photo_out(token, p) for p in photos.photos_of(session, order_for_token(session, token))]


@tracked.get("/{token}/photos/{photo_id}", response_class=Response, responses={200: {"content": {"image/*": {}}}})
def get_photo(token: str, photo_id: uuid.UUID, request: Request, session: SessionDep):
    photo = photos.photo_of(session, order_for_token(session, token), photo_id)
    try:
        data = storage_for(request.app).get(photo.storage_key)
    except KeyError:
        raise not_found("photo file", photo_id) from None
    return Response(data, media_type=photo.content_type, headers={"Cache-Control": "private, max-age=86400"})


# --- the pages consumers are sent to: the consumer app's shell ---------------------------------------------


@pages.get("/book", response_class=HTMLResponse)
def booking_page(request: Request, session: SessionDep):
    """Booking for any appliance."""
    return consumer_shell(request, head=boot.script_tag(boot.booking_boot(session, _settings(request))))


@pages.get("/book/{code}", response_class=HTMLResponse)
def booking_page_for_code(code: str, request: Request, session: SessionDep):
    """Booking from a product's service code (its QR), pre-filled; 404 for a code that names no product
    (the page says so in words)."""
    data = boot.booking_boot(session, _settings(request), code)
    return consumer_shell(request, 404 if data["product"] is None else 200, head=boot.script_tag(data))


@pages.get("/track/{token}", response_class=HTMLResponse)
def track_page(token: str, request: Request, session: SessionDep):
    """The tracking page, which reads the API with the token; 404 for a token that opens nothing."""
    try:
        order_for_token(session, token)
    except ProblemError:
        return consumer_shell(request, 404)
    return consumer_shell(request)


# every router of this domain; app/main.py includes them all
routers = [public, tracked, pages]
