"""Keyset (cursor) pagination over (created_at, id), stable under concurrent inserts."""

import base64
import json
import uuid
from datetime import datetime

from sqlalchemy import Select, and_, or_

from app.errors import invalid


def encode_cursor(created_at: datetime, ident: uuid.UUID) -> str:
    raw = json.dumps([created_at.isoformat(), str(ident)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        ts, ident = json.loads(raw)
        return datetime.fromisoformat(ts), uuid.UUID(ident)
    except Exception:
        raise invalid("cursor", "not a cursor returned by this API") from None


def paginate(session, stmt: Select, model, cursor: str | None, limit: int):
    """Newest first. Returns (rows, next_cursor)."""
    if cursor:
        ts, ident = decode_cursor(cursor)
        stmt = stmt.where(or_(model.created_at < ts, and_(model.created_at == ts, model.id < ident)))
    rows = list(session.scalars(stmt.order_by(model.created_at.desc(), model.id.desc()).limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor(rows[-1].created_at, rows[-1].id)
    return rows, next_cursor
