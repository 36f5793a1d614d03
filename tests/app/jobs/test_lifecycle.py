"""A job's life: offered, accepted, worked to completion; every illegal move refused and every move logged."""

import pytest

from tests.app.checklists.builders import finish_checklist
from tests.factories import make_client, make_order, make_technician, ops_headers, technician_headers


@pytest.fixture
def story(api, db):
    client = make_client(db)
    order, jobs = make_order(db, client.id)
    tech = make_technician(db)
    return {
        "client": client, "job": jobs[0], "tech": tech,
        "ops": ops_headers(api, db), "tech_h": technician_headers(api, tech),
    }


def test_technician_works_an_offered_job_to_completion_and_every_step_is_logged(api, db, story):
    job_id, ops, th = story["job"].id, story["ops"], story["tech_h"]
    r = api.post(f"/v1/jobs/{job_id}/offers", json={"technician_ids": [str(story["tech"].id)]}, headers=ops)
    assert r.status_code == 201, r.text
    r = api.post(f"/v1/jobs/{job_id}/accept", headers=th)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "accepted" and r.json()["technician_id"] == str(story["tech"].id)
    window_start = r.json()["window_start"]
    steps = [
        {"action": "schedule", "scheduled_start": window_start},
        {"action": "depart"}, {"action": "arrive"}, {"action": "start"}, {"action": "complete"},
    ]
    for body in steps:
        if body["action"] == "complete":
            finish_checklist(db, story["job"])  # the job closes only with its checklist's evidence
        r = api.post(f"/v1/jobs/{job_id}/transitions", json=body, headers=th)
        assert r.status_code == 200, (body, r.text)
    assert r.json()["status"] == "completed"
    events = api.get(f"/v1/jobs/{job_id}/events", headers=ops).json()
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        (None, "pending"), ("pending", "offered"), ("offered", "accepted"), ("accepted", "scheduled"),
        ("scheduled", "en_route"), ("en_route", "on_site"), ("on_site", "in_progress"), ("in_progress", "completed"),
    ]
    assert events[2]["actor_type"] == "technician" and events[2]["actor_id"] == str(story["tech"].id)
    assert [e["seq"] for e in events] == list(range(1, 9))


def test_illegal_transition_is_409_with_the_current_state(api, story):
    job_id = story["job"].id
    r = api.post(f"/v1/jobs/{job_id}/transitions", json={"action": "complete"}, headers=story["ops"])
    assert r.status_code == 409
    body = r.json()
    assert body["current_status"] == "pending" and "cannot complete" in body["detail"]
    assert "offer" in body["allowed_actions"]
    assert r.headers["content-type"].startswith("application/problem+json")


def test_schedule_outside_the_window_is_refused_naming_the_field(api, story):
    job_id, tech = story["job"].id, story["tech"]
    api.post(f"/v1/jobs/{job_id}/assign", json={"technician_id": str(tech.id), "reason": "regular"}, headers=story["ops"])
    r = api.post(
        f"/v1/jobs/{job_id}/transitions", json={"action": "schedule", "scheduled_start": "2020-01-01T09:00:00+08:00"},
        headers=story["tech_h"],
    )
    assert r.status_code == 422 and r.json()["field"] == "scheduled_start"


def test_declining_the_last_open_offer_returns_the_job_to_pending(api, story):
    job_id = story["job"].id
    api.post(f"/v1/jobs/{job_id}/offers", json={"technician_ids": [str(story["tech"].id)]}, headers=story["ops"])
    r = api.post(f"/v1/jobs/{job_id}/decline", json={"reason": "too far"}, headers=story["tech_h"])
    assert r.status_code == 200 and r.json()["status"] == "pending"
    # Once declined, the offer cannot be accepted.
    assert api.post(f"/v1/jobs/{job_id}/accept", headers=story["tech_h"]).status_code == 409


def test_dispatcher_assigns_reassigns_and_unassigns_with_a_reason(api, db, story):
    job_id, ops = story["job"].id, story["ops"]
    other = make_technician(db, name="赵师傅")
    r = api.post(f"/v1/jobs/{job_id}/assign", json={"technician_id": str(story["tech"].id)}, headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "reason"
    r = api.post(f"/v1/jobs/{job_id}/assign", json={"technician_id": str(story["tech"].id), "reason": "VIP"}, headers=ops)
    assert r.json()["status"] == "accepted"
    r = api.post(f"/v1/jobs/{job_id}/assign", json={"technician_id": str(other.id), "reason": "sick"}, headers=ops)
    assert r.json()["technician_id"] == str(other.id)
    r = api.post(f"/v1/jobs/{job_id}/unassign", json={"reason": "customer asked"}, headers=ops)
    assert r.json()["status"] == "pending" and r.json()["technician_id"] is None
    events = api.get(f"/v1/jobs/{job_id}/events", headers=ops).json()
    assert [e["action"] for e in events[1:]] == ["assign", "reassign", "unassign"]
    assert events[2]["data"]["previous_technician_id"] == str(story["tech"].id)
    assert events[2]["reason"] == "sick"


def test_reschedule_moves_the_window_and_needs_a_new_schedule(api, story):
    job_id, th = story["job"].id, story["tech_h"]
    api.post(f"/v1/jobs/{job_id}/assign", json={"technician_id": str(story["tech"].id), "reason": "r"}, headers=story["ops"])
    body = {"action": "reschedule", "reason": "consumer away",
            "window": {"start": "2031-05-01T09:00:00+08:00", "end": "2031-05-01T11:00:00+08:00"}}
    r = api.post(f"/v1/jobs/{job_id}/transitions", json=body, headers=th)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "rescheduled" and r.json()["window_start"] == "2031-05-01T09:00:00+08:00"
    r = api.post(f"/v1/jobs/{job_id}/transitions",
                 json={"action": "schedule", "scheduled_start": "2031-05-01T10:00:00+08:00"}, headers=th)
    assert r.json()["status"] == "scheduled"


def test_install_waits_for_the_delivery_and_is_released_when_it_completes(api, db):
    client = make_client(db)
    order, jobs = make_order(db, client.id, service_type="delivery_install", categories=("air_conditioner", "tv"))
    delivery, installs = jobs[0], jobs[1:]
    assert delivery.service_type == "delivery" and [j.status for j in installs] == ["awaiting_goods"] * 2
    assert all(j.depends_on_job_id == delivery.id for j in installs)
    ops = ops_headers(api, db)
    tech = make_technician(db)
    api.post(f"/v1/jobs/{delivery.id}/assign", json={"technician_id": str(tech.id), "reason": "r"}, headers=ops)
    r = api.post(f"/v1/jobs/{installs[0].id}/assign", json={"technician_id": str(tech.id), "reason": "r"}, headers=ops)
    assert r.status_code == 409 and r.json()["current_status"] == "awaiting_goods"
    for body in ({"action": "schedule", "scheduled_start": delivery.window_start.isoformat()},
                 {"action": "depart"}, {"action": "arrive"}, {"action": "start"}, {"action": "complete"}):
        if body["action"] == "complete":
            finish_checklist(db, delivery)
        assert api.post(f"/v1/jobs/{delivery.id}/transitions", json=body, headers=ops).status_code == 200
    for inst in installs:
        got = api.get(f"/v1/jobs/{inst.id}", headers=ops).json()
        assert got["status"] == "pending" and got["earliest_start"] is not None


def test_ops_cancel_needs_a_reason_and_is_terminal(api, story):
    job_id, ops = story["job"].id, story["ops"]
    r = api.post(f"/v1/jobs/{job_id}/transitions", json={"action": "cancel"}, headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "reason"
    r = api.post(f"/v1/jobs/{job_id}/transitions", json={"action": "cancel", "reason": "dup"}, headers=ops)
    assert r.json()["status"] == "cancelled" and r.json()["allowed_actions"] == []


def test_event_log_is_append_only(db, story):
    from app.jobs.models import JobEvent

    ev = db.query(JobEvent).filter_by(job_id=story["job"].id).first()
    ev.reason = "rewritten"
    with pytest.raises(RuntimeError, match="append-only"):
        db.flush()
    db.rollback()
