"""A brand posts orders of every service type and gets back the jobs they became and a tracking link."""

import uuid
from datetime import datetime

import pytest

from app.orders.models import ServiceType
from app.orders.schemas import OrderCreated
from tests.app.orders.stories import SHANGHAI_OFFSET, expect_problem, finish_job, order_body, order_count, window
from tests.factories import make_client, make_technician

SINGLE_JOB_TYPES = ["delivery", "install", "repair", "maintenance", "uninstall", "relocation"]


@pytest.mark.parametrize("service_type", SINGLE_JOB_TYPES)
def test_each_service_type_becomes_one_pending_job_per_appliance(api, db, service_type):
    brand = make_client(db)
    r = api.post("/v1/orders", json=order_body(service_type, problem_description="不制冷"), headers=brand.headers)
    assert r.status_code == 201, r.text
    order = OrderCreated.model_validate(r.json())  # the documented shape is what we send
    assert order.service_type == service_type and order.status == "open" and order.channel == "api"
    assert str(order.client_id) == str(brand.id)
    [job] = order.jobs
    assert job.service_type == service_type and job.status == "pending" and job.category == "air_conditioner"
    assert job.required_skills and job.duration_minutes > 0 and job.depends_on_job_id is None
    assert order.tracking_url == f"http://127.0.0.1:8000/track/{order.tracking_token}"


def test_multi_appliance_order_makes_a_job_per_appliance_with_its_own_skills(api, db):
    brand = make_client(db)
    body = order_body("install", categories=("air_conditioner", "water_heater", "tv"))
    body["appliances"][1]["quantity"] = 2
    r = api.post("/v1/orders", json=body, headers=brand.headers)
    assert r.status_code == 201, r.text
    jobs = r.json()["jobs"]
    assert [j["category"] for j in jobs] == ["air_conditioner", "water_heater", "tv"]
    assert "tv_install" in jobs[2]["required_skills"] and "tv_install" not in jobs[0]["required_skills"]
    single = api.post("/v1/orders", json=order_body("install", categories=("water_heater",)), headers=brand.headers)
    assert jobs[1]["duration_minutes"] == 2 * single.json()["jobs"][0]["duration_minutes"]
    assert [a["quantity"] for a in r.json()["appliances"]] == [1, 2, 1]


def test_windows_are_stored_in_utc_and_shown_in_city_time(api, db):
    brand = make_client(db)
    later, sooner = window(72, 4), window(30, 2)
    utc_sooner = datetime.fromisoformat(sooner["start"]).astimezone().isoformat()  # any offset is accepted
    body = order_body(windows=[later, {"start": utc_sooner, "end": sooner["end"]}])
    r = api.post("/v1/orders", json=body, headers=brand.headers)
    assert r.status_code == 201, r.text
    windows = r.json()["windows"]
    assert [w["start"] for w in windows] == [sooner["start"], later["start"]]  # sorted, rendered +08:00
    assert all(w["start"].endswith(SHANGHAI_OFFSET) and w["end"].endswith(SHANGHAI_OFFSET) for w in windows)
    job = r.json()["jobs"][0]
    assert (job["window_start"], job["window_end"]) == (sooner["start"], sooner["end"])  # the earliest window
    assert r.json()["created_at"].endswith(SHANGHAI_OFFSET)
    from app.orders.models import OrderWindow

    stored = db.query(OrderWindow).order_by(OrderWindow.start).first()
    assert stored.start.utcoffset().total_seconds() == 0
    assert stored.start == datetime.fromisoformat(sooner["start"])


def test_delivery_and_install_waits_for_the_goods_then_becomes_pending(api, db):
    brand = make_client(db)
    body = order_body("delivery_install", categories=("air_conditioner", "refrigerator"))
    r = api.post("/v1/orders", json=body, headers=brand.headers)
    assert r.status_code == 201, r.text
    delivery, *installs = r.json()["jobs"]
    assert delivery["service_type"] == "delivery" and delivery["status"] == "pending"
    assert [j["service_type"] for j in installs] == ["install", "install"]
    assert all(j["status"] == "awaiting_goods" and j["depends_on_job_id"] == delivery["id"] for j in installs)

    arrived = window(-2)["start"]  # two hours ago, in city time
    r2 = api.post(f"/v1/orders/{r.json()['id']}/goods-arrived", json={"at": arrived}, headers=brand.headers)
    assert r2.status_code == 200, r2.text
    assert r2.json()["goods_arrived_at"] == arrived
    assert [j["status"] for j in r2.json()["jobs"]] == ["pending", "pending", "pending"]
    from app.jobs.models import Job

    install = db.get(Job, uuid.UUID(installs[0]["id"]))
    db.refresh(install)
    assert install.earliest_start == datetime.fromisoformat(arrived)


def test_goods_arrived_is_only_for_delivery_install_orders_and_not_in_the_future(api, db):
    brand = make_client(db)
    repair = api.post("/v1/orders", json=order_body("repair"), headers=brand.headers).json()
    expect_problem(api.post(f"/v1/orders/{repair['id']}/goods-arrived", json={}, headers=brand.headers), 409)
    both = api.post("/v1/orders", json=order_body("delivery_install"), headers=brand.headers).json()
    r = api.post(f"/v1/orders/{both['id']}/goods-arrived", json={"at": window(5)["start"]}, headers=brand.headers)
    expect_problem(r, 422, "at")
    assert api.get(f"/v1/orders/{both['id']}", headers=brand.headers).json()["jobs"][1]["status"] == "awaiting_goods"


def test_rework_links_to_a_completed_job_of_the_same_client(api, db):
    brand = make_client(db)
    tech = make_technician(db)
    first = api.post("/v1/orders", json=order_body("install"), headers=brand.headers).json()
    job_id = first["jobs"][0]["id"]

    not_done = api.post("/v1/orders", json=order_body("rework", rework_of_job_id=job_id), headers=brand.headers)
    expect_problem(not_done, 422, "rework_of_job_id")

    finish_job(db, job_id, tech)
    r = api.post("/v1/orders", json=order_body("rework", rework_of_job_id=job_id), headers=brand.headers)
    assert r.status_code == 201, r.text
    assert r.json()["rework_of_job_id"] == job_id
    assert r.json()["jobs"][0]["service_type"] == "rework"

    other = make_client(db)
    before = order_count(db)
    theirs = api.post("/v1/orders", json=order_body("rework", rework_of_job_id=job_id), headers=other.headers)
    expect_problem(theirs, 422, "rework_of_job_id")
    assert order_count(db) == before


def test_rework_needs_its_link_and_other_types_refuse_one(api, db):
    brand = make_client(db)
    expect_problem(api.post("/v1/orders", json=order_body("rework"), headers=brand.headers), 422, "rework_of_job_id")
    r = api.post(
        "/v1/orders", json=order_body("repair", rework_of_job_id="7b6f1f8e-2c1a-4a49-9a43-0b0c4f7d1a11"),
        headers=brand.headers,
    )
    expect_problem(r, 422, "rework_of_job_id")


def test_every_service_type_is_accepted_somewhere(api, db):
    # Guards the list above: a new service type must get a test story.
    covered = set(SINGLE_JOB_TYPES) | {"delivery_install", "rework"}
    assert covered == {t.value for t in ServiceType}


def test_only_clients_post_orders(api, db):
    from tests.factories import ops_headers

    expect_problem(api.post("/v1/orders", json=order_body()), 401)
    expect_problem(api.post("/v1/orders", json=order_body(), headers=ops_headers(api, db)), 403)
