"""Technicians, their provider companies, skills with certificates, service areas and shifts."""

import uuid
from datetime import date, datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    String,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.models_base import Base, IdMixin, TimestampMixin

# A text[] on PostgreSQL (tested with @>), JSON text on SQLite (whose query does not read it).
SKILL_CODES_TYPE = JSON().with_variant(postgresql.ARRAY(String(40)), "postgresql")


class ProviderCompany(IdMixin, TimestampMixin, Base):
    __tablename__ = "provider_companies"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    # Share of the job's bill paid out to the technician (basis points), the provider keeps the rest.
    payout_share_bp: Mapped[int] = mapped_column(default=7000)


class Technician(IdMixin, TimestampMixin, Base):
    __tablename__ = "technicians"

    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(30), unique=True)
    provider_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("provider_companies.id", ondelete="SET NULL"), index=True
    )
    home_base = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)
    service_area = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False)
    on_duty: Mapped[bool] = mapped_column(default=False)
    last_location = mapped_column(Geometry("POINT", srid=4326, spatial_index=False), nullable=True)
    last_location_at: Mapped[datetime | None]
    max_jobs_per_day: Mapped[int] = mapped_column(default=8)
    quality_score: Mapped[float] = mapped_column(default=0.8)
    active: Mapped[bool] = mapped_column(default=True)
    # The codes of the skills held (valid or not), kept equal to the skills' rows by the flush hook
    # below: the candidate query's cheap first test, before the spatial and certificate ones.
    skill_codes: Mapped[list[str]] = mapped_column(SKILL_CODES_TYPE, default=list)

    skills: Mapped[list["TechnicianSkill"]] = relationship(
        back_populates="technician", cascade="all, delete-orphan", order_by="TechnicianSkill.skill"
    )
    shifts: Mapped[list["WeeklyShift"]] = relationship(
        back_populates="technician", cascade="all, delete-orphan", order_by="(WeeklyShift.weekday, WeeklyShift.start_minute)"
    )
    days_off: Mapped[list["DayOff"]] = relationship(
        back_populates="technician", cascade="all, delete-orphan", order_by="DayOff.day"
    )


class TechnicianSkill(IdMixin, Base):
    """A skill, optionally backed by a certificate; an expired certificate stops the skill counting."""

    __tablename__ = "technician_skills"
    __table_args__ = (UniqueConstraint("technician_id", "skill"),)

    technician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("technicians.id", ondelete="CASCADE"))
    skill: Mapped[str] = mapped_column(ForeignKey("skills.code"), index=True)
    certificate_name: Mapped[str | None] = mapped_column(String(100))
    certificate_number: Mapped[str | None] = mapped_column(String(100))
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]

    technician: Mapped[Technician] = relationship(back_populates="skills")


class WeeklyShift(IdMixin, Base):
    """A recurring working period in the city's local time (minutes after local midnight)."""

    __tablename__ = "weekly_shifts"
    __table_args__ = (
        CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
        CheckConstraint("start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute", name="minutes_range"),
    )

    technician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("technicians.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]  # 0 = Monday
    start_minute: Mapped[int]
    end_minute: Mapped[int]

    technician: Mapped[Technician] = relationship(back_populates="shifts")


class DayOff(IdMixin, Base):
    __tablename__ = "days_off"
    __table_args__ = (UniqueConstraint("technician_id", "day"),)

    technician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("technicians.id", ondelete="CASCADE"))
    day: Mapped[date]  # local date in the city
    reason: Mapped[str | None] = mapped_column(String(200))

    technician: Mapped[Technician] = relationship(back_populates="days_off")


@event.listens_for(Session, "before_flush")
def _sync_skill_codes(session, _context, _instances) -> None:
    """Whatever writes a technician's skills (the service, the demo, a test's factory) also writes
    skill_codes, in the same flush."""
    touched = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, TechnicianSkill):
            tech = obj.technician if obj.technician is not None else session.get(Technician, obj.technician_id)
            if tech is not None:
                touched.add(tech)
        elif isinstance(obj, Technician) and (obj in session.new or inspect(obj).attrs.skills.history.has_changes()):
            touched.add(obj)
    for tech in touched:
        if tech in session.deleted:
            continue
        codes = sorted({s.skill for s in tech.skills if s not in session.deleted})
        if tech.skill_codes != codes:
            tech.skill_codes = codes
