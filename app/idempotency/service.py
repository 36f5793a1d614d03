"""Idempotency-Key handling for client POSTs: the first result is stored and replayed on retries.

A request first *claims* its key by inserting the record (inside a savepoint) before doing any work,
then fills in the response in the same transaction. Two concurrent requests with one key therefore
meet at the unique (client_id, key) index: on PostgreSQL the second INSERT waits for the first
transaction and then fails, and the loser replays the winner's committed response; on SQLite writers
are serialised by BEGIN IMMEDIATE, so the loser simply finds the record. If the winner fails, its
claim is rolled back with everything else and a retry starts afresh. Only successful (2xx) results
are stored: an error leaves nothing behind, and retrying it simply re-runs the request.
"""

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import ProblemError, invalid
from app.idempotency.models import IdempotencyRecord
from app.models_base import utcnow

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
        record.response_body, status_code=record.status_code, headers={REPLAYED: "true", HEADER: key}
    )


def _claim(
    session: Session, client_id: uuid.UUID, key: str, endpoint: str, digest: str, ttl: timedelta
) -> IdempotencyRecord | JSONResponse:
    now = utcnow()
    existing = _find(session, client_id, key)
    if existing is not None:
        if existing.expires_at > now:
            return _replay(existing, digest, key)
        # Expired: forgotten, the key may be used afresh. A Core DELETE, because a concurrent
        # request may remove the same row first (then this matches nothing, which is fine).
        session.expunge(existing)
        session.execute(
            delete(IdempotencyRecord)
            .where(IdempotencyRecord.id == existing.id)
            .execution_options(synchronize_session=False)
        )
    record = IdempotencyRecord(
        client_id=client_id, key=key, endpoint=endpoint, request_hash=digest,
        status_code=0, response_body={}, expires_at=now + ttl,
    )
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:
        # A concurrent request with this key committed first: answer with its result.
        winner = _find(session, client_id, key)
        if winner is None:
            raise
        return _replay(winner, digest, key)
    return record


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
    claimed.status_code, claimed.response_body = status, body
    session.flush()
    return JSONResponse(body, status_code=status, headers={HEADER: key})


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Delete records past their expiry; returns how many. Safe to run at any time."""
    result = session.execute(
        delete(IdempotencyRecord)
        .where(IdempotencyRecord.expires_at <= (now or utcnow()))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
