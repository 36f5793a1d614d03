"""Delivery to a real HTTP receiver on loopback: signed Standard Webhooks, retries on the (shortened)
schedule, rotation, disabled endpoints, SSRF refusals after DNS, leases."""

import ipaddress
import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from standardwebhooks import Webhook, WebhookVerificationError

import pytest

from app.config import get_settings
from app.events.feed import envelope
from app.events.models import Event
from app.models_base import utcnow
from app.webhooks import delivery, service, urls
from app.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.app.webhooks.conftest import committed, publish_completed, worker_settings
from tests.factories import make_client


def _client(engine):
    return committed(engine, lambda s: make_client(s))


def _endpoint(api, creds, url, types=("*",)):
    r = api.post("/v1/webhook-endpoints", json={"url": url, "event_types": list(types)}, headers=creds.headers)
    assert r.status_code == 201, r.text
    return r.json()


def _event(engine, client_id) -> Event:
    return committed(engine, lambda s: publish_completed(s, client_id).event)


def _deliveries(engine, endpoint_id):
    with Session(engine) as s:
        return list(s.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == uuid.UUID(endpoint_id))))


def test_delivered_signed_with_the_event_envelope(backend, live_api, receiver):
    engine = backend.engine
    a, b = _client(engine), _client(engine)
    ep = _endpoint(live_api, a, receiver.url("/a"), ["order.completed"])
    other_type = _endpoint(live_api, a, receiver.url("/a-jobs"), ["job.completed"])
    _endpoint(live_api, b, receiver.url("/b"))
    ev = _event(engine, a.id)
    assert delivery.process(engine, worker_settings(backend)) == 1
    [got] = receiver.wait_for(1)
    assert got.path == "/a" and got.headers["webhook-id"] == str(ev.id)
    assert got.headers["content-type"] == "application/json"
    assert Webhook(ep["secret"]).verify(got.body, got.headers) == got.json
    with Session(engine) as s:
        assert got.json == envelope(s.get(Event, ev.seq))
    assert got.json["subject"]["external_order_id"] == "EXT-1"
    assert _deliveries(engine, other_type["id"]) == []
    [d] = _deliveries(engine, ep["id"])
    assert (d.status, d.attempts, d.last_status_code) == ("succeeded", 1, 200) and d.delivered_at is not None
    shown = live_api.get(f"/v1/webhook-deliveries/{d.id}", headers=a.headers).json()
    assert shown["attempt_log"][0]["status_code"] == 200 and shown["attempt_log"][0]["ok"] is True
    assert shown["last_duration_ms"] is not None and shown["next_attempt_at"] is None


def test_500_twice_then_200_is_retried_on_the_schedule(backend, live_api, receiver, monkeypatch):
    scale = 0.004  # 5 s -> 20 ms, 5 min -> 1.2 s
    for k, v in {"SHIFU_TASK_QUEUE": "thread", "SHIFU_WEBHOOK_DISPATCH": "queue", "SHIFU_WEBHOOK_ALLOW_LOOPBACK": "true",
                 "SHIFU_WEBHOOK_RETRY_SCALE": str(scale)}.items():
        monkeypatch.setenv(k, v)
    get_settings.cache_clear()
    engine = backend.engine
    a = _client(engine)
    ep = _endpoint(live_api, a, receiver.url("/flaky"))
    receiver.script["/flaky"] = [500, 500]
    ev = _event(engine, a.id)  # the commit hands it to the embedded worker threads; nothing else drives it
    got = receiver.wait_for(3, timeout=15)
    assert [r.headers["webhook-id"] for r in got] == [str(ev.id)] * 3
    for r in got:
        Webhook(ep["secret"]).verify(r.body, r.headers)
    gaps = [got[1].at - got[0].at, got[2].at - got[1].at]
    assert delivery.RETRY_SCHEDULE[1] * scale <= gaps[0] < 1.0
    assert delivery.RETRY_SCHEDULE[2] * scale <= gaps[1] < delivery.RETRY_SCHEDULE[2] * scale + 1.5
    deadline = utcnow() + timedelta(seconds=5)
    while utcnow() < deadline and _deliveries(engine, ep["id"])[0].status != "succeeded":
        pass
    [d] = _deliveries(engine, ep["id"])
    assert (d.status, d.attempts) == ("succeeded", 3)
    log = live_api.get(f"/v1/webhook-deliveries/{d.id}", headers=a.headers).json()["attempt_log"]
    assert [x["status_code"] for x in log] == [500, 500, 200]


def test_schedule_used_up_fails_then_manual_retry_sends_again(backend, live_api, receiver):
    engine = backend.engine
    a = _client(engine)
    ep = _endpoint(live_api, a, receiver.url("/down"))
    receiver.script["/down"] = [503] * len(delivery.RETRY_SCHEDULE)
    ev = _event(engine, a.id)
    settings = worker_settings(backend, webhook_retry_scale=0)  # every retry due at once
    assert delivery.process(engine, settings) == len(delivery.RETRY_SCHEDULE)
    [d] = _deliveries(engine, ep["id"])
    assert (d.status, d.attempts, d.last_status_code, d.next_attempt_at) == ("failed", 8, 503, None)
    listed = live_api.get(f"/v1/webhook-endpoints/{ep['id']}/deliveries?status=failed", headers=a.headers).json()
    assert [x["id"] for x in listed["items"]] == [str(d.id)]
    r = live_api.post(f"/v1/webhook-deliveries/{d.id}/retry", headers=a.headers)
    assert r.status_code == 202 and r.json()["status"] == "pending"
    assert delivery.process(engine, settings) == 1
    got = receiver.wait_for(9)
    assert len(got) == 9 and {x.headers["webhook-id"] for x in got} == {str(ev.id)}
    [d] = _deliveries(engine, ep["id"])
    assert (d.status, d.attempts) == ("succeeded", 9)


def test_rotation_signs_with_both_secrets_for_24_hours(backend, live_api, receiver):
    engine = backend.engine
    a = _client(engine)
    ep = _endpoint(live_api, a, receiver.url("/rot"))
    new = live_api.post(f"/v1/webhook-endpoints/{ep['id']}/rotate-secret", headers=a.headers).json()["secret"]
    _event(engine, a.id)
    delivery.process(engine, worker_settings(backend))
    [got] = receiver.wait_for(1)
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    for secret in (ep["secret"], new):
        Webhook(secret).verify(got.body, got.headers)

    # The same rotation 25 hours ago: the old secret no longer signs.
    def rotate_long_ago(s):
        endpoint = s.get(WebhookEndpoint, uuid.UUID(ep["id"]))
        return service.rotate(s, endpoint, worker_settings(backend), utcnow() - timedelta(hours=25))

    newest = committed(engine, rotate_long_ago)
    _event(engine, a.id)
    delivery.process(engine, worker_settings(backend))
    got = receiver.wait_for(2)[1]
    assert len(got.headers["webhook-signature"].split(" ")) == 1
    Webhook(newest).verify(got.body, got.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new).verify(got.body, got.headers)


def test_disabled_endpoints_get_nothing(backend, live_api, receiver):
    engine = backend.engine
    a = _client(engine)
    before = _endpoint(live_api, a, receiver.url("/before"))
    after = _endpoint(live_api, a, receiver.url("/after"))
    live_api.post(f"/v1/webhook-endpoints/{before['id']}/disable", headers=a.headers)
    _event(engine, a.id)
    assert _deliveries(engine, before["id"]) == []
    live_api.post(f"/v1/webhook-endpoints/{after['id']}/disable", headers=a.headers)
    assert delivery.process(engine, worker_settings(backend)) == 0
    [d] = _deliveries(engine, after["id"])
    assert d.status == "skipped"
    assert receiver.receipts == []
    r = live_api.post(f"/v1/webhook-deliveries/{d.id}/retry", headers=a.headers)
    assert r.status_code == 409 and r.json()["type"].endswith("/endpoint-disabled")


def _no_connection(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a refused address must never be connected to")

    monkeypatch.setattr(delivery, "_post", refuse)


def test_the_request_goes_to_the_checked_address_with_the_original_host(backend, live_api, receiver, monkeypatch):
    engine = backend.engine
    a = _client(engine)
    port = receiver.server.server_address[1]
    answers = iter(["127.0.0.1", "127.0.0.1", "10.0.0.9"])  # registration, delivery, then a rebinding
    looked_up = []

    def resolve(host, p):
        looked_up.append(host)
        return [ipaddress.ip_address(next(answers))]

    monkeypatch.setattr(urls, "resolve", resolve)
    ep = _endpoint(live_api, a, f"http://hooks.brand.test:{port}/pinned?x=1")
    _event(engine, a.id)
    delivery.process(engine, worker_settings(backend))
    [got] = receiver.wait_for(1)
    # One lookup per check; the connection used the checked address (the name does not resolve here).
    assert looked_up == ["hooks.brand.test", "hooks.brand.test"]
    assert got.path == "/pinned?x=1" and got.headers["host"] == f"hooks.brand.test:{port}"
    Webhook(ep["secret"]).verify(got.body, got.headers)


def test_refused_at_delivery_after_dns(backend, live_api, receiver, monkeypatch):
    engine = backend.engine
    a = _client(engine)
    dns = {"hooks.brand.test": "127.0.0.1"}
    monkeypatch.setattr(urls, "resolve", lambda host, port: [ipaddress.ip_address(dns[host])])
    by_name = _endpoint(live_api, a, f"http://hooks.brand.test:{receiver.server.server_address[1]}/n")
    plain = _endpoint(live_api, a, receiver.url("/plain"))
    _event(engine, a.id)
    _no_connection(monkeypatch)
    [n] = _deliveries(engine, by_name["id"])
    [p] = _deliveries(engine, plain["id"])
    # Without the loopback setting http://127.0.0.1 is refused at delivery too.
    delivery.process(engine, worker_settings(backend, webhook_allow_loopback=False), ids=[p.id])
    [p] = _deliveries(engine, plain["id"])
    assert p.status == "pending" and p.last_error.startswith("refused:") and "must use https" in p.last_error
    # The name now points inside the network (DNS rebinding): refused even with loopback allowed.
    dns["hooks.brand.test"] = "10.0.0.8"
    delivery.process(engine, worker_settings(backend), ids=[n.id])
    assert receiver.receipts == []
    [n] = _deliveries(engine, by_name["id"])
    assert n.status == "pending" and n.last_error.startswith("refused:") and "10.0.0.8" in n.last_error
    for target in ("169.254.169.254", "10.1.1.1"):
        dns["hooks.brand.test"] = target
        committed(engine, lambda s: s.get(WebhookDelivery, n.id).__setattr__("next_attempt_at", utcnow()))
        delivery.process(engine, worker_settings(backend), ids=[n.id])
        assert target in _deliveries(engine, by_name["id"])[0].last_error
    assert receiver.receipts == []


def test_an_endpoint_failing_for_five_days_is_disabled(backend, live_api, receiver):
    engine = backend.engine
    a = _client(engine)
    ep = _endpoint(live_api, a, receiver.url("/dead"))
    receiver.script["/dead"] = [500] * 3
    _event(engine, a.id)
    delivery.process(engine, worker_settings(backend), max_rounds=1)
    shown = live_api.get(f"/v1/webhook-endpoints/{ep['id']}", headers=a.headers).json()
    assert shown["status"] == "active" and shown["failing_since"] is not None

    def age(s):
        s.get(WebhookEndpoint, uuid.UUID(ep["id"])).failing_since = utcnow() - delivery.DISABLE_AFTER + timedelta(
            seconds=30)

    committed(engine, age)
    delivery.process(engine, worker_settings(backend, webhook_retry_scale=0), max_rounds=1)
    assert live_api.get(f"/v1/webhook-endpoints/{ep['id']}", headers=a.headers).json()["status"] == "active"
    committed(engine, lambda s: setattr(s.get(WebhookEndpoint, uuid.UUID(ep["id"])), "failing_since",
                                        utcnow() - delivery.DISABLE_AFTER - timedelta(minutes=1)))
    delivery.process(engine, worker_settings(backend, webhook_retry_scale=0), max_rounds=1)
    shown = live_api.get(f"/v1/webhook-endpoints/{ep['id']}", headers=a.headers).json()
    assert (shown["status"], shown["disabled_reason"]) == ("disabled", "failing")
    # A success in between would have cleared the clock: enabling starts it afresh.
    shown = live_api.post(f"/v1/webhook-endpoints/{ep['id']}/enable", headers=a.headers).json()
    assert shown["status"] == "active" and shown["failing_since"] is None


def test_test_event_goes_to_that_endpoint_only(backend, live_api, receiver):
    engine = backend.engine
    a = _client(engine)
    ep = _endpoint(live_api, a, receiver.url("/t"), ["job.completed"])
    _endpoint(live_api, a, receiver.url("/everything"))
    r = live_api.post(f"/v1/webhook-endpoints/{ep['id']}/test", json={"message": "ping"}, headers=a.headers)
    assert r.status_code == 202 and r.json()["event_type"] == "webhook.test"
    delivery.process(engine, worker_settings(backend))
    [got] = receiver.wait_for(1)
    assert got.path == "/t" and got.json["type"] == "webhook.test" and got.json["data"] == {"message": "ping"}
    assert got.headers["webhook-id"] == r.json()["event_id"]
    Webhook(ep["secret"]).verify(got.body, got.headers)


def test_a_claim_is_a_lease_and_an_expired_one_is_taken_again(backend, live_api, receiver):
    engine = backend.engine
    a = _client(engine)
    _endpoint(live_api, a, receiver.url("/l"))
    ev = _event(engine, a.id)
    settings = worker_settings(backend, webhook_lease_seconds=60)
    now = utcnow()
    first = committed(engine, lambda s: delivery.claim(s, now, settings))
    assert [c.msg_id for c in first] == [str(ev.id)]
    assert committed(engine, lambda s: delivery.claim(s, now + timedelta(seconds=59), settings)) == []
    again = committed(engine, lambda s: delivery.claim(s, now + timedelta(seconds=61), settings))
    assert [c.msg_id for c in again] == [str(ev.id)] and again[0].attempt == 2
    # The first worker's late report does not overwrite the second's claim.
    committed(engine, lambda s: delivery.record(s, first, [delivery.Outcome(True, now, 5, 200)], now, settings))
    with Session(engine) as s:
        d = s.get(WebhookDelivery, again[0].delivery_id)
        assert d.status == "delivering" and d.lease_token == again[0].lease_token
