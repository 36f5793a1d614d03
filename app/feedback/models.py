"""Ratings of completed jobs, complaint tickets and their timelines."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models_base import Base, IdMixin, TimestampMixin, utcnow


class JobRating(IdMixin, TimestampMixin, Base):
    """The consumer's rating of one completed job; one per job (the unique key settles a double submit)."""

    __tablename__ = "job_ratings"
    __table_args__ = (
        UniqueConstraint("job_id"),
        CheckConstraint("stars >= 1 AND stars <= 5", name="stars_range"),
        Index("ix_job_ratings_technician_created", "technician_id", "created_at", "id"),
    )

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    # The technician who did the job, kept here so a later reassignment cannot move the rating.
    technician_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("technicians.id", ondelete="SET NULL"))
    stars: Mapped[int]
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    comment: Mapped[str | None] = mapped_column(Text)


class TicketStatus(StrEnum):
    open = "open"
    acknowledged = "acknowledged"
    resolved = "resolved"
    rejected = "rejected"


class ComplaintTicket(IdMixin, TimestampMixin, Base):
    __tablename__ = "complaint_tickets"

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    # Copied when filed: the complaint counts against whoever did the job then.
    technician_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("technicians.id", ondelete="SET NULL"), index=True
    )
    client_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), index=True)
    city: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=TicketStatus.open, index=True)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    first_response_due_at: Mapped[datetime]
    resolution_due_at: Mapped[datetime]
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]  # closed: resolved or rejected
    resolution: Mapped[str | None] = mapped_column(Text)  # the outcome, or the reason for rejecting
    upheld: Mapped[bool | None]
    refund_cents: Mapped[int | None]
    # Set by the sweep once the breach is recorded, so each is recorded once and the sweep stays cheap.
    first_response_breach_at: Mapped[datetime | None]
    resolution_breach_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    events: Mapped[list["TicketEvent"]] = relationship(
        back_populates="ticket", cascade="all, delete-orphan", order_by="TicketEvent.seq"
    )


class TicketEvent(IdMixin, Base):
    """The ticket's timeline: filed, acknowledged, notes, resolved or rejected."""

    __tablename__ = "ticket_events"
    __table_args__ = (UniqueConstraint("ticket_id", "seq"),)

    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("complaint_tickets.id", ondelete="CASCADE"))
    seq: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_type: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))  # file, acknowledge, note, resolve, reject
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text)

    ticket: Mapped[ComplaintTicket] = relationship(back_populates="events")
