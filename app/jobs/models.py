"""Jobs (工单), their offers to technicians, and the append-only event log of every transition."""

import uuid
from datetime import datetime
from enum import StrEnum

from geoalchemy2 import Geometry
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models_base import Base, IdMixin, TimestampMixin, utcnow


class JobStatus(StrEnum):
    awaiting_goods = "awaiting_goods"  # an install waiting for its delivery to arrive
    pending = "pending"
    offered = "offered"
    accepted = "accepted"
    scheduled = "scheduled"
    en_route = "en_route"
    on_site = "on_site"
    in_progress = "in_progress"
    rescheduled = "rescheduled"
    completed = "completed"
    failed = "failed"
    cancelled = "cancelled"


class OfferStatus(StrEnum):
    open = "open"
    accepted = "accepted"
    declined = "declined"
    expired = "expired"
    withdrawn = "withdrawn"


class Job(IdMixin, TimestampMixin, Base):
    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_status_window", "status", "window_start"),
        # The console's day views and KPIs: every job of a day, grouped by status.
        Index("ix_jobs_window_status", "window_start", "status"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int] = mapped_column(default=0)  # position within the order (delivery before install)
    service_type: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(ForeignKey("appliance_categories.code"))
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.pending)
    required_skills: Mapped[list[str]] = mapped_column(JSON)
    duration_minutes: Mapped[int]
    base_price_cents: Mapped[int]
    priority: Mapped[int] = mapped_column(default=1)
    location = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    earliest_start: Mapped[datetime | None]
    depends_on_job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("jobs.id"))
    technician_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("technicians.id"), index=True)
    scheduled_start: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    order = relationship("Order", back_populates="jobs", foreign_keys=[order_id])
    events: Mapped[list["JobEvent"]] = relationship(back_populates="job", order_by="JobEvent.seq")
    offers: Mapped[list["JobOffer"]] = relationship(back_populates="job", order_by="JobOffer.created_at")


class JobOffer(IdMixin, TimestampMixin, Base):
    __tablename__ = "job_offers"
    __table_args__ = (UniqueConstraint("job_id", "technician_id"),)

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    technician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("technicians.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=OfferStatus.open)
    expires_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]

    job: Mapped[Job] = relationship(back_populates="offers")


class JobEvent(IdMixin, Base):
    """Append-only: rows are inserted, never updated or deleted (enforced below)."""

    __tablename__ = "job_events"
    __table_args__ = (UniqueConstraint("job_id", "seq"),)

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    seq: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_type: Mapped[str] = mapped_column(String(20))  # client, consumer, technician, ops, system
    actor_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)

    job: Mapped[Job] = relationship(back_populates="events")


@event.listens_for(JobEvent, "before_update")
def _no_update(mapper, connection, target):
    raise RuntimeError("job_events is append-only")


@event.listens_for(JobEvent, "before_delete")
def _no_delete(mapper, connection, target):
    raise RuntimeError("job_events is append-only")
