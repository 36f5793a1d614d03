"""The housekeeping sweep: a lost hand-off and a dead worker's claim are found in the table and sent."""

import uuid
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from standardwebhooks import Webhook

from app.config import get_settings
from app.housekeeping import run_once
from app.models_base import utcnow
from app.webhooks.models import DeliveryStatus, WebhookDelivery
from tests.app.webhooks.conftest import committed, publish_completed
from tests.factories import make_client


def test_due_and_abandoned_deliveries_are_swept_to_a_worker(backend, live_api, receiver, monkeypatch):
    # Deliveries are not handed off at commit ("sweep" mode): as if Redis had lost them.
    for k, v in {"SHIFU_TASK_QUEUE": "thread", "SHIFU_WEBHOOK_DISPATCH": "sweep",
                 "SHIFU_WEBHOOK_ALLOW_LOOPBACK": "true"}.items():
        monkeypatch.setenv(k, v)
    get_settings.cache_clear()
    engine = backend.engine
    a = committed(engine, make_client)
    ep = live_api.post("/v1/webhook-endpoints", json={"url": receiver.url("/s"), "event_types": ["*"]},
                       headers=a.headers).json()
    lost, abandoned, fresh = (committed(engine, lambda s: publish_completed(s, a.id).event) for _ in range(3))
    with Session(engine) as s, s.begin():
        by_event = {d.event_id: d.id for d in s.scalars(select(WebhookDelivery))}
        s.execute(update(WebhookDelivery).where(WebhookDelivery.id == by_event[lost.id])
                  .values(next_attempt_at=utcnow() - timedelta(minutes=1)))
        # A worker claimed this one and died: its lease ran out a minute ago.
        s.execute(update(WebhookDelivery).where(WebhookDelivery.id == by_event[abandoned.id]).values(
            status=DeliveryStatus.delivering, attempts=1, lease_token=uuid.uuid4(),
            lease_expires_at=utcnow() - timedelta(minutes=1)))

    result = run_once(engine)
    # Not the fresh one: it is within the sweep's grace (normally on its way through the queue).
    assert result["webhooks"] == {"handed_off": 2}, result
    # The worker tops its round up with whatever else is due, the fresh one too.
    got = receiver.wait_for(3)
    assert sorted(r.headers["webhook-id"] for r in got) == sorted(str(e.id) for e in (lost, abandoned, fresh))
    for r in got:
        Webhook(ep["secret"]).verify(r.body, r.headers)
    deadline = utcnow() + timedelta(seconds=10)
    while utcnow() < deadline:
        with Session(engine) as s:
            states = {d.event_id: (d.status, d.attempts) for d in s.scalars(select(WebhookDelivery))}
        if all(st == "succeeded" for st, _ in states.values()):
            break
    assert states == {lost.id: ("succeeded", 1), abandoned.id: ("succeeded", 2), fresh.id: ("succeeded", 1)}
