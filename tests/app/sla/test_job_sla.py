"""Each job shows its SLA status: every node and job-level SLA, and whether it is on track."""

from datetime import timedelta

from app.sla import service as sla
from tests.app.sla.builders import Node, assign, checklist, complete_node, node, story
from tests.factories import make_client, make_technician, ops_headers, technician_headers


def _work(api, job_id, headers, *steps):
    for body in steps:
        r = api.post(f"/v1/jobs/{job_id}/transitions", json=body, headers=headers)
        assert r.status_code == 200, (body, r.text)


def test_a_technician_follows_the_sla_of_the_job_it_is_working(api, db):
    s = story(db)
    checklist(db, s.job, Node("t_contact", "accepted", 30), Node("t_checkin", "arrived", 60),
              Node("t_test", "started", 120), Node("t_no_sla"))
    ops, th = ops_headers(api, db), technician_headers(api, s.tech)
    r = api.post(f"/v1/jobs/{s.job.id}/assign", json={"technician_id": str(s.tech.id), "reason": "near"}, headers=ops)
    assert r.status_code == 200, r.text
    complete_node(db, s.job, "t_contact")  # called the consumer right away
    _work(api, s.job.id, th, {"action": "schedule", "scheduled_start": r.json()["window_start"]},
          {"action": "depart"}, {"action": "arrive"})

    r = api.get(f"/v1/jobs/{s.job.id}/sla", headers=th)
    assert r.status_code == 200, r.text
    body = r.json()
    nodes = {n["code"]: n for n in body["nodes"]}
    assert set(nodes) == {"t_contact", "t_checkin", "t_test"}  # a node without an SLA has nothing to show
    assert nodes["t_contact"]["state"] == "met" and nodes["t_contact"]["completed_at"].endswith("+08:00")
    assert nodes["t_checkin"]["state"] == "pending" and nodes["t_checkin"]["due_at"].endswith("+08:00")
    assert nodes["t_test"]["state"] == "not_started" and nodes["t_test"]["due_at"] is None
    job_level = {j["code"]: j for j in body["job"]}
    assert job_level["respond"]["state"] == "not_applicable"  # assigned by ops, never offered
    assert job_level["appointment"]["state"] == "met" and job_level["arrive"]["state"] == "met"
    assert job_level["close"]["state"] == "pending"
    assert job_level["close"]["due_at"].endswith("+08:00") and job_level["close"]["anchor_at"].endswith("+08:00")
    assert body["status"] == "on_track" and body["job_status"] == "on_site"


def test_a_late_node_puts_the_job_in_breach(api, db):
    s = story(db)
    checklist(db, s.job, Node("t_contact", "accepted", 30))
    assign(db, s)
    complete_node(db, s.job, "t_contact", at=node(db, s.job, "t_contact").due_at + timedelta(minutes=1))
    body = api.get(f"/v1/jobs/{s.job.id}/sla", headers=ops_headers(api, db)).json()
    assert body["nodes"][0]["state"] == "breached" and body["status"] == "breached"


def test_a_deadline_within_half_an_hour_puts_the_job_at_risk(db):
    s = story(db)
    checklist(db, s.job, Node("t_confirm", "window_start", 0))
    due = node(db, s.job, "t_confirm").due_at
    assert sla.job_sla(db, s.job, due - timedelta(hours=2))["status"] == "on_track"
    assert sla.job_sla(db, s.job, due - timedelta(minutes=10))["status"] == "at_risk"
    assert sla.job_sla(db, s.job, due + timedelta(minutes=1))["status"] == "breached"


def test_a_technician_cannot_read_another_technicians_job_sla(api, db):
    s = story(db)
    checklist(db, s.job, Node("t_contact", "accepted", 30))
    assign(db, s)
    other = make_technician(db, name="赵师傅")
    r = api.get(f"/v1/jobs/{s.job.id}/sla", headers=technician_headers(api, other))
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    assert api.get(f"/v1/jobs/{s.job.id}/sla", headers=make_client(db).headers).status_code == 404
    assert api.get(f"/v1/jobs/{s.job.id}/sla", headers=s.client.headers).status_code == 200


def test_an_unknown_or_malformed_job_id_is_refused_cleanly(api, db):
    ops = ops_headers(api, db)
    assert api.get("/v1/jobs/00000000-0000-0000-0000-000000000000/sla", headers=ops).status_code == 404
    r = api.get("/v1/jobs/not-a-job/sla", headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "job_id"
