"""API keys as every client request checks them: looked up by hash, remembered for a short while.

Every client request carries its key, so the lookup is cached per process for
`settings.api_key_cache_seconds`. Revoking a key or changing a client forgets it at once: in this
process directly, and on PostgreSQL in every other process too, through a NOTIFY sent with the
revoking transaction's commit that each process's listener thread acts on. Should a listener lose
its connection, its process stops trusting the cache until it listens again, so a revocation is never
missed; what remains is the TTL, the bound for an embedded (SQLite) database shared by processes.
"""

import logging
import threading
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.clients.models import ApiKey, Client
from app.config import get_settings
from app.security import sha256

log = logging.getLogger("shifu.clients")
CHANNEL = "shifu_api_keys"


@dataclass(frozen=True)
class KeyClient:
    """The client behind a key, as a plain value (shared between requests and threads)."""

    id: uuid.UUID
    name: str
    kind: str
    dispatch_mode: str
    active: bool


_cache: dict[tuple[object, str], tuple[float, KeyClient]] = {}
_lock = threading.Lock()
# Bumped by every forgetting, so a lookup that read the database before a revocation was forgotten
# does not put its (now stale) answer back afterwards.
_generation = [0]
# Databases whose listener thread is connected and listening (only then is the cache trusted there).
_listening: set[str] = set()
_started: set[str] = set()


def client_for_key(session: Session, key: str) -> KeyClient | None:
    """The active client whose unrevoked key this is, or None."""
    bind = session.get_bind()
    digest = sha256(key)
    slot = (bind.engine.url, digest)
    ttl = get_settings().api_key_cache_seconds
    now = time.monotonic()
    hit = _cache.get(slot)
    if hit is not None and hit[0] > now and _trusted(bind):
        return hit[1]
    generation = _generation[0]
    row = session.execute(
        select(ApiKey.revoked_at, Client).join(Client, Client.id == ApiKey.client_id).where(ApiKey.key_hash == digest)
    ).first()
    if row is None or row.revoked_at is not None or not row.Client.active:
        _cache.pop(slot, None)
        return None
    c = row.Client
    found = KeyClient(c.id, c.name, c.kind, c.dispatch_mode, c.active)
    if ttl > 0 and _trusted(bind, start=True):
        with _lock:
            if _generation[0] == generation:
                _cache[slot] = (now + ttl, found)
    return found


def forget_client(session: Session, client_id: uuid.UUID) -> None:
    """A key of this client was revoked or the client changed: no process may answer from memory."""
    _forget(client_id)
    if session.get_bind().dialect.name == "postgresql":
        # Delivered at commit, and only then: a rolled-back revocation forgets nothing elsewhere.
        session.execute(text("SELECT pg_notify(:channel, :client)"), {"channel": CHANNEL, "client": str(client_id)})


def forget_all() -> None:
    """Forget every remembered key (tests that empty the tables between stories)."""
    _forget(None)


def _forget(client_id: uuid.UUID | str | None) -> None:
    with _lock:
        _generation[0] += 1
        for slot in [s for s, (_, c) in _cache.items() if client_id is None or str(c.id) == str(client_id)]:
            _cache.pop(slot, None)


def _trusted(bind, start: bool = False) -> bool:
    if bind.dialect.name != "postgresql":
        return True
    url = bind.engine.url.render_as_string(hide_password=False)
    if start and url not in _started:
        _started.add(url)
        threading.Thread(target=_listen, args=(url,), name="shifu-api-key-listener", daemon=True).start()
    return url in _listening


def _listen(url: str) -> None:
    """Forget clients named on the channel; reconnect (distrusting the cache meanwhile) on any error."""
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
    warned = False
    while True:
        try:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f"LISTEN {CHANNEL}")
                _forget(None)  # anything revoked while nobody listened
                _listening.add(url)
                warned = False
                for note in conn.notifies():
                    _forget(note.payload)
        except Exception as exc:  # the database went away: stop trusting, retry shortly (say so once)
            (log.debug if warned else log.warning)(
                "API key cache listener for %s lost its connection: %s", url.split("@")[-1], exc)
            warned = True
        finally:
            _listening.discard(url)
            _forget(None)
        time.sleep(1.0)
