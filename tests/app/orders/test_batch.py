"""A shop imports a batch of orders: each row is accepted or rejected on its own, with its own error."""

from app.jobs.models import Job
from tests.app.orders.stories import expect_problem, count, order_body, order_count
from tests.factories import make_client


def test_good_rows_are_created_and_bad_rows_rejected_with_index_field_and_detail(api, db):
    brand = make_client(db)
    rows = [
        order_body("install", external_order_id="TM-1"),
        order_body("install", external_order_id="TM-2", location={"lon": 200, "lat": 30}),
        order_body("install", categories=("hovercraft",), external_order_id="TM-3"),
        order_body("delivery_install", external_order_id="TM-4"),
        {**order_body("repair", external_order_id="TM-5"), "status": "completed"},
        "not an order",
    ]
    before_orders, before_jobs = order_count(db), count(db, Job)
    r = api.post("/v1/orders/batch", json={"orders": rows}, headers=brand.headers)
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["created"], out["rejected"]) == (2, 4)
    res = out["results"]
    assert [x["index"] for x in res] == list(range(6))
    assert [x["status"] for x in res] == ["created", "rejected", "rejected", "created", "rejected", "rejected"]
    assert res[1]["error"]["field"] == "location.lon" and res[1]["external_order_id"] == "TM-2"
    assert res[2]["error"]["field"] == "appliances[0].category" and "hovercraft" in res[2]["error"]["detail"]
    assert res[4]["error"]["field"] == "status" and "unknown field" in res[4]["error"]["detail"]
    assert res[5]["error"]["detail"] == "each order must be a JSON object"
    assert len(res[3]["job_ids"]) == 2 and res[0]["tracking_url"].startswith("http://127.0.0.1:8000/track/trk_")
    # Exactly the good rows (and their jobs) exist; the bad rows left nothing behind.
    assert order_count(db) == before_orders + 2
    assert count(db, Job) == before_jobs + 1 + 2
    listed = api.get("/v1/orders", headers=brand.headers).json()["items"]
    assert sorted(o["external_order_id"] for o in listed) == ["TM-1", "TM-4"]


def test_duplicate_external_ids_are_rejected_per_row_within_the_batch_and_against_existing(api, db):
    brand = make_client(db)
    first = api.post("/v1/orders", json=order_body(external_order_id="OLD-1"), headers=brand.headers).json()
    rows = [order_body(external_order_id="NEW-1"), order_body(external_order_id="NEW-1"),
            order_body(external_order_id="OLD-1"), order_body(external_order_id="NEW-2")]
    out = api.post("/v1/orders/batch", json={"orders": rows}, headers=brand.headers).json()
    assert [x["status"] for x in out["results"]] == ["created", "rejected", "rejected", "created"]
    dup_in_batch, dup_existing = out["results"][1]["error"], out["results"][2]["error"]
    assert dup_in_batch["field"] == "external_order_id" and out["results"][0]["order_id"] in dup_in_batch["detail"]
    assert dup_existing["field"] == "external_order_id" and first["id"] in dup_existing["detail"]
    assert dup_existing["code"] == "duplicate-external-order-id"


def test_another_clients_external_ids_do_not_collide(api, db):
    one, two = make_client(db), make_client(db)
    api.post("/v1/orders", json=order_body(external_order_id="SAME"), headers=one.headers)
    out = api.post("/v1/orders/batch", json={"orders": [order_body(external_order_id="SAME")]}, headers=two.headers)
    assert out.json()["created"] == 1


def test_an_oversized_batch_is_refused_whole_naming_the_limit(api, db):
    brand = make_client(db)
    before = order_count(db)
    rows = [order_body(external_order_id=f"X-{i}") for i in range(1001)]
    r = api.post("/v1/orders/batch", json={"orders": rows}, headers={**brand.headers, "Idempotency-Key": "big"})
    problem = expect_problem(r, 413, "orders")
    assert problem["limit"] == 1000 and "1000" in problem["detail"]
    assert order_count(db) == before
    # The refused request claimed nothing: the key is still free for a proper batch.
    ok = api.post("/v1/orders/batch", json={"orders": rows[:2]}, headers={**brand.headers, "Idempotency-Key": "big"})
    assert ok.status_code == 200 and ok.json()["created"] == 2


def test_an_empty_batch_or_a_batch_without_orders_is_a_422(api, db):
    brand = make_client(db)
    expect_problem(api.post("/v1/orders/batch", json={"orders": []}, headers=brand.headers), 422, "orders")
    expect_problem(api.post("/v1/orders/batch", json={"rows": []}, headers=brand.headers), 422)


def test_a_full_batch_of_a_thousand_is_accepted(api, db, backend):
    brand = make_client(db)
    before = order_count(db)
    rows = [order_body("repair", external_order_id=f"BULK-{i}", problem_description="不制冷") for i in range(1000)]
    r = api.post("/v1/orders/batch", json={"orders": rows}, headers=brand.headers)
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 1000 and r.json()["rejected"] == 0
    assert order_count(db) == before + 1000
