"""The event table: every change a user would care about, appended in the transaction that made it."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, BigInteger, FetchedValue, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from app.models_base import Base, utcnow

# SQLite only makes INTEGER PRIMARY KEY an alias of the rowid (and so self-incrementing).
SEQ_TYPE = BigInteger().with_variant(Integer(), "sqlite")


class Event(Base):
    """Append-only. Ordered by (tx, seq): on PostgreSQL `tx` is the writing transaction's id, so a reader
    can tell which rows can no longer be joined by a lower position (see app/events/feed.py); on SQLite
    writers are serialised and `tx` is 0."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_position", "tx", "seq"),
        Index("ix_events_client_position", "client_id", "tx", "seq"),
    )

    seq: Mapped[int] = mapped_column(SEQ_TYPE, primary_key=True, autoincrement=True)
    # Filled by the database: pg_current_xact_id() on PostgreSQL, 0 on SQLite (the migration sets it).
    tx: Mapped[int] = mapped_column(BigInteger, server_default=FetchedValue())
    id: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4)
    type: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(default=1)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_type: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    client_id: Mapped[uuid.UUID | None]
    order_id: Mapped[uuid.UUID | None]
    external_order_id: Mapped[str | None] = mapped_column(String(100))
    job_id: Mapped[uuid.UUID | None]
    technician_id: Mapped[uuid.UUID | None]
    # Technicians other than the job's own who must hear of it (an offer's recipients, the one a job was
    # taken from): the live stream's audience rule reads this list.
    audience: Mapped[list | None] = mapped_column(JSON)
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    @property
    def cursor(self) -> str:
        return f"{self.tx}-{self.seq}"


@event.listens_for(Event, "before_update")
def _no_update(mapper, connection, target):
    raise RuntimeError("events is append-only")


@event.listens_for(Event, "before_delete")
def _no_delete(mapper, connection, target):
    raise RuntimeError("events is append-only")
