"""Idempotency-Key handling for client POSTs: the first result is stored and replayed on retries.

A request first *claims* its key by inserting the record (INSERT ... ON CONFLICT DO NOTHING) before
doing any work, then fills in the response in the same transaction. Two concurrent requests with one
key therefore meet at the unique (client_id, key) index: on PostgreSQL the second INSERT waits for the
first transaction, then finds the conflict, and the loser replays the winner's committed response; on
SQLite writers are serialised by BEGIN IMMEDIATE, so the loser simply finds the record. If the winner fails, its
claim is rolled back with everything else and a retry starts afresh. Only successful (2xx) results
are stored: an error leaves nothing behind, and retrying it simply re-runs the request.

A stored response can hold a secret shown only once (an order's tracking token), so it is kept sealed
with the server key: a database dump does not reveal it, a replay opens it.
"""

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.config import get_settings
from app.errors import ProblemError, invalid
from app.idempotency.models import IdempotencyRecord
from app.models_base import utcnow
from app.webhooks.sealing import master_key, seal, unseal

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


def request_hash(endpoint: str, payload: Any) -> str:
    canonical = json.dumps([endpoint, payload], sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise invalid(HEADER, f"must be 1 to {MAX_KEY_LENGTH} printable characters")
    return key


def _sealing_key() -> str:
    return "idempotency-responses:" + master_key(get_settings())


def _seal_body(body: Any) -> dict:
    return {"sealed": seal(json.dumps(body, separators=(",", ":"), ensure_ascii=False), _sealing_key())}


def _open_body(stored: Any) -> Any:
    if isinstance(stored, dict) and set(stored) == {"sealed"}:
        return json.loads(unseal(stored["sealed"], _sealing_key()))
    return stored  # stored before responses were sealed


def _find(session: Session, client_id: uuid.UUID, key: str) -> IdempotencyRecord | None:
    return session.scalar(
        select(IdempotencyRecord)
        .where(IdempotencyRecord.client_id == client_id, IdempotencyRecord.key == key)
        .execution_options(populate_existing=True)
    )


def _replay(record: IdempotencyRecord, digest: str, key: str) -> JSONResponse:
    if record.request_hash != digest:
        raise ProblemError(
            422,
            "idempotency-key-reused",
            f"Idempotency-Key {key!r} was already used with a different request "
            f"({record.endpoint}); use a new key for a new request",
            title="Idempotency key reused",
            field=HEADER,
        )
    if record.status_code == 0:  # defensive: claims are never committed without a response
        raise ProblemError(409, "idempotency-in-progress", f"a request with Idempotency-Key {key!r} is in progress")
    return JSONResponse(
        _open_body(record.response_body), status_code=record.status_code, headers={REPLAYED: "true", HEADER: key}
    )


def _insert_claim(session: Session, values: dict) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING: True if this request now owns the key.

    On PostgreSQL a concurrent INSERT of the same key waits here until the owner's transaction ends,
    then either conflicts (owner committed) or succeeds (owner rolled back)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = (
        insert(IdempotencyRecord)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["client_id", "key"])
        .returning(IdempotencyRecord.id)
    )
    return session.execute(stmt).scalar() is not None


def _claim(
    session: Session, client_id: uuid.UUID, key: str, endpoint: str, digest: str, ttl: timedelta
) -> uuid.UUID | JSONResponse:
    now = utcnow()
    for _ in range(3):
        record_id = uuid.uuid4()
        values = dict(
            id=record_id, client_id=client_id, key=key, endpoint=endpoint, request_hash=digest,
            status_code=0, response_body={}, created_at=now, expires_at=now + ttl,
        )
        if _insert_claim(session, values):
            return record_id
        existing = _find(session, client_id, key)
        if existing is None:  # removed (purged) between our INSERT and SELECT: try again
            continue
        if existing.expires_at > now:
            return _replay(existing, digest, key)
        # Expired: forgotten, the key may be used afresh. If a concurrent request removes it first,
        # this matches nothing and the next INSERT decides who owns the key.
        session.expunge(existing)
        session.execute(
            delete(IdempotencyRecord)
            .where(IdempotencyRecord.id == existing.id, IdempotencyRecord.expires_at <= now)
            .execution_options(synchronize_session=False)
        )
    raise ProblemError(409, "idempotency-in-progress", f"Idempotency-Key {key!r} is contended; retry the request")


def run_idempotent(
    session: Session,
    client_id: uuid.UUID,
    key: str | None,
    endpoint: str,
    payload: Any,
    ttl_hours: int,
    work: Callable[[], tuple[int, Any]],
) -> JSONResponse:
    """Run `work` (returning status and a JSON-able body) at most once per (client, key)."""
    if key is None:
        status, body = work()
        return JSONResponse(body, status_code=status)
    key = _check_key(key)
    digest = request_hash(endpoint, payload)
    claimed = _claim(session, client_id, key, endpoint, digest, timedelta(hours=ttl_hours))
    if isinstance(claimed, JSONResponse):
        return claimed
    status, body = work()
    session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.id == claimed)
        .values(status_code=status, response_body=_seal_body(body))
        .execution_options(synchronize_session=False)
    )
    return JSONResponse(body, status_code=status, headers={HEADER: key})


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Delete records past their expiry; returns how many. Safe to run at any time."""
    result = session.execute(
        delete(IdempotencyRecord)
        .where(IdempotencyRecord.expires_at <= (now or utcnow()))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
