"""Through the tracking link a consumer sees the visit in words, moves it to another free slot or cancels
it within the rules, and hears of its own order (only) on the event stream."""

import uuid
from datetime import timedelta

from app.actors import SYSTEM
from app.consumer.models import ConsumerChange
from app.jobs import service as jobs
from app.jobs.models import Job
from app.orders.models import Order
from tests.app.consumer.stories import (
    AT,
    WASHER_SKILLS,
    busy_morning,
    slot_start,
    tomorrow_at,
)
from tests.app.orders.stories import expect_problem
from tests.factories import make_technician


def book(api, start, hours=2):
    body = {
        "service_type": "repair", "name": "张先生", "phone": "13900002222", "address": "杭州市拱墅区湖墅南路 88 号",
        "location": AT, "appliance": {"category": "washing_machine", "brand": "海尔"}, "problem_description": "不脱水",
        "windows": [{"start": start.isoformat(), "end": (start + timedelta(hours=hours)).isoformat()}],
    }
    r = api.post("/v1/consumer/bookings", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_overview_names_the_visit_and_the_technician_and_shows_them_coming(api, db):
    tech = make_technician(db, name="赵师傅", skills=WASHER_SKILLS)
    out = book(api, tomorrow_at(14))
    token = out["tracking_token"]
    view = api.get(f"/v1/track/{token}/overview").json()
    assert view["jobs"][0]["category_zh"] == "洗衣机" and view["jobs"][0]["technician"] is None
    assert view["change"]["allowed"] and view["change"]["fee_cents"] == 0

    job = db.get(Order, uuid.UUID(out["order_id"])).jobs[0]
    jobs.assign(db, db.get(Job, job.id), tech.id, SYSTEM, "nearest")
    jobs.act(db, db.get(Job, job.id), "schedule", SYSTEM, scheduled_start=job.window_start)
    jobs.act(db, db.get(Job, job.id), "depart", SYSTEM)
    db.commit()
    from tests.factories import technician_headers

    th = technician_headers(api, tech)
    assert api.post("/v1/technicians/me/location", json={"lon": AT["lon"] - 0.01, "lat": AT["lat"]},
                    headers=th).status_code == 200
    view = api.get(f"/v1/track/{token}/overview").json()
    t = view["jobs"][0]["technician"]
    assert t["name"] == "赵师傅" and t["position"]["lon"] == AT["lon"] - 0.01
    assert t["eta"].endswith("+08:00") and 500 < t["distance_m"] < 1500
    assert not view["change"]["allowed"] and view["change"]["why_not"] == "under-way"
    expect_problem(api.post(f"/v1/track/{token}/cancel", json={"reason": "不修了"}), 409)


def test_moving_to_a_free_slot_releases_the_technician_and_a_full_slot_is_refused(api, db):
    tech = make_technician(db, name="赵师傅", skills=WASHER_SKILLS)
    busy_morning(db, tech, days=2)
    out = book(api, tomorrow_at(14))
    token = out["tracking_token"]
    job_id = db.get(Order, uuid.UUID(out["order_id"])).jobs[0].id
    jobs.assign(db, db.get(Job, job_id), tech.id, SYSTEM, "nearest")
    db.commit()
    free = api.get("/v1/booking-slots", params={**AT, "category": "washing_machine"}).json()["slots"]
    full = slot_start(free, 10, days=2)
    assert full["status"] == "full"
    body = expect_problem(api.post(f"/v1/track/{token}/reschedule", json={"start": full["start"], "end": full["end"]}),
                          409, "start")
    assert body["type"].endswith("/slot-full")
    expect_problem(api.post(f"/v1/track/{token}/reschedule", json={
        "start": tomorrow_at(15, 2).isoformat(), "end": tomorrow_at(17, 2).isoformat()}), 422, "start")

    target = slot_start(free, 16, days=2)
    r = api.post(f"/v1/track/{token}/reschedule", json={"start": target["start"], "end": target["end"]})
    assert r.status_code == 200, r.text
    job = db.get(Job, job_id)
    db.refresh(job)
    assert job.status == "pending" and job.technician_id is None
    assert job.window_start.isoformat() == tomorrow_at(16, 2).astimezone(job.window_start.tzinfo).isoformat()
    assert [e.action for e in jobs.events(db, job)][-2:] == ["unassign", "rebook"]


def test_late_changes_cost_the_fee_and_too_late_ones_are_refused(api, db, app):
    make_technician(db, skills=WASHER_SKILLS)
    s = app.state.settings
    s.consumer_change_free_hours, s.consumer_change_until_hours, s.consumer_late_change_fee_cents = 48, 2, 3000
    out = book(api, tomorrow_at(14))
    token = out["tracking_token"]
    view = api.get(f"/v1/track/{token}/overview").json()
    assert view["change"]["fee_cents"] == 3000
    r = api.post(f"/v1/track/{token}/cancel", json={"reason": "已自行修好"})
    assert r.status_code == 200 and r.json()["fee_cents"] == 3000 and r.json()["kind"] == "cancel"
    assert api.get(f"/v1/track/{token}").json()["status"] == "cancelled"
    assert db.query(ConsumerChange).count() == 1
    expect_problem(api.post(f"/v1/track/{token}/cancel", json={"reason": "again"}), 409)

    s.consumer_change_until_hours = 72
    token = book(api, tomorrow_at(16))["tracking_token"]
    body = expect_problem(api.post(f"/v1/track/{token}/cancel", json={"reason": "不修了"}), 409)
    assert body["reason"] == "too-late"
