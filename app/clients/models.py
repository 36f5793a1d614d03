"""Clients (brands, shops, platforms) that post orders, and their API keys."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models_base import Base, IdMixin, TimestampMixin


class ClientKind(StrEnum):
    brand = "brand"
    shop = "shop"
    platform = "platform"


class DispatchMode(StrEnum):
    assign = "assign"  # 派单: the planned technician gets the job
    grab = "grab"  # 抢单: offered to several, first to accept wins


class Client(IdMixin, TimestampMixin, Base):
    __tablename__ = "clients"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default=ClientKind.brand)
    dispatch_mode: Mapped[str] = mapped_column(String(10), default=DispatchMode.assign)
    active: Mapped[bool] = mapped_column(default=True)

    api_keys: Mapped[list["ApiKey"]] = relationship(back_populates="client")


class ApiKey(IdMixin, TimestampMixin, Base):
    __tablename__ = "api_keys"

    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="default")
    # The key itself is shown once; only its SHA-256 is kept (keys are long random strings, so a
    # fast hash is enough and lets every request look the key up by hash).
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    client: Mapped[Client] = relationship(back_populates="api_keys")
