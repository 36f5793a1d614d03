"""Request and response shapes for products, service codes, warranty policies, decisions and rework."""

import uuid
from datetime import date
from typing import Any, Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from app.orders.schemas import BatchRowError, _city_today
from app.schemas_base import Body, LocalDatetime, Out, Phone
from app.warranty.models import SalesChannel

MAX_BATCH = 500
# Before this nothing is plausibly still under any warranty; it also catches typos like 0202.
EARLIEST_PURCHASE = date(1990, 1, 1)


class ProductCreate(Body):
    category: str = Field(min_length=1, max_length=40, description="catalogue category code, e.g. air_conditioner")
    model: str = Field(min_length=1, max_length=100)
    serial: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/\-]*$")
    purchase_date: date
    channel: SalesChannel
    consumer_phone: Phone | None = None

    @field_validator("purchase_date")
    @classmethod
    def _plausible(cls, v: date):
        if v > _city_today():
            raise PydanticCustomError("date_in_future", "purchase date is in the future")
        if v < EARLIEST_PURCHASE:
            raise PydanticCustomError("date_too_early", f"purchase date is before {EARLIEST_PURCHASE.isoformat()}")
        return v


class ProductBatchIn(Body):
    # Rows stay untyped so one bad row is rejected on its own instead of failing the batch.
    products: list[Any] = Field(min_length=1)


class ProductOut(Out):
    id: uuid.UUID
    category: str
    model: str
    serial: str
    purchase_date: date
    channel: str
    consumer_phone: str | None
    service_code: str
    booking_url: str
    created_at: LocalDatetime


class ProductBatchRow(Out):
    index: int
    status: Literal["created", "rejected"]
    product_id: uuid.UUID | None = None
    serial: str | None = None
    service_code: str | None = None
    error: BatchRowError | None = None


class ProductBatchOut(Out):
    created: int
    rejected: int
    results: list[ProductBatchRow]


class CoverOut(Out):
    whole_unit_months: int
    whole_unit_until: date
    key_part_months: int
    key_parts_until: date
    key_parts: list[dict]


class ServiceCodeOut(Out):
    """What the consumer's booking page needs, and nothing personal."""

    service_code: str
    category: str
    category_name_zh: str
    category_name_en: str
    brand: str
    model: str
    serial: str
    purchase_date: date
    booking_url: str
    cover: CoverOut | None = Field(description="the cover the brand's (or the default) policy gives today")


# --- policies -------------------------------------------------------------------------------------------


class KeyPart(Body):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")
    name_zh: str = Field(min_length=1, max_length=50)
    name_en: str = Field(min_length=1, max_length=80)


class PolicyIn(Body):
    whole_unit_months: int = Field(ge=0, le=240)
    key_part_months: int = Field(ge=0, le=240)
    key_parts: list[KeyPart] = Field(default_factory=list, max_length=20)
    excluded_channels: list[SalesChannel] = Field(default_factory=list, max_length=len(SalesChannel))


class PolicyOut(Out):
    category: str
    source: Literal["brand", "platform_default"]
    whole_unit_months: int
    key_part_months: int
    key_parts: list[dict]
    excluded_channels: list[str]
    updated_at: LocalDatetime


# --- decisions and rework -------------------------------------------------------------------------------


class DecisionOut(Out):
    job_id: uuid.UUID
    status: str
    reason_zh: str
    reason_en: str
    bill_to_brand: bool
    brand_client_id: uuid.UUID | None
    product_id: uuid.UUID | None
    purchase_date: date | None
    purchase_date_source: str | None
    decided_for: date
    whole_unit_until: date | None
    key_parts_until: date | None
    key_parts: list[dict]
    rework_of_job_id: uuid.UUID | None
    created_at: LocalDatetime


class TrackedDecisionOut(Out):
    """The consumer's view: what is covered and why, without internal ids."""

    service_type: str
    category: str
    status: str
    reason_zh: str
    reason_en: str
    consumer_pays: bool
    purchase_date: date | None
    whole_unit_until: date | None
    key_parts_until: date | None
    key_parts: list[dict]
    rework: bool


class ReworkLinkOut(Out):
    job_id: uuid.UUID
    original_job_id: uuid.UUID
    original_technician_id: uuid.UUID | None
    original_completed_at: LocalDatetime
    days_after: int
    created_at: LocalDatetime


class ReworkOut(Out):
    job_id: uuid.UUID
    rework_days: int
    rework_of: ReworkLinkOut | None = Field(description="the completed job this one redoes, if any")
    reworked_by: list[ReworkLinkOut] = Field(description="later jobs that redo this one")
