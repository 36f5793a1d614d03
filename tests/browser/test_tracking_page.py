"""In a real browser, the consumer's tracking link: confirm one extra charge and refuse another, see
only the confirmed one on the bill, then rate the finished job."""

import uuid

import httpx
from sqlalchemy.orm import Session

from app.actors import SYSTEM
from app.jobs import service as jobs
from app.jobs.models import Job
from app.pricing.models import JobCharge
from tests.app.checklists.builders import finish_checklist
from tests.app.orders.stories import order_body
from tests.factories import make_client, make_technician, technician_headers


def test_consumer_confirms_an_extra_refuses_another_and_rates_the_job(backend, server, page):
    with Session(backend.engine, expire_on_commit=False) as s:
        brand = make_client(s)
        tech = make_technician(s, name="周师傅")
    api = httpx.Client(base_url=server, timeout=30)
    body = order_body("install")
    body["appliances"] = [{"category": "air_conditioner", "quantity": 1}]
    order = api.post("/v1/orders", json=body, headers=brand.headers).json()
    job_id, token = order["jobs"][0]["id"], order["tracking_token"]
    with Session(backend.engine) as s:
        jobs.assign(s, s.get(Job, uuid.UUID(job_id)), tech.id, SYSTEM, "nearest")
        s.commit()
    th = technician_headers(api, tech)
    items = api.get(f"/v1/jobs/{job_id}/price-items", headers=th).json()["items"]
    pipe = next(i for i in items if i["kind"] == "part" and "pipe" in i["code"])
    bracket = next(i for i in items if i["kind"] == "part" and "bracket" in i["code"])
    wanted = api.post(f"/v1/jobs/{job_id}/charges", json={"item_code": pipe["code"], "quantity": 2}, headers=th).json()
    unwanted = api.post(f"/v1/jobs/{job_id}/charges", json={"item_code": bracket["code"], "quantity": 1},
                        headers=th).json()
    errors = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    page.goto(f"{server}/track/{token}")
    page.wait_for_selector(f"[data-charge='{wanted['id']}']")
    assert pipe["name_zh"] in page.inner_text(f"[data-charge='{wanted['id']}']")
    page.click(f"[data-charge='{wanted['id']}'] button.primary")
    page.wait_for_selector(f"[data-charge='{wanted['id']}'] .state:text('已确认')")
    page.click(f"[data-charge='{unwanted['id']}'] button:not(.primary)")
    page.wait_for_selector(f"[data-charge='{unwanted['id']}'] .state:text('已拒绝')")
    with Session(backend.engine) as s:
        assert s.get(JobCharge, uuid.UUID(wanted["id"])).status == "confirmed"
        assert s.get(JobCharge, uuid.UUID(unwanted["id"])).status == "rejected"

    start = api.get(f"/v1/jobs/{job_id}", headers=th).json()["window_start"]
    for step in ({"action": "schedule", "scheduled_start": start}, {"action": "depart"}, {"action": "arrive"},
                 {"action": "start"}):
        assert api.post(f"/v1/jobs/{job_id}/transitions", json=step, headers=th).status_code == 200
    with Session(backend.engine) as s:
        finish_checklist(s, s.get(Job, uuid.UUID(job_id)))  # closes the charges, works every node with evidence
    r = api.post(f"/v1/jobs/{job_id}/transitions", json={"action": "complete"}, headers=th)
    assert r.status_code == 200, r.text

    page.goto(f"{server}/track/{token}")
    bill = page.wait_for_selector("#bill-body table")
    assert pipe["name_zh"] in bill.inner_text() and bracket["name_zh"] not in bill.inner_text()
    form = page.wait_for_selector(f".rating[data-job='{job_id}']")
    form.query_selector("select[name=stars]").select_option("4")
    form.query_selector("input[value=on_time]").check()
    form.query_selector("textarea").fill("准时，干净")
    form.query_selector("button.primary").click()
    page.wait_for_selector(f".rating[data-job='{job_id}'] .result:text('已提交')")
    visits = api.get(f"/v1/track/{token}/ratings").json()
    assert [(v["rating"]["stars"], v["rating"]["tags"], v["can_rate"]) for v in visits] == [(4, ["on_time"], False)]
    assert errors == []
