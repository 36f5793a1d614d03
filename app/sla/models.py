"""SLA breaches (时效违规): one row per missed time limit, written the moment it is noticed."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models_base import Base, IdMixin, TimestampMixin


class BreachKind(StrEnum):
    node = "node"  # a checklist node of a job (subject: job_nodes.id)
    job = "job"  # a job-level SLA such as respond or arrive (subject: jobs.id)
    ticket = "ticket"  # a complaint ticket (subject: the ticket's id, owned by feedback)


class SlaBreach(IdMixin, TimestampMixin, Base):
    __tablename__ = "sla_breaches"
    __table_args__ = (
        # Detection is idempotent: a sweep run twice, or two sweeps at once, meet here.
        UniqueConstraint("kind", "subject_id", "sla_code"),
        Index("ix_sla_breaches_created", "created_at", "id"),
    )

    kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[uuid.UUID]
    sla_code: Mapped[str] = mapped_column(String(80))
    due_at: Mapped[datetime]
    detected_at: Mapped[datetime] = mapped_column(index=True)
    job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    # Who held the job when the deadline passed (None when nobody did, e.g. an offer nobody took).
    technician_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("technicians.id"), index=True)
    client_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clients.id"), index=True)
    city: Mapped[str | None] = mapped_column(String(40), index=True)
    node_code: Mapped[str | None] = mapped_column(String(80), index=True)
    title_zh: Mapped[str | None] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
