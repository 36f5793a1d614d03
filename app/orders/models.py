"""Orders posted by clients or booked by consumers, with their appliances and preferred windows."""

import uuid
from datetime import date, datetime
from enum import StrEnum

from geoalchemy2 import Geometry
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models_base import Base, IdMixin, TimestampMixin


class ServiceType(StrEnum):
    delivery = "delivery"
    install = "install"
    delivery_install = "delivery_install"
    repair = "repair"
    maintenance = "maintenance"
    rework = "rework"
    uninstall = "uninstall"
    relocation = "relocation"


class Urgency(StrEnum):
    normal = "normal"
    urgent = "urgent"
    emergency = "emergency"


class OrderStatus(StrEnum):
    open = "open"
    completed = "completed"
    cancelled = "cancelled"


class OrderChannel(StrEnum):
    api = "api"
    consumer = "consumer"


class Order(IdMixin, TimestampMixin, Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("client_id", "external_order_id"),
        Index("ix_orders_client_created", "client_id", "created_at", "id"),
    )

    client_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clients.id"))
    channel: Mapped[str] = mapped_column(String(20), default=OrderChannel.api)
    city: Mapped[str] = mapped_column(String(40), default="hangzhou", server_default="hangzhou", index=True)
    external_order_id: Mapped[str | None] = mapped_column(String(100))
    service_type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.open, index=True)
    urgency: Mapped[str] = mapped_column(String(20), default=Urgency.normal)
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str] = mapped_column(String(30))
    address: Mapped[str] = mapped_column(String(500))
    location = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)
    problem_description: Mapped[str | None] = mapped_column(Text)
    # No foreign key: orders and jobs would reference each other; the service checks the link.
    rework_of_job_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    goods_arrived_at: Mapped[datetime | None]
    tracking_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    cancelled_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(500))

    appliances: Mapped[list["OrderAppliance"]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderAppliance.position"
    )
    windows: Mapped[list["OrderWindow"]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderWindow.start"
    )
    jobs: Mapped[list["Job"]] = relationship(  # noqa: F821
        "Job", back_populates="order", foreign_keys="Job.order_id", order_by="Job.sequence"
    )


class OrderAppliance(IdMixin, Base):
    __tablename__ = "order_appliances"

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    category: Mapped[str] = mapped_column(ForeignKey("appliance_categories.code"))
    brand: Mapped[str | None] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(100))
    serial: Mapped[str | None] = mapped_column(String(100), index=True)
    purchase_date: Mapped[date | None]
    quantity: Mapped[int] = mapped_column(default=1)

    order: Mapped[Order] = relationship(back_populates="appliances")


class OrderWindow(IdMixin, Base):
    __tablename__ = "order_windows"

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    start: Mapped[datetime]
    end: Mapped[datetime]

    order: Mapped[Order] = relationship(back_populates="windows")
