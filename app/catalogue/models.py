"""The service catalogue: appliance category x service type -> skills, duration, base labour price."""

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models_base import Base, IdMixin


class ApplianceCategory(Base):
    __tablename__ = "appliance_categories"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))


class Skill(Base):
    __tablename__ = "skills"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    certificate_required: Mapped[bool] = mapped_column(default=False)


class CatalogueEntry(IdMixin, Base):
    __tablename__ = "catalogue_entries"
    __table_args__ = (UniqueConstraint("category", "service_type"),)

    category: Mapped[str] = mapped_column(String(40))
    service_type: Mapped[str] = mapped_column(String(20))
    skills: Mapped[list[str]] = mapped_column(JSON)
    duration_minutes: Mapped[int]
    base_price_cents: Mapped[int]
    title_zh: Mapped[str] = mapped_column(String(100))
    title_en: Mapped[str] = mapped_column(String(100))
