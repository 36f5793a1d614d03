"""Request and response shapes for orders, batches, consumer bookings and tracking.

Requests refuse unknown fields (status, price, client_id, technician ... cannot be smuggled in).
Times arrive with an offset, are handled in UTC, and are rendered in the city's time zone.
"""

import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from app.config import get_settings
from app.orders.models import OrderStatus, ServiceType, Urgency
from app.schemas_base import AwareDatetime, Body, Latitude, Longitude, Out, Phone

MAX_WINDOWS = 5
MAX_WINDOW_LENGTH = timedelta(days=7)
MAX_BOOKING_AHEAD = timedelta(days=366)
MAX_APPLIANCES = 50


def _err(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def _city_today() -> date:
    return datetime.now(ZoneInfo(get_settings().city_timezone)).date()


class Contact(Body):
    name: str = Field(min_length=1, max_length=100)
    phone: Phone


class Location(Body):
    lon: Longitude
    lat: Latitude


class Window(Body):
    """A preferred visit window. It may already have begun, but must not lie entirely in the past."""

    start: AwareDatetime
    end: AwareDatetime

    @field_validator("start")
    @classmethod
    def _not_too_far(cls, v: datetime):
        if v > datetime.now(timezone.utc) + MAX_BOOKING_AHEAD:
            raise _err("window_too_far", f"window starts more than {MAX_BOOKING_AHEAD.days} days ahead")
        return v

    @field_validator("end")
    @classmethod
    def _sane(cls, v: datetime, info: ValidationInfo):
        start = info.data.get("start")
        if start is not None:
            if v <= start:
                raise _err("window_order", "window ends before it starts (end must be after start)")
            if v - start > MAX_WINDOW_LENGTH:
                raise _err("window_too_long", f"a window may last at most {MAX_WINDOW_LENGTH.days} days")
        if v <= datetime.now(timezone.utc):
            raise _err("window_past", "window lies in the past")
        return v


class Appliance(Body):
    category: str = Field(min_length=1, max_length=40, description="catalogue category code, e.g. air_conditioner")
    brand: str | None = Field(default=None, max_length=100)
    model: str | None = Field(default=None, max_length=100)
    serial: str | None = Field(default=None, max_length=100)
    purchase_date: date | None = None
    quantity: int = Field(default=1, ge=1, le=100)

    @field_validator("purchase_date")
    @classmethod
    def _not_future(cls, v: date | None):
        if v is not None and v > _city_today():
            raise _err("date_in_future", "purchase date is in the future")
        return v


Windows = list[Window]


def _windows_field():
    return Field(min_length=1, max_length=MAX_WINDOWS, description=f"1 to {MAX_WINDOWS} preferred windows")


class OrderCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "service_type": "install",
        "appliances": [{"category": "air_conditioner", "brand": "格力 Gree", "model": "KFR-35GW", "serial": "SN0001",
                        "purchase_date": "2026-11-15"}],
        "contact": {"name": "李女士", "phone": "13800001111"},
        "address": "杭州市西湖区文三路 90 号 3 幢 502",
        "location": {"lon": 120.165, "lat": 30.284},
        "windows": [{"start": "2026-12-03T09:00:00+08:00", "end": "2026-12-03T12:00:00+08:00"}],
        "urgency": "normal",
        "notes": "请先电话联系",
        "external_order_id": "ERP-2026-000123",
    }]})

    service_type: ServiceType
    appliances: list[Appliance] = Field(min_length=1, max_length=MAX_APPLIANCES)
    contact: Contact
    address: str = Field(min_length=1, max_length=500)
    location: Location
    windows: Windows = _windows_field()
    urgency: Urgency = Urgency.normal
    notes: str | None = Field(default=None, max_length=2000)
    problem_description: str | None = Field(default=None, max_length=2000)
    external_order_id: str | None = Field(default=None, min_length=1, max_length=100)
    city: str = Field(default="hangzhou", pattern=r"^[a-z][a-z0-9_-]{1,39}$", description="city code")
    rework_of_job_id: uuid.UUID | None = Field(
        default=None, validate_default=True, description="for rework only: the completed job being redone"
    )

    @field_validator("rework_of_job_id")
    @classmethod
    def _rework_link(cls, v: uuid.UUID | None, info: ValidationInfo):
        service_type = info.data.get("service_type")
        if service_type == ServiceType.rework and v is None:
            raise _err("rework_link", "required for a rework order: the completed job being redone")
        if service_type is not None and service_type != ServiceType.rework and v is not None:
            raise _err("rework_link", "only allowed on rework orders")
        return v


class ConsumerAppliance(Appliance):
    quantity: int = Field(default=1, ge=1, le=5)


class ConsumerBooking(Body):
    """A consumer without an account books a repair or maintenance visit."""

    service_type: Literal["repair", "maintenance"]
    name: str = Field(min_length=1, max_length=100)
    phone: Phone
    address: str = Field(min_length=1, max_length=500)
    location: Location
    appliance: ConsumerAppliance
    problem_description: str | None = Field(default=None, max_length=2000, validate_default=True)
    windows: Windows = _windows_field()
    notes: str | None = Field(default=None, max_length=2000)
    phone_proof: str | None = Field(
        default=None, max_length=100,
        description="the proof from POST /v1/consumer/phone-verifications/{id}/check (required unless the "
                    "server turns phone verification off)",
    )

    @field_validator("problem_description")
    @classmethod
    def _problem_for_repair(cls, v: str | None, info: ValidationInfo):
        if info.data.get("service_type") == "repair" and not v:
            raise _err("problem_required", "describe the problem for a repair")
        return v


class CancelIn(Body):
    reason: str = Field(min_length=1, max_length=500)


class GoodsArrivedIn(Body):
    at: AwareDatetime | None = Field(default=None, description="when the goods arrived; default now")


class BatchIn(Body):
    # Rows stay untyped here so one bad row is rejected on its own instead of failing the batch.
    orders: list[Any] = Field(min_length=1)


# --- responses ---------------------------------------------------------------------------------------


class WindowOut(Out):
    start: datetime
    end: datetime


class ApplianceOut(Out):
    category: str
    brand: str | None
    model: str | None
    serial: str | None
    purchase_date: date | None
    quantity: int


class JobOut(Out):
    id: uuid.UUID
    service_type: str
    category: str
    status: str
    required_skills: list[str]
    duration_minutes: int
    depends_on_job_id: uuid.UUID | None
    window_start: datetime
    window_end: datetime


class OrderOut(Out):
    id: uuid.UUID
    client_id: uuid.UUID | None
    channel: str
    city: str
    external_order_id: str | None
    service_type: str
    status: OrderStatus
    urgency: str
    contact: dict[str, str]
    address: str
    location: dict[str, float]
    appliances: list[ApplianceOut]
    windows: list[WindowOut]
    notes: str | None
    problem_description: str | None
    rework_of_job_id: uuid.UUID | None
    goods_arrived_at: datetime | None
    cancelled_at: datetime | None
    completed_at: datetime | None = None
    cancel_reason: str | None
    created_at: datetime
    jobs: list[JobOut]


class OrderCreated(OrderOut):
    tracking_token: str = Field(description="shown only in this response; only its hash is kept")
    tracking_url: str


class BatchRowError(Out):
    field: str | None
    detail: str
    code: str


class BatchRow(Out):
    index: int
    status: Literal["created", "rejected"]
    order_id: uuid.UUID | None = None
    external_order_id: str | None = None
    tracking_url: str | None = None
    job_ids: list[uuid.UUID] | None = None
    error: BatchRowError | None = None


class BatchOut(Out):
    created: int
    rejected: int
    results: list[BatchRow]


class BookingCreated(Out):
    order_id: uuid.UUID
    status: str
    tracking_token: str = Field(description="shown only in this response")
    tracking_url: str


class TrackedJob(Out):
    id: uuid.UUID
    service_type: str
    category: str
    status: str
    technician_name: str | None
    window_start: datetime
    window_end: datetime
    scheduled_start: datetime | None


class TrackedEvent(Out):
    at: datetime
    service_type: str
    action: str
    status: str


class TrackingOut(Out):
    order_id: uuid.UUID
    service_type: str
    status: str
    address: str
    windows: list[WindowOut]
    jobs: list[TrackedJob]
    timeline: list[TrackedEvent]


def local(dt: datetime | None, tz: ZoneInfo) -> datetime | None:
    return None if dt is None else dt.astimezone(tz)
