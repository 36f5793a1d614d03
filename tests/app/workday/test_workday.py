"""The technician app's API (/v1/tech): the consumer-contact privacy window, allowed_actions per
caller, working an air-conditioner install in few requests, and replays of the offline queue."""

import json
import uuid
from datetime import timedelta

from sqlalchemy import update

from app.actors import SYSTEM
from app.jobs import service as jobs
from app.jobs.models import Job, JobEvent
from app.models_base import utcnow
from tests.app.checklists.builders import jpeg, png, valid_given
from tests.factories import make_client, make_order, make_technician, ops_headers, technician_headers


def _offered_job(db, *techs, categories=("air_conditioner",), service_type="install"):
    brand = make_client(db, dispatch_mode="grab")
    _, created = make_order(db, brand.id, service_type=service_type, categories=categories)
    job = created[0]
    jobs.offer(db, job, [t.id for t in techs], SYSTEM, timedelta(hours=2))
    db.commit()
    return job


def test_the_consumer_contact_is_hidden_until_accepted_and_after_the_window(api, db):
    wang, li = make_technician(db, name="王师傅"), make_technician(db, name="李师傅")
    job = _offered_job(db, wang, li)
    hw, hl = technician_headers(api, wang), technician_headers(api, li)

    offered = api.get(f"/v1/tech/jobs/{job.id}", headers=hw).json()
    assert offered["job"]["contact"] is None and offered["checklist"] is None
    assert "13800000000" not in json.dumps(offered) and "文三路" not in json.dumps(offered)
    assert offered["job"]["allowed_actions"] == ["accept", "decline"]

    assert api.post(f"/v1/jobs/{job.id}/accept", headers=hw).status_code == 200
    mine = api.get(f"/v1/tech/jobs/{job.id}", headers=hw).json()["job"]
    assert mine["contact"]["phone"] == "13800000000" and mine["contact"]["address"].startswith("杭州市")
    # The other technician offered it sees that it is gone, and nothing of the consumer.
    lost = api.get(f"/v1/tech/jobs/{job.id}", headers=hl).json()
    assert lost["job"]["contact"] is None and lost["job"]["allowed_actions"] == [] and lost["checklist"] is None
    assert api.get(f"/v1/orders/{job.order_id}", headers=hw).status_code == 403  # as before

    db.refresh(job)
    jobs.act(db, job, "schedule", SYSTEM, scheduled_start=job.window_start)
    for action in ("depart", "arrive", "start"):
        jobs.act(db, job, action, SYSTEM)
    db.execute(update(Job).where(Job.id == job.id).values(status="completed"))
    jobs._append_event(db, job, SYSTEM, "complete", "in_progress", "completed")
    db.commit()
    db.refresh(job)
    done = api.get(f"/v1/tech/jobs/{job.id}", headers=hw).json()["job"]
    assert done["contact"]["phone"] == "13800000000" and done["contact"]["visible_until"]

    # 73 hours later (the log is append-only for the app; a test may age it in SQL).
    db.execute(update(JobEvent).where(JobEvent.job_id == job.id).values(at=utcnow() - timedelta(hours=73)))
    db.commit()
    late = api.get(f"/v1/tech/jobs/{job.id}", headers=hw).json()
    assert late["job"]["contact"] is None and "13800000000" not in json.dumps(late)
    # Ops still see the order's contact, as before.
    assert api.get(f"/v1/orders/{job.order_id}", headers=ops_headers(api, db)).text.count("13800000000") == 1


def test_a_cancelled_job_hides_the_contact(api, db):
    wang = make_technician(db)
    job = _offered_job(db, wang)
    hw = technician_headers(api, wang)
    assert api.post(f"/v1/jobs/{job.id}/accept", headers=hw).status_code == 200
    db.refresh(job)
    jobs.act(db, job, "cancel", SYSTEM, reason="consumer cancelled")
    db.commit()
    assert api.get(f"/v1/tech/jobs/{job.id}", headers=hw).json()["job"]["contact"] is None


def test_allowed_actions_list_only_what_the_caller_may_do(api, db):
    wang, li = make_technician(db), make_technician(db, name="李师傅")
    job = _offered_job(db, wang)
    ops = ops_headers(api, db)
    as_ops = api.get(f"/v1/jobs/{job.id}", headers=ops).json()["allowed_actions"]
    assert set(as_ops) == {"offer", "assign", "unassign", "cancel"}
    assert api.get(f"/v1/jobs/{job.id}", headers=technician_headers(api, wang)).json()["allowed_actions"] == [
        "accept", "decline"]
    accepted = api.post(f"/v1/jobs/{job.id}/accept", headers=technician_headers(api, wang)).json()
    assert accepted["allowed_actions"] == ["reschedule", "schedule"]
    client = api.get(f"/v1/jobs/{job.id}", headers={"X-API-Key": "nope"})
    assert client.status_code == 401
    assert api.get(f"/v1/jobs/{job.id}", headers=technician_headers(api, li)).status_code == 404


def _submit(api, job_id, node, headers, key=None, then=None, checkin=None):
    ev = node["evidence"]
    given = valid_given(ev, None) if not ev.get("checkin") else None
    fields = {}
    if given:
        fields = {k: v for k, v in {"reading": given.reading, "text": given.text, "checkbox": given.checkbox}.items()
                  if v is not None}
    if checkin:
        fields["checkin"] = checkin
    if then:
        fields["then"] = then
    files = [("files", (f"p{i}.jpg", jpeg(), "image/jpeg")) for i in range((ev.get("photos") or {}).get("min", 0))]
    if ev.get("signature"):
        files.append(("signature", ("sig.png", png(), "image/png")))
    h = {**headers, **({"Idempotency-Key": key} if key else {})}
    return api.post(f"/v1/tech/jobs/{job_id}/nodes/{node['code']}", data={"fields": json.dumps(fields)},
                    files=files or None, headers=h)


def test_an_air_conditioner_install_takes_at_most_30_requests(api, db):
    """Every request the app makes from opening the job to completing it, counted."""
    wang = make_technician(db)
    job = _offered_job(db, wang)
    hw = technician_headers(api, wang)
    assert api.post(f"/v1/jobs/{job.id}/accept", headers=hw).status_code == 200
    count = 0

    def call(response):
        nonlocal count
        count += 1
        assert response.status_code == 200, response.text
        return response.json()

    view = call(api.get(f"/v1/tech/jobs/{job.id}", headers=hw))
    at = {"lon": view["job"]["contact"]["lon"], "lat": view["job"]["contact"]["lat"]}
    # What the app joins to a node: confirming the appointment schedules, the check-in arrives, the
    # signature completes.
    joined = {
        "open.confirm_appointment": {"action": "schedule", "scheduled_start": view["job"]["window_start"]},
        "open.checkin": {"action": "arrive"},
        "close.signature": {"action": "complete"},
    }
    while True:
        nodes = view["checklist"]["nodes"]
        status = {n["code"]: n["status"] for n in nodes}
        ready = [n for n in nodes if n["status"] == "open" and n["mandatory"] and n["completed_by"] == "technician"
                 and all(status.get(d) != "open" for d in n["depends_on"])]
        if not ready:
            if status.get("close.charges_settled") == "open":
                call(api.post(f"/v1/jobs/{job.id}/charges/close", headers=hw))
                view = call(api.get(f"/v1/tech/jobs/{job.id}", headers=hw))  # the app reloads after it
                continue
            break
        node = ready[0]
        if node["code"] == "open.checkin":
            view = call(api.post(f"/v1/tech/jobs/{job.id}/actions", json={"action": "depart"}, headers=hw))
        if node["code"] == "unit.inspect_with_consumer" and view["job"]["status"] == "on_site":
            view = call(api.post(f"/v1/tech/jobs/{job.id}/actions", json={"action": "start"}, headers=hw))
        view = call(_submit(api, job.id, node, hw, then=joined.get(node["code"]),
                            checkin=at if node["evidence"].get("checkin") else None))
    assert view["job"]["status"] == "completed", [n["code"] for n in view["checklist"]["nodes"] if n["status"] == "open"]
    assert count <= 30, count
    print(f"air-conditioner install: {count} requests from opening the job to completing it")


def test_a_replayed_request_changes_nothing_twice(api, db):
    wang = make_technician(db)
    job = _offered_job(db, wang)
    hw = technician_headers(api, wang)
    api.post(f"/v1/jobs/{job.id}/accept", headers=hw)
    view = api.get(f"/v1/tech/jobs/{job.id}", headers=hw).json()
    node = view["checklist"]["nodes"][0]
    first = _submit(api, job.id, node, hw, key="k-node-1")
    again = _submit(api, job.id, node, hw, key="k-node-1")
    assert first.status_code == again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    other = _submit(api, job.id, node, hw, key="k-node-2")  # a new request for a done node is refused
    assert other.status_code == 409 and other.json()["type"].endswith("/node-already-done")
    body = {"action": "schedule", "scheduled_start": view["job"]["window_start"]}
    h = {**hw, "Idempotency-Key": "k-act-1"}
    assert api.post(f"/v1/tech/jobs/{job.id}/actions", json=body, headers=h).status_code == 200
    replay = api.post(f"/v1/tech/jobs/{job.id}/actions", json=body, headers=h)
    assert replay.status_code == 200 and replay.headers["Idempotent-Replayed"] == "true"
    schedules = [e for e in jobs.events(db, db.get(Job, job.id)) if e.action == "schedule"]
    assert len(schedules) == 1


def test_a_refused_node_leaves_no_photo_behind(api, db):
    wang = make_technician(db)
    job = _offered_job(db, wang)
    hw = technician_headers(api, wang)
    api.post(f"/v1/jobs/{job.id}/accept", headers=hw)
    r = api.post(f"/v1/tech/jobs/{job.id}/nodes/elec.dedicated_circuit", data={"fields": json.dumps({"reading": 99})},
                 files=[("files", ("a.jpg", jpeg(), "image/jpeg"))], headers=hw)
    assert r.status_code in (409, 422)
    view = api.get(f"/v1/tech/jobs/{job.id}", headers=hw).json()
    node = next(n for n in view["checklist"]["nodes"] if n["code"] == "elec.dedicated_circuit")
    assert node["photos"] == [] and node["status"] == "open"


def test_home_lists_todays_and_tomorrows_jobs_and_open_offers(api, db):
    wang = make_technician(db)
    offered = _offered_job(db, wang)
    brand = make_client(db)
    _, (mine,) = make_order(db, brand.id, start_in_hours=1)
    jobs.assign(db, mine, wang.id, SYSTEM, "nearest")
    db.commit()
    home = api.get("/v1/tech/home", headers=technician_headers(api, wang)).json()
    listed = [j["id"] for d in home["days"] for j in d["jobs"]]
    assert listed == [str(mine.id)] and len(home["days"]) == 2
    assert [o["id"] for o in home["offers"]] == [str(offered.id)]
    assert home["offers"][0]["contact"] is None and home["offers"][0]["pay_cents"] > 0
    assert home["offers"][0]["offer"]["expires_at"].endswith("+08:00")
    assert uuid.UUID(listed[0])
