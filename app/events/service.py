"""Reading events for a caller: the pull API's pages, scoped as the webhooks and the live stream are."""

from sqlalchemy.orm import Session

from app.events.catalog import TYPES, VERSION, payload_schema
from app.events.feed import Position, envelope, read, visible_to

SCAN_LIMIT = 5000  # a technician's page is filtered from at most this many events per request


def page(session: Session, principal, after: Position, types: list[str] | None, limit: int) -> tuple[list[dict], str]:
    if principal.kind == "client":
        rows = read(session, after, limit=limit, client_id=principal.id, types=types)
    elif principal.is_ops:
        rows = read(session, after, limit=limit, types=types)
    else:
        # Technicians' events are chosen by job and offer, which the rule reads per event.
        scanned = read(session, after, limit=SCAN_LIMIT, types=types)
        rows = [ev for ev in scanned if visible_to(ev, principal)][:limit]
        if len(rows) < limit and scanned:
            after = (scanned[-1].tx, scanned[-1].seq)  # nothing more for them in what was scanned
    items = [envelope(ev) for ev in rows]
    next_cursor = items[-1]["cursor"] if items else f"{after[0]}-{after[1]}"
    return items, next_cursor


def catalogue() -> list[dict]:
    return [
        {"type": t, "version": VERSION, "description": d, "payload_schema": payload_schema(t)}
        for t, (d, _) in sorted(TYPES.items())
    ]
