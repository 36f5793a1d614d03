"""A consumer books a repair without an account and follows it with a link that opens only that order."""

import uuid

from app.actors import SYSTEM
from app.jobs import service as jobs
from app.jobs.models import Job
from app.orders.models import Order
from app.security import sha256
from tests.app.orders.stories import SHANGHAI_OFFSET, expect_problem, order_body, order_count, window
from tests.factories import HANGZHOU, make_client, make_technician


def booking(**overrides) -> dict:
    body = {
        "service_type": "repair",
        "name": "张先生",
        "phone": "13900002222",
        "address": "杭州市拱墅区湖墅南路 88 号",
        "location": {"lon": HANGZHOU[0] + 0.02, "lat": HANGZHOU[1] + 0.02},
        "appliance": {"category": "washing_machine", "brand": "海尔 Haier", "purchase_date": "2024-06-01"},
        "problem_description": "脱水时噪音很大，有焦味",
        "windows": [window(26, 3), window(50, 3)],
    }
    body.update(overrides)
    return body


def test_consumer_books_a_repair_and_tracks_it_with_the_token_shown_once(api, db):
    r = api.post("/v1/consumer/bookings", json=booking())
    assert r.status_code == 201, r.text
    out = r.json()
    token = out["tracking_token"]
    assert out["tracking_url"] == f"http://127.0.0.1:8000/track/{token}" and out["status"] == "open"
    order = db.get(Order, uuid.UUID(out["order_id"]))
    assert order.channel == "consumer" and order.client_id is None
    assert order.tracking_token_hash == sha256(token) and token not in order.tracking_token_hash

    tracked = api.get(f"/v1/track/{token}")
    assert tracked.status_code == 200, tracked.text
    view = tracked.json()
    assert view["order_id"] == out["order_id"] and view["status"] == "open"
    assert [j["status"] for j in view["jobs"]] == ["pending"] and view["jobs"][0]["technician_name"] is None
    assert all(w["start"].endswith(SHANGHAI_OFFSET) for w in view["windows"])
    assert [e["action"] for e in view["timeline"]] == ["create"]
    assert "phone" not in tracked.text and "13900002222" not in tracked.text


def test_tracking_shows_the_technician_and_the_timeline_as_the_job_moves(api, db):
    out = api.post("/v1/consumer/bookings", json=booking()).json()
    tech = make_technician(db, name="赵师傅", skills=("washer_repair", "electrician"))
    job = db.get(Job, db.get(Order, uuid.UUID(out["order_id"])).jobs[0].id)
    jobs.assign(db, job, tech.id, SYSTEM, "closest qualified technician")
    db.commit()
    r = api.get(f"/v1/track/{out['tracking_token']}")
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["jobs"][0]["technician_name"] == "赵师傅" and view["jobs"][0]["status"] == "accepted"
    assert [(e["action"], e["status"]) for e in view["timeline"]] == [("create", "pending"), ("assign", "accepted")]
    page = api.get(f"/track/{out['tracking_token']}")  # the consumer app's shell; it reads the API above
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<div id="app">' in page.text and "/consumer/assets/" in page.text


def test_a_wrong_token_sees_nothing_and_a_token_opens_no_other_door(api, db):
    mine = api.post("/v1/consumer/bookings", json=booking()).json()
    brand = make_client(db)
    other = api.post("/v1/orders", json=order_body("repair"), headers=brand.headers).json()
    expect_problem(api.get("/v1/track/trk_not-a-real-token"), 404)
    expect_problem(api.get(f"/v1/track/{mine['tracking_token']}x"), 404)
    nope = api.get("/track/nope")
    assert nope.status_code == 404 and nope.headers["content-type"].startswith("text/html")  # the page says it
    token = mine["tracking_token"]
    assert api.get(f"/v1/track/{token}").json()["order_id"] == mine["order_id"]
    assert api.get(f"/v1/track/{other['tracking_token']}").json()["order_id"] == other["id"]  # API orders too
    for headers in ({"Authorization": f"Bearer {token}"}, {"X-API-Key": token}):
        expect_problem(api.get(f"/v1/orders/{mine['order_id']}", headers=headers), 401)
        expect_problem(api.get(f"/v1/orders/{other['id']}", headers=headers), 401)
        expect_problem(api.get("/v1/orders", headers=headers), 401)
        expect_problem(api.get("/v1/jobs", headers=headers), 401)


def test_consumers_book_only_repair_or_maintenance(api, db):
    before = order_count(db)
    for kind in ("install", "delivery_install", "rework"):
        expect_problem(api.post("/v1/consumer/bookings", json=booking(service_type=kind)), 422, "service_type")
    assert api.post("/v1/consumer/bookings", json=booking(service_type="maintenance", problem_description=None)).status_code == 201
    assert order_count(db) == before + 1


def test_bad_bookings_name_the_field_and_leave_nothing(api, db):
    before = order_count(db)
    cases = {
        "problem_description": booking(problem_description=None),
        "phone": booking(phone="n/a"),
        "location.lat": booking(location={"lon": 120.1, "lat": 95}),
        "appliance.category": booking(appliance={"category": "spaceship"}),
        "windows[0].end": booking(windows=[window(-30, 3)]),
        "client_id": {**booking(), "client_id": str(uuid.uuid4())},
        "status": {**booking(), "status": "completed"},
    }
    for field, body in cases.items():
        expect_problem(api.post("/v1/consumer/bookings", json=body), 422, field)
    assert order_count(db) == before
