"""A brand cancels an order: its jobs are cancelled with the reason, unless one is already under way."""

import uuid

from app.actors import SYSTEM, Actor
from app.jobs import service as jobs
from app.jobs.models import Job, JobEvent
from tests.app.orders.stories import expect_problem, order_body
from tests.factories import make_client, make_technician


def test_cancelling_an_order_cancels_every_job_and_records_why(api, db):
    brand = make_client(db)
    order = api.post("/v1/orders", json=order_body("delivery_install", categories=("tv", "refrigerator")),
                     headers=brand.headers).json()
    r = api.post(f"/v1/orders/{order['id']}/cancel", json={"reason": "顾客退货"}, headers=brand.headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled" and r.json()["cancel_reason"] == "顾客退货"
    assert [j["status"] for j in r.json()["jobs"]] == ["cancelled"] * 3
    event = db.query(JobEvent).filter_by(job_id=uuid.UUID(order["jobs"][0]["id"]), action="cancel").one()
    assert event.reason == "顾客退货" and event.actor_type == "client" and event.actor_id == str(brand.id)

    again = api.post(f"/v1/orders/{order['id']}/cancel", json={"reason": "twice"}, headers=brand.headers)
    assert expect_problem(again, 409)["current_status"] == "cancelled"


def test_an_order_with_a_job_under_way_cannot_be_cancelled(api, db):
    brand = make_client(db)
    tech = make_technician(db)
    order = api.post("/v1/orders", json=order_body("repair", problem_description="异响"), headers=brand.headers).json()
    job = db.get(Job, uuid.UUID(order["jobs"][0]["id"]))
    jobs.assign(db, job, tech.id, SYSTEM, "nearest")
    me = Actor("technician", str(tech.id))
    jobs.act(db, job, "schedule", me, scheduled_start=job.window_start)
    for action in ("depart", "arrive"):
        jobs.act(db, job, action, me)
    db.commit()

    r = api.post(f"/v1/orders/{order['id']}/cancel", json={"reason": "too late"}, headers=brand.headers)
    problem = expect_problem(r, 409)
    assert problem["current_status"] == "on_site" and problem["job_id"] == order["jobs"][0]["id"]
    after = api.get(f"/v1/orders/{order['id']}", headers=brand.headers).json()
    assert after["status"] == "open" and after["jobs"][0]["status"] == "on_site"


def test_cancel_needs_a_reason(api, db):
    brand = make_client(db)
    order = api.post("/v1/orders", json=order_body(), headers=brand.headers).json()
    expect_problem(api.post(f"/v1/orders/{order['id']}/cancel", json={}, headers=brand.headers), 422, "reason")
    expect_problem(api.post(f"/v1/orders/{order['id']}/cancel", json={"reason": ""}, headers=brand.headers), 422, "reason")
