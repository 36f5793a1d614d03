"""Price lists (收费标准), the extra charges a technician adds to a job, its bill and the payout.

A price list is versioned: replacing it adds a new version and the old one stays, so a charge, which
copies its item's name and unit price when it is added, never changes after the fact.
"""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models_base import Base, IdMixin, TimestampMixin, utcnow


class ItemKind(StrEnum):
    labour = "labour"  # the base labour of one service type; billed as the job's base line
    part = "part"
    surcharge = "surcharge"


class ChargeStatus(StrEnum):
    awaiting_approval = "awaiting_approval"  # a custom item, until ops approves it
    awaiting_consumer = "awaiting_consumer"
    confirmed = "confirmed"
    rejected = "rejected"
    withdrawn = "withdrawn"


PENDING = frozenset({ChargeStatus.awaiting_approval, ChargeStatus.awaiting_consumer})


class Payer(StrEnum):
    consumer = "consumer"
    brand = "brand"


class PriceList(IdMixin, TimestampMixin, Base):
    __tablename__ = "price_lists"
    __table_args__ = (
        UniqueConstraint("client_id", "category", "version"),
        Index("ix_price_lists_lookup", "category", "client_id", "current"),
    )

    # NULL: the platform default, used for consumer bookings and clients without their own list.
    client_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(ForeignKey("appliance_categories.code"))
    version: Mapped[int] = mapped_column(default=1)
    current: Mapped[bool] = mapped_column(default=True)
    content_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the items, to load data idempotently

    items: Mapped[list["PriceItem"]] = relationship(
        back_populates="price_list", cascade="all, delete-orphan", order_by="PriceItem.position"
    )


class PriceItem(IdMixin, Base):
    """Never updated once written: a new list version gets new rows."""

    __tablename__ = "price_items"
    __table_args__ = (UniqueConstraint("price_list_id", "code"),)

    price_list_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("price_lists.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(60))
    service_type: Mapped[str | None] = mapped_column(String(20))  # labour items only
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))
    unit_price_cents: Mapped[int]
    max_quantity: Mapped[int]

    price_list: Mapped[PriceList] = relationship(back_populates="items")


class ChargeSheet(Base):
    """One per job: whether the technician has closed the job's extras, and a counter every new charge
    bumps, so adding a charge and closing the sheet cannot both win."""

    __tablename__ = "charge_sheets"

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    charge_count: Mapped[int] = mapped_column(default=0)
    closed_at: Mapped[datetime | None]
    closed_by_type: Mapped[str | None] = mapped_column(String(20))
    closed_by_id: Mapped[str | None] = mapped_column(String(64))


class JobCharge(IdMixin, TimestampMixin, Base):
    __tablename__ = "job_charges"
    __table_args__ = (Index("ix_job_charges_status_created", "status", "created_at"),)

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    technician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("technicians.id"))
    price_item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("price_items.id"))  # NULL: custom
    custom: Mapped[bool] = mapped_column(default=False)
    kind: Mapped[str] = mapped_column(String(20))  # part | surcharge
    item_code: Mapped[str | None] = mapped_column(String(60))
    # Copied from the item when added: a later price list never changes this charge.
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))
    unit_price_cents: Mapped[int]
    quantity: Mapped[int]
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)  # why a custom item is needed
    status: Mapped[str] = mapped_column(String(20))
    shown_to_consumer_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # [{"at", "actor_type", "actor_id", "from", "to", "reason"}], appended on every change of status
    history: Mapped[list[dict]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Bill(IdMixin, Base):
    """A job's bill as frozen when the job completed."""

    __tablename__ = "bills"

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), unique=True)
    lines: Mapped[list[dict]] = mapped_column(JSON)
    warranty: Mapped[dict | None] = mapped_column(JSON)
    brand_client_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clients.id"))
    consumer_cents: Mapped[int] = mapped_column(BigInteger)
    brand_cents: Mapped[int] = mapped_column(BigInteger)
    total_cents: Mapped[int] = mapped_column(BigInteger)
    frozen_at: Mapped[datetime] = mapped_column(default=utcnow)


class PayoutRule(IdMixin, TimestampMixin, Base):
    """How much of a job's bill goes to the technician, per provider company, by kind of line."""

    __tablename__ = "payout_rules"

    provider_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("provider_companies.id", ondelete="CASCADE"), unique=True
    )
    labour_share_bp: Mapped[int]
    parts_share_bp: Mapped[int]
    surcharge_share_bp: Mapped[int]
    per_job_fee_cents: Mapped[int] = mapped_column(default=0)  # kept by the provider per job
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Payout(IdMixin, TimestampMixin, Base):
    __tablename__ = "payouts"
    __table_args__ = (Index("ix_payouts_technician_created", "technician_id", "created_at"),)

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), unique=True)
    technician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("technicians.id"))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    breakdown: Mapped[dict] = mapped_column(JSON)
