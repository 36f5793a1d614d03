"""At-least-once: a real RQ worker process is killed with SIGKILL in the middle of 1,000 deliveries;
the sweep and a second worker finish, every event arrives, and duplicates carry the same webhook-id."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter

from redis import Redis
from rq import Queue
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from standardwebhooks import Webhook

from app.actors import SYSTEM
from app.config import ROOT, get_settings
from app.events import bus
from app.models_base import utcnow
from app.webhooks import delivery
from app.webhooks.models import DeliveryStatus, WebhookDelivery
from tests.app.webhooks.conftest import committed, order_of
from tests.factories import make_client

N = 1000


def _worker(env) -> subprocess.Popen:
    # Its own process group: the kill takes the worker and anything it started (RQ's scheduler).
    return subprocess.Popen([sys.executable, "-m", "app.webhooks.delivery"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _kill(proc, sig) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass
    proc.wait(timeout=20)


def _counts(engine) -> Counter:
    with Session(engine) as s:
        return Counter(dict(s.execute(select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)).all()))


def test_kill_9_mid_delivery_loses_nothing(backend, live_api, receiver, monkeypatch):
    queue_name = f"shifu-webhooks-test-{uuid.uuid4().hex[:8]}"
    env_over = {"SHIFU_TASK_QUEUE": "rq", "SHIFU_WEBHOOK_DISPATCH": "queue", "SHIFU_WEBHOOK_QUEUE_NAME": queue_name,
                "SHIFU_WEBHOOK_ALLOW_LOOPBACK": "true", "SHIFU_WEBHOOK_LEASE_SECONDS": "3",
                "SHIFU_WEBHOOK_CONCURRENCY": "8"}
    for k, v in env_over.items():
        monkeypatch.setenv(k, v)
    get_settings.cache_clear()
    env = {**os.environ, "SPATIALITE_LIBRARY_PATH": "mod_spatialite", **env_over}
    engine = backend.engine
    a = committed(engine, make_client)
    r = live_api.post("/v1/webhook-endpoints", json={"url": receiver.url("/k"), "event_types": ["*"]},
                      headers=a.headers)
    secret = r.json()["secret"]
    receiver.delay = 0.004
    event_ids: set[str] = set()
    for _ in range(N // 100):  # each commit hands its 100 deliveries to the queue
        pubs = committed(engine, lambda s: bus.publish_many(
            s, "order.completed", SYSTEM, [{"data": {"status": "completed"}, "order": order_of(a.id, f"K-{i}")}
                                           for i in range(100)]))
        event_ids |= {str(p.event.id) for p in pubs}
    assert len(event_ids) == N and _counts(engine)[DeliveryStatus.pending] == N

    t0 = time.monotonic()
    redis = Redis.from_url(get_settings().redis_url)
    first = second = None
    try:
        first = _worker(env)
        deadline = time.monotonic() + 60
        while len(receiver.receipts) < N // 3 and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.01)
        assert first.poll() is None, first.stderr.read().decode()[-2000:]
        _kill(first, signal.SIGKILL)
        at_kill = len(receiver.receipts)
        t_kill = time.monotonic() - t0
        left = _counts(engine)
        assert N // 3 <= at_kill < N and left[DeliveryStatus.succeeded] < N, (at_kill, left)

        time.sleep(3.5)  # the dead worker's leases run out
        with Session(engine) as s, s.begin():
            # As housekeeping would, a little later (past the sweep's grace period).
            handed = delivery.sweep(s, utcnow() + delivery.timedelta(seconds=15))["handed_off"]
        assert handed >= N - left[DeliveryStatus.succeeded]
        second = _worker(env)
        deadline = time.monotonic() + 120
        while _counts(engine)[DeliveryStatus.succeeded] < N and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _counts(engine) == Counter({DeliveryStatus.succeeded: N}), _counts(engine)
        t_done = time.monotonic() - t0
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                _kill(proc, signal.SIGTERM)
        Queue(queue_name, connection=redis).delete(delete_jobs=True)

    got = receiver.wait_for(N)
    ids = Counter(x.headers["webhook-id"] for x in got)
    assert set(ids) == event_ids  # none missing, nothing else
    wh = Webhook(secret)
    for x in got:
        assert wh.verify(x.body, x.headers)["id"] == x.headers["webhook-id"]  # a duplicate is the same message
    duplicates = sum(n - 1 for n in ids.values())
    print(f"\n{backend.name}: {len(got)} requests for {N} events, {duplicates} duplicates after the kill at {at_kill}"
          f" ({t_kill:.1f} s; all delivered at {t_done:.1f} s)")
