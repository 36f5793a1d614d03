"""Dispatch runs: a plan for a city's day, solved off the request path, previewed, then committed."""

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models_base import Base, IdMixin, TimestampMixin


class RunStatus(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"  # a plan is ready to preview
    failed = "failed"
    committed = "committed"  # its assignments became offers


class DispatchRun(IdMixin, TimestampMixin, Base):
    __tablename__ = "dispatch_runs"

    local_date: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.queued)
    progress: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(500), default="")
    time_limit_seconds: Mapped[float]
    seed: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[str | None] = mapped_column(String(64))
    problem_stats: Mapped[dict | None] = mapped_column(JSON)
    totals: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    committed_at: Mapped[datetime | None]
    commit_summary: Mapped[dict | None] = mapped_column(JSON)

    stops: Mapped[list["PlannedStop"]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="(PlannedStop.technician_id, PlannedStop.position)"
    )
    unassigned: Mapped[list["PlannedUnassigned"]] = relationship(back_populates="run", cascade="all, delete-orphan")


class PlannedStop(IdMixin, Base):
    """One job on one technician's planned route, with its ETA and why it went there."""

    __tablename__ = "planned_stops"

    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dispatch_runs.id", ondelete="CASCADE"), index=True)
    technician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("technicians.id", ondelete="CASCADE"))
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    pinned: Mapped[bool] = mapped_column(default=False)
    arrival: Mapped[datetime]
    start: Mapped[datetime]
    end: Mapped[datetime]
    travel_seconds: Mapped[float]
    travel_distance_m: Mapped[float]
    explanation: Mapped[dict | None] = mapped_column(JSON)

    run: Mapped[DispatchRun] = relationship(back_populates="stops")


class PlannedUnassigned(IdMixin, Base):
    __tablename__ = "planned_unassigned"

    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dispatch_runs.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(Text)

    run: Mapped[DispatchRun] = relationship(back_populates="unassigned")


class JobPin(IdMixin, TimestampMixin, Base):
    """A dispatcher's decision that a job stays with one technician: the next run plans it there."""

    __tablename__ = "job_pins"

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), unique=True)
    technician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("technicians.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))
