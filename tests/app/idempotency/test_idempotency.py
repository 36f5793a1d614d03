"""Retries with an Idempotency-Key return the first result and create nothing new, even all at once."""

import asyncio
import json
from datetime import timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.idempotency.models import IdempotencyRecord
from app.idempotency.service import purge_expired
from app.models_base import utcnow
from app.orders.models import Order
from tests.app.orders.stories import expect_problem, order_body, order_count
from tests.factories import make_client


def _key(creds, key):
    return {**creds.headers, "Idempotency-Key": key}


def test_a_retry_returns_the_first_result_and_creates_nothing(api, db):
    brand = make_client(db)
    body = order_body("install", external_order_id="TM-778")
    first = api.post("/v1/orders", json=body, headers=_key(brand, "retry-1"))
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    before = order_count(db)
    again = api.post("/v1/orders", json=body, headers=_key(brand, "retry-1"))
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()  # same order id, same jobs, same tracking link
    assert order_count(db) == before


def test_the_same_key_with_a_different_body_is_refused(api, db):
    brand = make_client(db)
    api.post("/v1/orders", json=order_body("install"), headers=_key(brand, "k-1"))
    before = order_count(db)
    r = api.post("/v1/orders", json=order_body("repair"), headers=_key(brand, "k-1"))
    problem = expect_problem(r, 422, "Idempotency-Key")
    assert "different request" in problem["detail"] and problem["type"].endswith("idempotency-key-reused")
    # Also across endpoints: a key belongs to the request it first came with.
    batch = api.post("/v1/orders/batch", json={"orders": [order_body("install")]}, headers=_key(brand, "k-1"))
    expect_problem(batch, 422, "Idempotency-Key")
    assert order_count(db) == before


def test_keys_are_scoped_to_the_client(api, db):
    one, two = make_client(db), make_client(db)
    body = order_body("install")
    a = api.post("/v1/orders", json=body, headers=_key(one, "shared-key"))
    b = api.post("/v1/orders", json=body, headers=_key(two, "shared-key"))
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"] and "Idempotent-Replayed" not in b.headers
    assert b.json()["client_id"] == str(two.id)


def test_a_batch_retry_is_replayed_whole(api, db):
    brand = make_client(db)
    rows = [order_body(external_order_id="B-1"), order_body(external_order_id="B-2", location={"lon": 999, "lat": 0})]
    first = api.post("/v1/orders/batch", json={"orders": rows}, headers=_key(brand, "batch-1"))
    before = order_count(db)
    again = api.post("/v1/orders/batch", json={"orders": rows}, headers=_key(brand, "batch-1"))
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert order_count(db) == before


def test_a_failed_request_is_not_remembered(api, db):
    brand = make_client(db)
    bad = order_body("install", categories=("jetpack",))
    expect_problem(api.post("/v1/orders", json=bad, headers=_key(brand, "fix-and-retry")), 422)
    assert db.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0
    good = api.post("/v1/orders", json=order_body("install"), headers=_key(brand, "fix-and-retry"))
    assert good.status_code == 201 and "Idempotent-Replayed" not in good.headers


def test_records_are_kept_two_days_then_forgotten_and_purgeable(api, db):
    brand = make_client(db)
    body = order_body("install")
    first = api.post("/v1/orders", json=body, headers=_key(brand, "old"))
    record = db.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == "old"))
    kept = record.expires_at - record.created_at
    assert kept >= timedelta(hours=24) and kept == timedelta(hours=48)

    record.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    fresh = api.post("/v1/orders", json=body, headers=_key(brand, "old"))
    assert fresh.status_code == 201 and "Idempotent-Replayed" not in fresh.headers
    assert fresh.json()["id"] != first.json()["id"]  # an expired key is a new request

    db.expire_all()
    api.post("/v1/orders", json=body, headers=_key(brand, "recent"))
    assert purge_expired(db, now=utcnow() + timedelta(hours=49)) == 2
    assert purge_expired(db) == 0


def test_a_malformed_key_is_a_422(api, db):
    brand = make_client(db)
    expect_problem(api.post("/v1/orders", json=order_body(), headers=_key(brand, "x" * 300)), 422, "Idempotency-Key")


def test_the_same_external_order_id_never_makes_a_second_order(api, db):
    brand = make_client(db)
    first = api.post("/v1/orders", json=order_body(external_order_id="JD-42"), headers=brand.headers).json()
    before = order_count(db)
    r = api.post("/v1/orders", json=order_body("repair", external_order_id="JD-42"), headers=brand.headers)
    problem = expect_problem(r, 409, "external_order_id")
    assert problem["existing_order_id"] == first["id"] and first["id"] in problem["detail"]
    assert order_count(db) == before


# --- under real concurrency: the app on the real engine, requests in parallel threads ------------------


def _concurrently(app, requests):
    async def go():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://shifu", timeout=60) as c:
            return await asyncio.gather(*(c.post(url, json=body, headers=headers) for url, body, headers in requests))

    return asyncio.run(go())


def test_twenty_concurrent_identical_requests_create_exactly_one_order(live_app, backend):
    with Session(backend.engine) as s:
        brand = make_client(s)
    body = order_body("delivery_install", categories=("air_conditioner", "tv"))
    responses = _concurrently(live_app, [("/v1/orders", body, _key(brand, "storm"))] * 20)
    assert [r.status_code for r in responses] == [201] * 20, [r.text for r in responses if r.status_code != 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum(1 for r in responses if r.headers.get("Idempotent-Replayed") == "true") == 19
    assert len({r.content for r in responses}) == 1  # byte-identical bodies
    with Session(backend.engine) as s:
        assert s.scalar(select(func.count()).select_from(Order).where(Order.client_id == brand.id)) == 1
        from app.jobs.models import Job

        assert s.scalar(select(func.count()).select_from(Job)) == 3
        assert s.scalar(select(func.count()).select_from(IdempotencyRecord)) == 1


def test_concurrent_posts_of_one_external_order_id_create_one_order(live_app, backend):
    with Session(backend.engine) as s:
        brand = make_client(s)
    # Different keys (or none): only external_order_id ties them together.
    requests = [
        ("/v1/orders", order_body("install", external_order_id="DUP-1"), _key(brand, f"k{i}") if i % 2 else brand.headers)
        for i in range(12)
    ]
    responses = _concurrently(live_app, requests)
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * 11, [r.text for r in responses]
    winner = next(r for r in responses if r.status_code == 201).json()["id"]
    assert all(r.json()["existing_order_id"] == winner for r in responses if r.status_code == 409)
    with Session(backend.engine) as s:
        assert s.scalar(select(func.count()).select_from(Order).where(Order.client_id == brand.id)) == 1


def test_the_stored_response_does_not_keep_the_tracking_token_in_clear(api, db):
    brand = make_client(db)
    body = order_body("install")
    first = api.post("/v1/orders", json=body, headers=_key(brand, "sealed-1"))
    assert first.status_code == 201
    token = first.json()["tracking_token"]
    record = db.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == "sealed-1"))
    db.refresh(record)
    stored = json.dumps(record.response_body)
    assert token not in stored and first.json()["id"] not in stored
    again = api.post("/v1/orders", json=body, headers=_key(brand, "sealed-1"))
    assert again.headers["Idempotent-Replayed"] == "true" and again.json()["tracking_token"] == token
