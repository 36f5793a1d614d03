"""In a real browser, at phone size, on the tracking link: the technician's position and ETA appear
after they set off and report where they are, without a reload; the consumer confirms one extra and
refuses another, accepts the work (验收), rates it, and a reload shows the rating instead of a form."""

import uuid

import httpx
from sqlalchemy.orm import Session

from app.actors import SYSTEM
from app.jobs import service as jobs
from app.jobs.models import Job
from app.pricing.models import JobCharge
from tests.app.checklists.builders import finish_checklist
from tests.app.orders.stories import order_body, window
from tests.browser.consumer_phone import (
    assert_fits_the_phone,
    assert_no_raw_codes,
    phone,
    shot,
)
from tests.factories import HANGZHOU, make_client, make_technician, technician_headers


def test_the_consumer_watches_the_technician_come_decides_extras_accepts_and_rates(backend, live_app, server, browser):
    live_app.state.settings.tracking_position_poll_seconds = 1
    with Session(backend.engine, expire_on_commit=False) as s:
        brand = make_client(s)
        tech = make_technician(s, name="周师傅")
    api = httpx.Client(base_url=server, timeout=30)
    body = order_body("install", windows=[window(0.5, 3)])
    body["appliances"] = [{"category": "air_conditioner", "brand": "格力", "model": "KFR-35GW", "quantity": 1}]
    order = api.post("/v1/orders", json=body, headers=brand.headers).json()
    job_id, token = order["jobs"][0]["id"], order["tracking_token"]
    with Session(backend.engine) as s:
        jobs.assign(s, s.get(Job, uuid.UUID(job_id)), tech.id, SYSTEM, "nearest")
        s.commit()
    th = technician_headers(api, tech)

    context = phone(browser, "large")
    page = context.new_page()
    errors = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{server}/track/{token}")
    page.wait_for_selector("[data-tech-name]:has-text('周师傅')")
    assert "师傅已接单" in page.inner_text("[data-status]")
    assert_no_raw_codes(page)

    start = api.get(f"/v1/jobs/{job_id}", headers=th).json()["window_start"]
    for step in ({"action": "schedule", "scheduled_start": start}, {"action": "depart"}):
        assert api.post(f"/v1/jobs/{job_id}/transitions", json=step, headers=th).status_code == 200
    page.wait_for_selector("[data-eta]:has-text('师傅正在赶来')")  # the event stream, no reload
    at = {"lon": HANGZHOU[0] + 0.02, "lat": HANGZHOU[1] + 0.005}
    assert api.post("/v1/technicians/me/location", json=at, headers=th).status_code == 200
    page.wait_for_selector("[data-eta]:has-text('预计')")
    page.wait_for_selector("[data-live-map] .map-tech")
    assert_fits_the_phone(page)
    assert_no_raw_codes(page)
    shot(page, "track-en-route")

    for step in ({"action": "arrive"}, {"action": "start"}):
        assert api.post(f"/v1/jobs/{job_id}/transitions", json=step, headers=th).status_code == 200
    items = api.get(f"/v1/jobs/{job_id}/price-items", headers=th).json()["items"]
    pipe = next(i for i in items if i["kind"] == "part" and "pipe" in i["code"])
    bracket = next(i for i in items if i["kind"] == "part" and "bracket" in i["code"])
    wanted = api.post(f"/v1/jobs/{job_id}/charges", json={"item_code": pipe["code"], "quantity": 2}, headers=th).json()
    unwanted = api.post(f"/v1/jobs/{job_id}/charges", json={"item_code": bracket["code"], "quantity": 1}, headers=th).json()
    extra = page.wait_for_selector(f"[data-charge='{wanted['id']}']")  # proposed extras arrive live too
    assert pipe["name_zh"] in extra.inner_text() and "价目表" in extra.inner_text()
    page.click(f"[data-charge='{wanted['id']}'] [data-confirm]")
    page.wait_for_selector(f"[data-charge='{wanted['id']}'] [data-charge-status]:has-text('已同意')")
    page.click(f"[data-charge='{unwanted['id']}'] [data-refuse]")
    page.wait_for_selector(f"[data-charge='{unwanted['id']}'] [data-charge-status]:has-text('已拒绝')")
    shot(page, "track-extras")
    with Session(backend.engine) as s:
        assert s.get(JobCharge, uuid.UUID(wanted["id"])).status == "confirmed"
        assert s.get(JobCharge, uuid.UUID(unwanted["id"])).status == "rejected"

    with Session(backend.engine) as s:  # the technician's nodes, with evidence; acceptance is the consumer's
        finish_checklist(s, s.get(Job, uuid.UUID(job_id)), leave=("close.consumer_confirms_done",))
    page.reload()
    page.click("[data-node='close.consumer_confirms_done'] [data-complete]")
    page.wait_for_selector("[data-node='close.consumer_confirms_done']:has-text('已确认')")
    assert api.post(f"/v1/jobs/{job_id}/transitions", json={"action": "complete"}, headers=th).status_code == 200

    rate = page.wait_for_selector(f"[data-rate][data-job='{job_id}']")
    shot(page, "track-rate")
    bill = page.inner_text("[data-bill]")
    assert pipe["name_zh"] in bill and bracket["name_zh"] not in bill
    rate.query_selector(".van-rate__item:nth-child(4)").click()
    page.click(f"[data-rate] [data-tag=on_time]")
    page.fill("[data-rate] textarea", "准时，干净")
    page.click("[data-send-rating]")
    page.wait_for_selector("[data-rated]")
    assert_no_raw_codes(page)
    assert_fits_the_phone(page)
    page.reload()
    rated = page.wait_for_selector("[data-rated]")
    assert "准时" in rated.inner_text() and page.query_selector("[data-rate]") is None
    shot(page, "track-rated")
    visits = api.get(f"/v1/track/{token}/ratings").json()
    assert [(v["rating"]["stars"], v["rating"]["tags"], v["can_rate"]) for v in visits] == [(4, ["on_time"], False)]
    assert errors == [], errors
    context.close()

