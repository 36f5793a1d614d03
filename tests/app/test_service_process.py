"""A whole job through the HTTP API, on both databases: a brand's order becomes a job, a technician
accepts it, works every mandatory node of the standard checklist with its evidence, adds an extra
charge the consumer confirms through the tracking link, completes, and the consumer rates the work.
Then the same road again, proving each refusal on the way and that a refused request writes nothing."""

import os
import uuid

import pytest

from app.checklists.models import JobNode, NodePhoto
from app.jobs.models import Job
from app.orders.models import Order
from app.technicians.models import Technician
from tests.app.orders.stories import expect_problem, order_body
from tests.factories import HANGZHOU, make_client, make_technician, ops_headers, technician_headers

JOB_AT = (HANGZHOU[0] + 0.01, HANGZHOU[1] + 0.01)


@pytest.fixture(autouse=True)
def photo_dir(app, tmp_path):
    app.state.settings = app.state.settings.model_copy(update={"storage_dir": str(tmp_path / "uploads")})


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0" + os.urandom(2048)


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + os.urandom(512)


@pytest.fixture
def story(api, db):
    brand = make_client(db, dispatch_mode="grab")
    tech = make_technician(db, name="王师傅", lon=JOB_AT[0], lat=JOB_AT[1])
    body = order_body("install")
    body["appliances"] = [{"category": "air_conditioner", "brand": "美的 Midea", "model": "KFR-35GW", "quantity": 1}]
    body["location"] = {"lon": JOB_AT[0], "lat": JOB_AT[1]}
    r = api.post("/v1/orders", json=body, headers=brand.headers)
    assert r.status_code == 201, r.text
    order = r.json()
    return {
        "brand": brand, "tech": tech, "order": order, "token": order["tracking_token"],
        "job_id": order["jobs"][0]["id"], "ops": ops_headers(api, db), "th": technician_headers(api, tech),
    }


def accept(api, s) -> None:
    r = api.post(f"/v1/jobs/{s['job_id']}/offers", json={"technician_ids": [str(s["tech"].id)]}, headers=s["ops"])
    assert r.status_code == 201, r.text
    r = api.post(f"/v1/jobs/{s['job_id']}/accept", headers=s["th"])
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.text


def move(api, s, *actions) -> None:
    for action in actions:
        body = {"action": action}
        if action == "schedule":
            body["scheduled_start"] = api.get(f"/v1/jobs/{s['job_id']}", headers=s["th"]).json()["window_start"]
        r = api.post(f"/v1/jobs/{s['job_id']}/transitions", json=body, headers=s["th"])
        assert r.status_code == 200, (action, r.text)


def checklist(api, s) -> dict:
    r = api.get(f"/v1/jobs/{s['job_id']}/checklist", headers=s["th"])
    assert r.status_code == 200, r.text
    return r.json()


def evidence_for(node: dict) -> dict:
    ev, given = node["evidence"], {}
    if "reading" in ev:
        given["reading"] = (ev["reading"]["min"] + ev["reading"]["max"]) / 2
    if "text" in ev:
        given["text"] = "已按标准完成 done to standard " * max(1, ev["text"].get("min_length", 1) // 20 + 1)
    if ev.get("checkbox"):
        given["checkbox"] = True
    if "checkin" in ev:
        given["checkin"] = {"lon": JOB_AT[0], "lat": JOB_AT[1]}
    return given


def work_node(api, s, node: dict) -> None:
    base = f"/v1/jobs/{s['job_id']}/checklist/{node['code']}"
    ev = node["evidence"]
    if "photos" in ev:
        files = [("files", (f"p{i}.jpg", jpeg(), "image/jpeg")) for i in range(ev["photos"]["min"])]
        r = api.post(f"{base}/photos", files=files, headers=s["th"])
        assert r.status_code == 201, (node["code"], r.text)
    if ev.get("signature"):
        r = api.post(f"{base}/photos", files=[("files", ("sig.png", png(), "image/png"))], data={"kind": "signature"},
                     headers=s["th"])
        assert r.status_code == 201, (node["code"], r.text)
    r = api.post(f"{base}/complete", json=evidence_for(node), headers=s["th"])
    assert r.status_code == 200, (node["code"], r.text)
    assert r.json()["status"] == "done"


def work_mandatory_nodes(api, s) -> int:
    """Close every mandatory node in dependency order (closing the charges for the system node);
    returns how many the technician closed by hand."""
    done_by_hand = 0
    for _ in range(200):
        nodes = checklist(api, s)["nodes"]
        status = {n["code"]: n["status"] for n in nodes}
        ready = [n for n in nodes if n["status"] == "open" and n["mandatory"]
                 and all(status[d] != "open" for d in n["depends_on"])]
        if not ready:
            break
        node = ready[0]
        if node["completed_by"] == "system":
            assert node["evidence"] == {"auto": "charges_settled"}
            r = api.post(f"/v1/jobs/{s['job_id']}/charges/close", headers=s["th"])
            assert r.status_code == 200, r.text
            continue
        work_node(api, s, node)
        done_by_hand += 1
    return done_by_hand


def add_and_confirm_extra(api, s) -> dict:
    items = api.get(f"/v1/jobs/{s['job_id']}/price-items", headers=s["th"]).json()
    items = items if isinstance(items, list) else items["items"]
    pipe = next(i for i in items if i["kind"] == "part" and "pipe" in i["code"])
    r = api.post(f"/v1/jobs/{s['job_id']}/charges", json={"item_code": pipe["code"], "quantity": 3}, headers=s["th"])
    assert r.status_code == 201, r.text
    charge = r.json()
    seen = api.get(f"/v1/track/{s['token']}/charges").json()
    seen = seen if isinstance(seen, list) else seen["items"]
    assert [c["id"] for c in seen] == [charge["id"]] and seen[0]["status"] == "awaiting_consumer"
    r = api.post(f"/v1/track/{s['token']}/charges/{charge['id']}/confirm")
    assert r.status_code == 200 and r.json()["status"] == "confirmed", r.text
    return charge


def test_a_job_closes_only_with_its_evidence_and_bills_only_what_the_consumer_confirmed(api, db, story):
    s = story
    accept(api, s)
    move(api, s, "schedule", "depart", "arrive", "start")
    extra = add_and_confirm_extra(api, s)
    # A second extra the consumer never answers: it must not reach the bill.
    items = api.get(f"/v1/jobs/{s['job_id']}/price-items", headers=s["th"]).json()
    items = items if isinstance(items, list) else items["items"]
    bracket = next(i for i in items if i["kind"] == "part" and "bracket" in i["code"])
    r = api.post(f"/v1/jobs/{s['job_id']}/charges", json={"item_code": bracket["code"], "quantity": 1}, headers=s["th"])
    assert r.status_code == 201, r.text
    r = api.post(f"/v1/charges/{r.json()['id']}/withdraw", headers=s["th"])
    assert r.status_code == 200, r.text

    list_ = checklist(api, s)
    assert list_["template"]["code"] == "install.air_conditioner" and list_["summary"]["open_mandatory"] >= 13
    done_by_hand = work_mandatory_nodes(api, s)
    final = checklist(api, s)
    assert final["summary"]["open_mandatory"] == 0 and done_by_hand >= 12
    assert next(n for n in final["nodes"] if n["evidence"].get("auto") == "charges_settled")["status"] == "done"

    r = api.post(f"/v1/jobs/{s['job_id']}/transitions", json={"action": "complete"}, headers=s["th"])
    assert r.status_code == 200 and r.json()["status"] == "completed", r.text
    order = api.get(f"/v1/orders/{s['order']['id']}", headers=s["brand"].headers).json()
    assert order["status"] == "completed"

    bill = api.get(f"/v1/jobs/{s['job_id']}/bill", headers=s["ops"]).json()
    extras = [line for line in bill["lines"] if line["kind"] != "labour"]
    assert [(line["charge_id"], line["code"], line["quantity"]) for line in extras] == [(extra["id"], extra["item_code"], 3)]
    assert sum(line["amount_cents"] for line in bill["lines"]) == bill["total_cents"]
    labour = [line for line in bill["lines"] if line["kind"] == "labour"]
    assert labour and bill["total_cents"] == sum(x["amount_cents"] for x in labour) + extra["amount_cents"]

    sla = api.get(f"/v1/jobs/{s['job_id']}/sla", headers=s["ops"])
    assert sla.status_code == 200, sla.text
    sla = sla.json()
    assert sla["status"] == "on_track" and sla["job_status"] == "completed"
    assert {n["code"]: n["state"] for n in sla["nodes"]} == {
        "open.contact_consumer": "met", "open.confirm_appointment": "met", "open.checkin": "met", "close.signature": "met",
    }
    assert {j["code"]: j["state"] for j in sla["job"]} == {"respond": "met", "appointment": "met", "arrive": "met",
                                                           "close": "met"}

    before = db.get(Technician, s["tech"].id).quality_score
    r = api.post(f"/v1/track/{s['token']}/jobs/{s['job_id']}/rating",
                 json={"stars": 5, "tags": ["on_time", "tidy"], "comment": "师傅很专业"})
    assert r.status_code == 201, r.text
    db.expire_all()
    assert db.get(Technician, s["tech"].id).quality_score != before
    assert api.get(f"/v1/jobs/{s['job_id']}/rating", headers=s["ops"]).json()["stars"] == 5


def _snapshot(db, job_id) -> tuple:
    db.expire_all()
    nodes = tuple(sorted((n.code, n.status, str(n.values)) for n in db.query(JobNode).filter_by(job_id=job_id)))
    photos = db.query(NodePhoto).filter_by(job_id=job_id).count()
    return nodes, photos, db.get(Job, job_id).status


def refused(api, db, s, response, status: int) -> dict:
    """The request is refused with `status` as problem+json and the job is exactly as before."""
    body = expect_problem(response, status)
    assert _snapshot(db, uuid.UUID(s["job_id"])) == s["before"], f"refused request wrote something: {body}"
    return body


def test_every_refusal_names_what_is_wrong_and_leaves_nothing_written(api, db, story):
    s = story
    job_id, th = s["job_id"], s["th"]
    accept(api, s)
    move(api, s, "schedule", "depart", "arrive", "start")
    nodes = {n["code"]: n for n in checklist(api, s)["nodes"]}
    base = f"/v1/jobs/{job_id}/checklist"
    s["before"] = _snapshot(db, uuid.UUID(job_id))

    # Completing the job with mandatory nodes open: 409 listing them in order.
    body = refused(api, db, s, api.post(f"/v1/jobs/{job_id}/transitions", json={"action": "complete"}, headers=th), 409)
    assert body["type"].endswith("checklist-incomplete")
    assert body["open_nodes"][0]["code"] == "open.contact_consumer" and len(body["open_nodes"]) >= 20
    assert {"code", "title_zh", "title_en"} <= set(body["open_nodes"][0])
    # A node whose dependencies are open: 409 naming them.
    body = refused(api, db, s, api.post(f"{base}/ac.vacuum/complete", json={"reading": 30}, headers=th), 409)
    assert body["open_dependencies"] == ["ac.wall_sealed"]
    # A system node cannot be completed through the API.
    refused(api, db, s, api.post(f"{base}/close.charges_settled/complete", json={}, headers=th), 409)

    work_node(api, s, nodes["open.contact_consumer"])
    work_node(api, s, nodes["open.confirm_appointment"])
    s["before"] = _snapshot(db, uuid.UUID(job_id))
    # A check-in 2 km from the job: 422 giving the distance and the radius.
    far = {"checkin": {"lon": JOB_AT[0] + 0.02, "lat": JOB_AT[1]}}
    body = refused(api, db, s, api.post(f"{base}/open.checkin/complete", json=far, headers=th), 422)
    assert body["field"].startswith("checkin") and "300" in body["detail"] and "19" in body["detail"]
    # Somebody else's job, and another order's tracking token, see nothing.
    other = make_technician(db, name="李师傅")
    near = {"checkin": {"lon": JOB_AT[0], "lat": JOB_AT[1]}}
    refused(api, db, s, api.post(f"{base}/open.checkin/complete", json=near, headers=technician_headers(api, other)), 404)
    other_order = api.post("/v1/orders", json=order_body("repair"), headers=s["brand"].headers).json()
    refused(api, db, s, api.get(f"/v1/track/{other_order['tracking_token']}/checklist/{job_id}"), 404)
    refused(api, db, s, api.post(f"/v1/track/{other_order['tracking_token']}/jobs/{job_id}/rating",
                                json={"stars": 1, "tags": []}), 404)
    work_node(api, s, nodes["open.checkin"])
    s["before"] = _snapshot(db, uuid.UUID(job_id))

    # Photos: not an image, too big, or already used on another job.
    gif = [("files", ("x.jpg", b"GIF89a" + os.urandom(64), "image/jpeg"))]
    refused(api, db, s, api.post(f"{base}/unit.inspect_with_consumer/photos", files=gif, headers=th), 422)
    big = [("files", ("big.jpg", b"\xff\xd8\xff\xe0" + os.urandom(api.app.state.settings.photo_max_bytes), "image/jpeg"))]
    r = api.post(f"{base}/unit.inspect_with_consumer/photos", files=big, headers=th)
    assert r.status_code in (413, 422), r.text
    refused(api, db, s, r, r.status_code)
    photo = jpeg()
    second = api.post("/v1/orders", json={**order_body("install"), "appliances": [{"category": "air_conditioner"}],
                                         "location": {"lon": JOB_AT[0], "lat": JOB_AT[1]}}, headers=s["brand"].headers)
    job2 = second.json()["jobs"][0]["id"]
    assert api.post(f"/v1/jobs/{job2}/assign", json={"technician_id": str(s["tech"].id), "reason": "same street"},
                    headers=s["ops"]).status_code == 200
    r = api.post(f"/v1/jobs/{job2}/checklist/unit.inspect_with_consumer/photos",
                 files=[("files", ("a.jpg", photo, "image/jpeg"))], headers=th)
    assert r.status_code == 201, r.text
    body = refused(api, db, s, api.post(f"{base}/unit.inspect_with_consumer/photos",
                                        files=[("files", ("a.jpg", photo, "image/jpeg"))], headers=th), 409)
    assert body["type"].endswith("photo-reused")

    # A reading outside its range names the range and the unit.
    for code in ("unit.inspect_with_consumer", "unit.nameplate_serial", "inst.extra_materials_explained",
                 "ac.models_match"):
        work_node(api, s, nodes[code])
    s["before"] = _snapshot(db, uuid.UUID(job_id))
    files = [("files", ("c.jpg", jpeg(), "image/jpeg"))]
    # The photo goes up first (it is its own request); the out-of-range reading then writes nothing more.
    assert api.post(f"{base}/elec.dedicated_circuit/photos", files=files, headers=th).status_code == 201
    s["before"] = _snapshot(db, uuid.UUID(job_id))
    body = refused(api, db, s, api.post(f"{base}/elec.dedicated_circuit/complete", json={"reading": 63}, headers=th), 422)
    assert body["field"] == "reading" and "10" in body["detail"] and "40" in body["detail"] and "A" in body["detail"]

    # Extra charges: only items of the price list; an unanswered one never reaches the consumer's bill.
    refused(api, db, s, api.post(f"/v1/jobs/{job_id}/charges", json={"item_code": "gold_plated_hose", "quantity": 1},
                                headers=th), 422)
    # Rating before the job is completed.
    refused(api, db, s, api.post(f"/v1/track/{s['token']}/jobs/{job_id}/rating", json={"stars": 5, "tags": []}), 409)
    assert db.get(Order, uuid.UUID(s["order"]["id"])).status == "open"
