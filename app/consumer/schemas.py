"""Request and response shapes of the consumer endpoints: slots, phone verification, the tracking
page's overview, the consumer's changes and photos."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field

from app.schemas_base import AwareDatetime, Body, LocalDatetime, Out, Phone


class PriceOut(Out):
    cents: int
    code: str
    name_zh: str
    name_en: str


class SlotOut(Out):
    start: datetime
    end: datetime
    status: Literal["available", "full"]


class SlotsOut(Out):
    category: str
    service_type: str
    duration_minutes: int
    timezone: str
    price: PriceOut = Field(description="the published price of the visit (labour), before any extra")
    slots: list[SlotOut]


class PhoneIn(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"phone": "13900002222"}]})
    phone: Phone


class VerificationOut(Out):
    id: uuid.UUID
    expires_at: LocalDatetime
    resend_after_seconds: int


class CodeIn(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "123456"}]})
    code: str = Field(pattern=r"^\s*[0-9]{4,8}\s*$")


class ProofOut(Out):
    phone_proof: str = Field(description="present it as phone_proof in POST /v1/consumer/bookings; once")


class RescheduleIn(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "start": "2026-12-03T10:00:00+08:00", "end": "2026-12-03T12:00:00+08:00"}]})
    start: AwareDatetime
    end: AwareDatetime


class ConsumerCancelIn(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "已自行修好"}]})
    reason: str = Field(min_length=1, max_length=500)


class ChangeOut(Out):
    kind: str
    fee_cents: int
    at: LocalDatetime
    to_start: LocalDatetime | None
    to_end: LocalDatetime | None


class ConsumerPhotoOut(Out):
    id: uuid.UUID
    purpose: str
    ticket_id: uuid.UUID | None
    content_type: str
    size_bytes: int
    uploaded_at: LocalDatetime
    url: str


class OverviewOut(Out):
    """The tracking page's main answer (see app/consumer/overview.py); times in the city's zone."""

    model_config = ConfigDict(extra="allow")
    order_id: uuid.UUID
    status: str
    service_type: str
    address: str
    jobs: list[dict]
    timeline: list[dict]
    change: dict
    position_poll_seconds: float


class MapOut(Out):
    city: str
    centre: dict[str, float]
    tile_url: str | None
    districts: dict = Field(description="GeoJSON FeatureCollection of the districts (code, name_zh, name_en)")
