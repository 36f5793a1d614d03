"""The worker side: claim due deliveries with a lease, send them as Standard Webhooks, record the
outcome and schedule the next try.

A claim is a lease, not a lock held across the HTTP call: a worker killed mid-send leaves a claim that
expires, and the delivery is sent again with the same webhook-id (at-least-once). On PostgreSQL the
claim skips rows another worker is claiming (FOR UPDATE SKIP LOCKED); SQLite has one writer at a time.

    python -m app.webhooks.delivery          # an RQ worker on the webhooks queue (with a scheduler)
    python -m app.webhooks.delivery --drain  # send everything due now, without Redis, and exit
"""

import json
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import httpx
from sqlalchemy import and_, bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from app.config import Settings, get_settings
from app.db import make_engine
from app.events.feed import envelope
from app.events.models import Event
from app.models_base import utcnow
from app.webhooks import handoff, sealing, signing, urls
from app.webhooks.models import (
    DeliveryStatus,
    DisabledReason,
    EndpointStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

log = logging.getLogger("shifu.webhooks")

# Standard Webhooks / Svix: seconds before each attempt, counted from the previous one. Eight attempts
# over about 28 hours, then the delivery is failed.
RETRY_SCHEDULE: tuple[int, ...] = (0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)
# An endpoint whose every delivery failed for this long is disabled.
DISABLE_AFTER = timedelta(days=5)
# Retries due sooner than this are handed to the queue with a delay; later ones wait for the sweep.
_SCHEDULE_HORIZON = timedelta(minutes=10)
_EXCERPT = 500
USER_AGENT = "Shifu-Webhooks/1 (+https://shifu.dev/webhooks)"


def next_delay(attempts_made: int, scale: float = 1.0) -> timedelta | None:
    """How long after attempt number `attempts_made` (1-based) the next one is due; None: no more."""
    if attempts_made >= len(RETRY_SCHEDULE):
        return None
    return timedelta(seconds=RETRY_SCHEDULE[attempts_made] * scale)


@dataclass
class Claimed:
    """Everything one send needs, read in the claim's transaction (no session is held while sending)."""

    delivery_id: uuid.UUID
    lease_token: uuid.UUID
    attempt: int
    endpoint_id: uuid.UUID
    url: str
    secrets: list[str]
    failing_since: datetime | None
    msg_id: str
    body: bytes


@dataclass
class Outcome:
    ok: bool
    started_at: datetime
    duration_ms: int
    status_code: int | None = None
    error: str | None = None
    excerpt: str | None = None


def _due(now: datetime):
    D = WebhookDelivery
    return or_(and_(D.status == DeliveryStatus.pending, D.next_attempt_at <= now),
               and_(D.status == DeliveryStatus.delivering, D.lease_expires_at <= now))


def due_ids(session: Session, now: datetime, limit: int) -> list[uuid.UUID]:
    D = WebhookDelivery
    return list(session.scalars(select(D.id).where(_due(now)).order_by(D.next_attempt_at).limit(limit)))


def claim(session: Session, now: datetime, settings: Settings, *, ids=None, limit: int = 8,
          fill: bool = False) -> list[Claimed]:
    """Take up to `limit` due deliveries (of `ids`, if given; with `fill`, topped up with any others
    due, so a backlog goes out in full rounds) and read what sending them needs."""
    D, E = WebhookDelivery, WebhookEndpoint

    def pick(where, n):
        stmt = select(D.id).where(_due(now), *where).order_by(D.next_attempt_at).limit(n)
        return list(session.scalars(stmt.with_for_update(skip_locked=True)))

    chosen = pick([D.id.in_(list(ids))] if ids is not None else [], limit)
    if ids is not None and fill and len(chosen) < limit:
        chosen += pick([D.id.not_in(chosen)] if chosen else [], limit - len(chosen))
    if not chosen:
        return []
    token = uuid.uuid4()
    session.execute(
        update(D).where(D.id.in_(chosen)).values(
            status=DeliveryStatus.delivering, lease_token=token, attempts=D.attempts + 1,
            lease_expires_at=now + timedelta(seconds=settings.webhook_lease_seconds), last_attempt_at=now,
        ).execution_options(synchronize_session=False)
    )
    rows = session.execute(
        select(D.id, D.attempts, D.event_id, E, Event).join(E, E.id == D.endpoint_id)
        .join(Event, Event.seq == D.event_seq).where(D.id.in_(chosen))
    ).all()
    master = sealing.master_key(settings)
    out, skipped = [], []
    for r in rows:
        endpoint: WebhookEndpoint = r[3]
        if endpoint.status != EndpointStatus.active:
            skipped.append(r.id)
            continue
        secrets = [sealing.unseal(endpoint.secret_sealed, master)]
        if endpoint.previous_secret_sealed and endpoint.previous_expires_at and endpoint.previous_expires_at > now:
            secrets.append(sealing.unseal(endpoint.previous_secret_sealed, master))
        body = json.dumps(envelope(r[4]), ensure_ascii=False, separators=(",", ":")).encode()
        out.append(Claimed(r.id, token, r.attempts, endpoint.id, endpoint.url, secrets, endpoint.failing_since,
                           str(r.event_id), body))
    if skipped:
        session.execute(
            update(D).where(D.id.in_(skipped)).values(
                status=DeliveryStatus.skipped, lease_token=None, lease_expires_at=None, next_attempt_at=None,
                last_error="endpoint disabled: not sent",
            ).execution_options(synchronize_session=False)
        )
    return out


@lru_cache
def _client() -> httpx.Client:
    # One pool per process: keep-alive to busy receivers. Redirects are failures, never followed (a
    # redirect could point anywhere, past the address check).
    return httpx.Client(follow_redirects=False, limits=httpx.Limits(max_connections=64,
                                                                   max_keepalive_connections=32))


def send(c: Claimed, settings: Settings, now: datetime) -> Outcome:
    timeout = settings.webhook_timeout_seconds
    t0 = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - t0) * 1000)

    try:
        target = urls.check(c.url, settings.webhook_allow_loopback)
    except urls.UnsafeUrl as exc:
        return Outcome(False, now, took(), error=f"refused: {exc}"[:_EXCERPT])
    ts = int(now.timestamp())
    headers = {"content-type": "application/json", "user-agent": USER_AGENT, "host": target.host_header,
               **signing.headers(c.secrets, c.msg_id, ts, c.body)}
    extensions = {"sni_hostname": target.sni_hostname} if target.scheme == "https" and target.sni_hostname else {}
    try:
        return _post(target.request_url, c.body, headers, extensions, timeout, now, t0)
    except Exception as exc:  # whatever the far end does, it is this attempt's outcome, not the round's end
        return Outcome(False, now, took(), error=f"{exc.__class__.__name__}: {exc}"[:_EXCERPT])


def _post(url, body, headers, extensions, timeout, now, t0) -> Outcome:
    with _client().stream("POST", url, content=body, headers=headers, extensions=extensions,
                          timeout=httpx.Timeout(timeout)) as resp:
        excerpt = b""
        for chunk in resp.iter_bytes():
            excerpt += chunk
            if len(excerpt) >= _EXCERPT or time.monotonic() - t0 > timeout:
                break
    ms = int((time.monotonic() - t0) * 1000)
    text = excerpt[:_EXCERPT].decode("utf-8", "replace") or None
    if ms > timeout * 1000:
        return Outcome(False, now, ms, resp.status_code, f"answered after {ms} ms (limit {timeout:g} s)", text)
    ok = 200 <= resp.status_code < 300
    return Outcome(ok, now, ms, resp.status_code, None if ok else f"HTTP {resp.status_code}", text)


def record(session: Session, batch: list[Claimed], outcomes: list[Outcome], now: datetime,
           settings: Settings) -> list[datetime | None]:
    """Store a round's attempts and move its deliveries on, in a few statements whatever the round's
    size; returns when each one's next try is due (None: no more). A delivery whose lease another
    worker has taken over meanwhile is left alone (that worker's outcome will land)."""
    D, E = WebhookDelivery, WebhookEndpoint
    if not batch:
        return []
    session.execute(insert(WebhookAttempt), [
        dict(id=uuid.uuid4(), delivery_id=c.delivery_id, number=c.attempt, started_at=o.started_at,
             duration_ms=o.duration_ms, status_code=o.status_code, ok=o.ok, error=o.error, response_excerpt=o.excerpt)
        for c, o in zip(batch, outcomes)
    ])
    dues, rows = [], []
    healthy, failing = set(), {}
    for c, o in zip(batch, outcomes):
        if o.ok:
            due, status = None, DeliveryStatus.succeeded
            if c.failing_since is not None:
                healthy.add(c.endpoint_id)
        else:
            delay = next_delay(c.attempt, settings.webhook_retry_scale)
            due = now + delay if delay is not None else None
            status = DeliveryStatus.pending if due is not None else DeliveryStatus.failed
            failing[c.endpoint_id] = c.failing_since
        dues.append(due)
        rows.append(dict(b_id=c.delivery_id, b_token=c.lease_token, b_status=status, b_due=due,
                         b_delivered=now if o.ok else None, b_code=o.status_code, b_error=o.error,
                         b_ms=o.duration_ms))
    session.connection().execute(
        update(D).where(D.id == bindparam("b_id"), D.lease_token == bindparam("b_token")).values(
            status=bindparam("b_status"), next_attempt_at=bindparam("b_due"), delivered_at=bindparam("b_delivered"),
            last_status_code=bindparam("b_code"), last_error=bindparam("b_error"), last_duration_ms=bindparam("b_ms"),
            lease_token=None, lease_expires_at=None),
        rows,
    )
    for endpoint_id in healthy - failing.keys():
        session.execute(update(E).where(E.id == endpoint_id).values(failing_since=None))
    for endpoint_id, since in failing.items():
        if since is None:
            session.execute(update(E).where(E.id == endpoint_id, E.failing_since.is_(None)).values(failing_since=now))
        elif now - since >= DISABLE_AFTER:
            session.execute(update(E).where(E.id == endpoint_id, E.status == EndpointStatus.active).values(
                status=EndpointStatus.disabled, disabled_reason=DisabledReason.failing, disabled_at=now))
    return dues


def process(engine, settings: Settings, ids=None, *, clock=utcnow, max_rounds: int | None = None,
            fill: bool = False) -> int:
    """Claim and send until nothing (of `ids`) is due; returns how many were sent. With `fill`, rounds
    are topped up with other due deliveries (a worker behind on its queue catches up in full rounds).

    Each round is two short transactions around the HTTP calls: the claim, then every outcome of the
    round together (a worker killed in between sends that round again: at-least-once)."""
    sent, rounds = 0, 0
    db_url = engine.url.render_as_string(hide_password=False)
    width = max(1, settings.webhook_concurrency)
    # Two sends per thread and round: fewer, fuller transactions under load, and a round still ends
    # well within the lease (two timeouts).
    size = width * 2
    remaining = set(ids) if ids is not None else None
    with ThreadPoolExecutor(max_workers=width, thread_name_prefix="webhook-send") as pool:
        while (max_rounds is None or rounds < max_rounds) and (remaining is None or remaining):
            rounds += 1
            with Session(engine) as session, session.begin():
                batch = claim(session, clock(), settings, ids=remaining, limit=size, fill=fill)
            if not batch:
                return sent
            outcomes = list(pool.map(lambda c: send(c, settings, clock()), batch))
            now = clock()
            with Session(engine) as session, session.begin():
                dues = record(session, batch, outcomes, now, settings)
            sent += len(batch)
            if remaining is not None:
                remaining -= {c.delivery_id for c in batch}
            soon = [(c.delivery_id, at) for c, at in zip(batch, dues) if at is not None and at - now <= _SCHEDULE_HORIZON]
            if soon:
                handoff.send_at([str(i) for i, _ in soon], max(at for _, at in soon), db_url, settings)
    return sent


@lru_cache
def _engine(url: str):
    return make_engine(url)


def deliver_ids(ids: list[str], database_url: str) -> int:
    """The RQ job (and the embedded thread's work): send these deliveries if they are still due."""
    import app.models  # noqa: F401  (a worker process must know every mapped class)

    return process(_engine(database_url), get_settings(), [uuid.UUID(i) for i in ids], fill=True)


def sweep(session: Session, now: datetime, limit: int = 1000, grace: timedelta = timedelta(seconds=10)) -> dict:
    """Housekeeping: hand every due delivery and every expired claim to the workers, so a lost
    hand-off or a killed worker delays a delivery but never loses it. Only what has been due for
    `grace` already: the rest is normally on its way through the queue."""
    ids = due_ids(session, now - grace, limit)
    handoff.after_commit(session, ids, from_sweep=True)
    return {"handed_off": len(ids)}


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m app.webhooks.delivery", description=__doc__.splitlines()[0])
    parser.add_argument("--drain", action="store_true", help="send everything due now, without Redis, and exit")
    args = parser.parse_args(argv)
    settings = get_settings()
    import app.models  # noqa: F401

    if args.drain:
        print(f"sent {process(_engine(settings.database_url), settings)}", flush=True)
        return 0
    from rq import SimpleWorker

    # SimpleWorker: no fork per job, so the HTTP connection pool and the engine are reused.
    worker = SimpleWorker([settings.webhook_queue_name], connection=handoff._redis(settings.redis_url))
    worker.work(with_scheduler=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
