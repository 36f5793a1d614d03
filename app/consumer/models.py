"""What the consumer side keeps: phone-number checks (SMS-style codes, only hashes stored) and the
consumer's own changes to a booking (reschedule or cancel, with what the change cost)."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models_base import Base, IdMixin, utcnow


class PhoneVerification(IdMixin, Base):
    """One code sent to one phone number. The code and the proof it earns are kept as hashes only."""

    __tablename__ = "phone_verifications"

    phone: Mapped[str] = mapped_column(String(32), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    verified_at: Mapped[datetime | None]
    # Set once a booking used the proof: one verification, one booking.
    used_at: Mapped[datetime | None]
    proof_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


class ConsumerChange(IdMixin, Base):
    """A change the consumer made on the tracking page, and the fee the rules put on it."""

    __tablename__ = "consumer_changes"

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # reschedule | cancel
    fee_cents: Mapped[int] = mapped_column(default=0)
    from_start: Mapped[datetime]
    to_start: Mapped[datetime | None]
    to_end: Mapped[datetime | None]
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ConsumerPhoto(IdMixin, Base):
    """A photo the consumer sent through the tracking link: of the problem, or with a complaint."""

    __tablename__ = "consumer_photos"

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))  # problem | complaint
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("complaint_tickets.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int]
    storage_key: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
