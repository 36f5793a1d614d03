"""Products a brand registered (with their service code 售后码), warranty policies, the warranty
decision taken for each repair-type job, and rework links (返修) between jobs."""

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models_base import Base, IdMixin, TimestampMixin, utcnow


class SalesChannel(StrEnum):
    jd = "jd"
    tmall = "tmall"
    taobao = "taobao"
    pinduoduo = "pinduoduo"
    suning = "suning"
    douyin = "douyin"
    offline_store = "offline_store"
    brand_store = "brand_store"
    other = "other"


class WarrantyStatus(StrEnum):
    in_warranty = "in_warranty"
    key_parts_only = "key_parts_only"
    out_of_warranty = "out_of_warranty"
    unknown = "unknown"


class Product(IdMixin, TimestampMixin, Base):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("client_id", "serial"),
        Index("ix_products_client_created", "client_id", "created_at", "id"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(ForeignKey("appliance_categories.code"))
    model: Mapped[str] = mapped_column(String(100))
    # Indexed on its own too: a consumer booking names a serial but no brand account.
    serial: Mapped[str] = mapped_column(String(100), index=True)
    purchase_date: Mapped[date]
    channel: Mapped[str] = mapped_column(String(20))
    consumer_phone: Mapped[str | None] = mapped_column(String(30))
    # Stored upper-case; looked up case-insensitively by normalising the input.
    service_code: Mapped[str] = mapped_column(String(16), unique=True)


class WarrantyPolicy(IdMixin, TimestampMixin, Base):
    """A brand's cover for one category; client_id NULL is the platform default (三包 baseline)."""

    __tablename__ = "warranty_policies"
    __table_args__ = (UniqueConstraint("client_id", "category"),)

    client_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(ForeignKey("appliance_categories.code"))
    whole_unit_months: Mapped[int]
    key_part_months: Mapped[int]
    key_parts: Mapped[list[dict]] = mapped_column(JSON, default=list)  # [{code, name_zh, name_en}]
    excluded_channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReworkLink(IdMixin, TimestampMixin, Base):
    """Job `job_id` redoes `original_job_id` within the rework period; counts against its technician."""

    __tablename__ = "rework_links"

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), unique=True)
    original_job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    original_technician_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("technicians.id"), index=True)
    original_completed_at: Mapped[datetime]
    days_after: Mapped[int]


class WarrantyDecision(IdMixin, TimestampMixin, Base):
    """What the warranty covers for one job, decided once from the facts at the order's creation."""

    __tablename__ = "warranty_decisions"

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    reason_zh: Mapped[str] = mapped_column(Text)
    reason_en: Mapped[str] = mapped_column(Text)
    bill_to_brand: Mapped[bool]
    # The brand that carries the cost (the product's owner, or the brand the order names).
    brand_client_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    product_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    policy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("warranty_policies.id", ondelete="SET NULL"))
    purchase_date: Mapped[date | None]
    purchase_date_source: Mapped[str | None] = mapped_column(String(20))  # product | order
    decided_for: Mapped[date]  # the order's creation date in the city: the day the cover is judged on
    whole_unit_until: Mapped[date | None]
    key_parts_until: Mapped[date | None]
    # The key parts covered at decision time (a later policy change does not rewrite old decisions).
    key_parts: Mapped[list[dict]] = mapped_column(JSON, default=list)

    rework: Mapped[ReworkLink | None] = relationship(
        primaryjoin="WarrantyDecision.job_id == foreign(ReworkLink.job_id)", viewonly=True, uselist=False
    )

    @property
    def rework_of_job_id(self) -> uuid.UUID | None:
        return self.rework.original_job_id if self.rework else None

    @property
    def chargeback_technician_id(self) -> uuid.UUID | None:
        """Whose payout a rework is charged back to (the technician of the original job)."""
        return self.rework.original_technician_id if self.rework else None
