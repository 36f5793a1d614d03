"""Reading the stream in order from a cursor, for the pull API, the live stream and the tests.

Positions are (tx, seq). On PostgreSQL an event becomes readable once no transaction of this database
that started before it is still running, so a reader never moves past a position that a slower transaction could
still fill in (sequence numbers are handed out before commit, and commits land in any order). A
long-running transaction therefore holds the stream back; it never makes it skip.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, text, tuple_
from sqlalchemy.orm import Session

from app.errors import invalid
from app.events.catalog import TYPES
from app.events.models import Event

Position = tuple[int, int]
START: Position = (-1, 0)

# Readable: older than every transaction still running in this database when the statement's snapshot
# was taken (a running transaction of another database, found in pg_stat_activity, cannot have written
# here; one that ended meanwhile is counted, which only delays), or written by the reader itself.
_SETTLED_PG = text(
    "(events.tx < (SELECT coalesce(min(x::text::bigint), pg_snapshot_xmax(pg_current_snapshot())::text::bigint)"
    " FROM pg_snapshot_xip(pg_current_snapshot()) AS x WHERE NOT EXISTS ("
    " SELECT 1 FROM pg_stat_activity a WHERE a.backend_xid IS NOT NULL"
    " AND a.datname IS DISTINCT FROM current_database()"
    " AND a.backend_xid::text::bigint = (x::text::bigint & 4294967295)))"
    " OR events.tx = pg_current_xact_id_if_assigned()::text::bigint)"
)


def parse_cursor(cursor: str | None, field: str = "after") -> Position:
    if cursor in (None, "", "0"):
        return START
    try:
        tx, seq = cursor.split("-")
        return int(tx), int(seq)
    except ValueError:
        raise invalid(field, f"{cursor!r} is not a cursor from this API (it looks like '1234-56')") from None


def parse_types(types: str | None, field: str = "types") -> list[str] | None:
    if not types:
        return None
    wanted = [t.strip() for t in types.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in TYPES]
    if unknown:
        raise invalid(field, f"unknown event type(s) {', '.join(unknown)}; see GET /v1/event-types")
    return wanted


def _settled(session: Session, stmt):
    return stmt.where(_SETTLED_PG) if session.get_bind().dialect.name == "postgresql" else stmt


def newest(session: Session) -> Position:
    """The position of the last readable event (START if none): everything not yet readable comes after it."""
    row = session.execute(
        _settled(session, select(Event.tx, Event.seq)).order_by(Event.tx.desc(), Event.seq.desc()).limit(1)
    ).first()
    return (row.tx, row.seq) if row else START


def read(
    session: Session, after: Position, *, limit: int = 100, client_id: uuid.UUID | None = None,
    types: Iterable[str] | None = None,
) -> list[Event]:
    stmt = _settled(session, select(Event).where(tuple_(Event.tx, Event.seq) > tuple_(*after)))
    if client_id is not None:
        stmt = stmt.where(Event.client_id == client_id)
    if types:
        stmt = stmt.where(Event.type.in_(list(types)))
    return list(session.scalars(stmt.order_by(Event.tx, Event.seq).limit(limit)))


def position(ev: Event) -> Position:
    return ev.tx, ev.seq


@dataclass(frozen=True)
class OrderReader:
    """Whoever holds an order's tracking link (the consumer): that order's progress, nothing else."""

    order_id: uuid.UUID
    kind: str = "tracking"
    is_ops: bool = False
    technician_id: None = None


# What a tracking link hears of: its visits' progress, extras and the bill; never offers, declines or
# other technicians' business.
TRACKING_TYPES = frozenset({
    "order.cancelled", "order.completed", "job.assigned", "job.accepted", "job.reassigned", "job.unassigned",
    "job.scheduled", "job.rescheduled", "job.en_route", "job.arrived", "job.started", "job.completed",
    "job.failed", "job.cancelled", "checklist.node_completed", "checklist.node_waived", "charge.proposed",
    "charge.confirmed", "charge.refused", "bill.frozen", "complaint.resolved",
})


def visible_to(ev: Event, principal) -> bool:
    """Ops see everything; a client its own orders' events; a technician the events about their own
    jobs and offers (including a job taken from them); a tracking link its order's progress."""
    if principal.is_ops:
        return True
    if principal.kind == "tracking":
        return ev.order_id == principal.order_id and ev.type in TRACKING_TYPES
    if principal.kind == "client":
        return ev.client_id == principal.id
    tid = principal.technician_id
    if tid is None:
        return False
    return ev.technician_id == tid or str(tid) in (ev.audience or ())


def brief(ev: Event) -> dict:
    """What a tracking link receives for an event: that something happened, not who did it or why."""
    return {"type": ev.type, "cursor": ev.cursor, "occurred_at": ev.occurred_at.isoformat().replace("+00:00", "Z"),
            "status": (ev.data or {}).get("status")}


def envelope(ev: Event) -> dict:
    """The JSON a consumer receives for one event (webhook body, pull API item, stream message)."""
    def s(v):
        return str(v) if v is not None else None

    return {
        "id": str(ev.id), "type": ev.type, "version": ev.version, "cursor": ev.cursor,
        "occurred_at": ev.occurred_at.isoformat().replace("+00:00", "Z"),
        "actor": {"type": ev.actor_type, "id": ev.actor_id},
        "subject": {"order_id": s(ev.order_id), "external_order_id": ev.external_order_id, "job_id": s(ev.job_id),
                    "technician_id": s(ev.technician_id)},
        "data": ev.data or {},
    }
