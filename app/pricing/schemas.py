"""Request and response shapes of the pricing domain. Money is in integer fen (CNY cents)."""

import uuid
from typing import Literal

from pydantic import Field

from app.schemas_base import Body, LocalDatetime, Out

# Units a price can be quoted in, with their Chinese names for display.
UNITS: dict[str, str] = {"each": "个", "metre": "米", "floor": "层", "visit": "次", "set": "套", "hour": "小时"}
Unit = Literal["each", "metre", "floor", "visit", "set", "hour"]
Code = Field(pattern=r"^[a-z][a-z0-9_.\-]{0,59}$", description="lower-case code, unique within the list")

MAX_UNIT_PRICE_CENTS = 1_000_000  # 10,000 CNY: anything dearer is not an extra on a home visit
MAX_QUANTITY = 100


# --- price lists -------------------------------------------------------------------------------------


class PriceItemIn(Body):
    kind: Literal["labour", "part", "surcharge"]
    code: str = Code
    service_type: str | None = Field(None, description="labour items: the service type they price")
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    unit: Unit = "each"
    unit_price_cents: int = Field(ge=0, le=MAX_UNIT_PRICE_CENTS)
    max_quantity: int = Field(ge=1, le=MAX_QUANTITY)


class PriceListIn(Body):
    items: list[PriceItemIn] = Field(min_length=1, max_length=300)


class PriceItemOut(Out):
    kind: str
    code: str
    service_type: str | None
    name_zh: str
    name_en: str
    unit: str
    unit_zh: str
    unit_price_cents: int
    max_quantity: int

    @classmethod
    def of(cls, item) -> "PriceItemOut":
        fields = {k: getattr(item, k) for k in cls.model_fields if k != "unit_zh"}
        return cls.model_validate({**fields, "unit_zh": UNITS.get(item.unit, item.unit)})


class PriceListOut(Out):
    id: uuid.UUID
    client_id: uuid.UUID | None
    is_default: bool
    category: str
    version: int
    current: bool
    created_at: LocalDatetime
    items: list[PriceItemOut]

    @classmethod
    def of(cls, pl) -> "PriceListOut":
        return cls(
            id=pl.id, client_id=pl.client_id, is_default=pl.client_id is None, category=pl.category,
            version=pl.version, current=pl.current, created_at=pl.created_at,
            items=[PriceItemOut.of(i) for i in pl.items],
        )


class JobPriceItemsOut(Out):
    job_id: uuid.UUID
    price_list_id: uuid.UUID | None
    is_default: bool
    version: int | None
    items: list[PriceItemOut]


# --- charges -----------------------------------------------------------------------------------------


class CustomChargeIn(Body):
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    kind: Literal["part", "surcharge"] = "part"
    unit: Unit = "each"
    unit_price_cents: int = Field(ge=1, le=MAX_UNIT_PRICE_CENTS)
    quantity: int = Field(ge=1, le=MAX_QUANTITY)
    reason: str = Field(min_length=1, max_length=500)


class ChargeIn(Body):
    """Either an item of the job's price list (item_code, quantity) or a custom item for ops to approve."""

    item_code: str | None = Field(None, max_length=60)
    quantity: int | None = Field(None, ge=1, le=MAX_QUANTITY, description="default 1")
    note: str | None = Field(None, max_length=500)
    custom: CustomChargeIn | None = None


class ReasonIn(Body):
    reason: str = Field(min_length=1, max_length=500)


class OptionalReasonIn(Body):
    reason: str | None = Field(None, max_length=500)


class ChargeOut(Out):
    id: uuid.UUID
    job_id: uuid.UUID
    technician_id: uuid.UUID
    custom: bool
    kind: str
    item_code: str | None
    name_zh: str
    name_en: str
    unit: str
    unit_price_cents: int
    quantity: int
    amount_cents: int
    note: str | None
    reason: str | None
    status: str
    decision_reason: str | None
    created_at: LocalDatetime
    decided_at: LocalDatetime | None
    history: list[dict]


class ConsumerChargeOut(Out):
    """What the consumer sees: the item, the amount and where it stands; nothing internal."""

    id: uuid.UUID
    job_id: uuid.UUID
    kind: str
    name_zh: str
    name_en: str
    unit: str
    unit_zh: str
    unit_price_cents: int
    quantity: int
    amount_cents: int
    note: str | None
    status: str
    created_at: LocalDatetime
    decided_at: LocalDatetime | None

    @classmethod
    def of(cls, c) -> "ConsumerChargeOut":
        fields = {k: getattr(c, k) for k in cls.model_fields if k != "unit_zh"}
        return cls.model_validate({**fields, "unit_zh": UNITS.get(c.unit, c.unit)})


class ChargeSheetOut(Out):
    job_id: uuid.UUID
    closed: bool
    closed_at: LocalDatetime | None
    charges: list[ChargeOut]


# --- bills and payouts ---------------------------------------------------------------------------------


class BillLineOut(Out):
    kind: str  # labour | part | surcharge
    code: str | None
    name_zh: str
    name_en: str
    unit: str
    unit_price_cents: int
    quantity: int
    amount_cents: int
    payer: str  # consumer | brand
    charge_id: uuid.UUID | None


class WarrantyOut(Out):
    status: str
    reason_zh: str | None
    reason_en: str | None
    bill_to_brand: bool


class BillOut(Out):
    job_id: uuid.UUID
    status: Literal["draft", "frozen"]
    frozen_at: LocalDatetime | None
    currency: str = "CNY"
    warranty: WarrantyOut | None
    lines: list[BillLineOut]
    consumer_cents: int
    brand_cents: int
    total_cents: int


class StaffBillOut(BillOut):
    brand_client_id: uuid.UUID | None


class OrderBillOut(Out):
    order_id: uuid.UUID
    bills: list[BillOut]
    consumer_cents: int  # what the consumer pays for the whole order


class PayoutRuleIn(Body):
    labour_share_bp: int = Field(ge=0, le=10_000)
    parts_share_bp: int = Field(ge=0, le=10_000)
    surcharge_share_bp: int = Field(ge=0, le=10_000)
    per_job_fee_cents: int = Field(0, ge=0, le=1_000_000)


class PayoutRuleOut(Out):
    provider_id: uuid.UUID | None
    source: str  # provider_rule | provider_share | platform_default
    labour_share_bp: int
    parts_share_bp: int
    surcharge_share_bp: int
    per_job_fee_cents: int


class PayoutOut(Out):
    id: uuid.UUID
    job_id: uuid.UUID
    technician_id: uuid.UUID
    amount_cents: int
    breakdown: dict
    created_at: LocalDatetime
