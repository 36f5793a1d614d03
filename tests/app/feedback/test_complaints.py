"""A consumer complains through its tracking link; ops acknowledge, note and resolve (or reject) the
ticket against its own SLA; an upheld complaint counts against the job's technician."""

import uuid
from datetime import datetime, timedelta

from app.feedback.models import ComplaintTicket
from app.technicians.models import Technician
from tests.app.feedback.builders import visit
from tests.factories import make_client, make_ops_user, ops_headers, technician_headers


def complaint(v, category="overcharge", **overrides) -> dict:
    body = {"job_id": str(v.job.id), "category": category, "description": "师傅要求额外支付 200 元管子费，说明书写着免费"}
    body.update(overrides)
    return body


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def test_a_complaint_opens_a_ticket_with_due_times_by_severity(api, db):
    client = make_client(db)
    v = visit(db, client=client)
    r = api.post(f"{v.track}/complaints", json=complaint(v))
    assert r.status_code == 201, r.text
    mine = r.json()
    assert mine["status"] == "open" and mine["category_zh"] == "乱收费" and mine["created_at"].endswith("+08:00")
    created = at(mine["created_at"])
    assert at(mine["first_response_due_at"]) - created == timedelta(hours=2)
    assert at(mine["resolution_due_at"]) - created == timedelta(hours=24)

    r = api.post(f"{v.track}/complaints", json={"category": "other", "description": "客服电话打不通"})
    assert r.status_code == 201, r.text
    other = r.json()
    assert other["job_id"] is None
    assert at(other["first_response_due_at"]) - at(other["created_at"]) == timedelta(hours=4)
    assert at(other["resolution_due_at"]) - at(other["created_at"]) == timedelta(hours=48)

    ops = ops_headers(api, db)
    ticket = api.get(f"/v1/tickets/{mine['id']}", headers=ops).json()
    assert ticket["technician_id"] == str(v.tech.id) and ticket["client_id"] == str(client.id)
    assert ticket["severity"] == "high" and ticket["city"] == "hangzhou" and ticket["overdue"] is False
    assert ticket["allowed_actions"] == ["acknowledge", "reject", "note"]
    assert [(e["action"], e["actor_type"], e["to_status"]) for e in ticket["timeline"]] == [("file", "consumer", "open")]
    assert api.get(f"/v1/tickets/{other['id']}", headers=ops).json()["technician_id"] is None

    listed = api.get(f"{v.track}/complaints").json()
    assert [(c["category"], c["status"]) for c in listed] == [("overcharge", "open"), ("other", "open")]
    categories = {c["code"]: c for c in api.get("/v1/feedback/complaint-categories").json()}
    assert categories["damage"]["first_response_hours"] == 2 and categories["rude"]["resolution_hours"] == 48


def test_bad_complaints_are_refused_and_nothing_is_written(api, db):
    mine, theirs = visit(db), visit(db)
    for body, field in [
        (complaint(mine, job_id=str(theirs.job.id)), "job_id"),
        (complaint(mine, category="too_expensive"), "category"),
        (complaint(mine, description=""), "description"),
        (complaint(mine, description="太" * 2001), "description"),
        ({**complaint(mine), "status": "resolved"}, "status"),
    ]:
        r = api.post(f"{mine.track}/complaints", json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["field"] == field
    assert api.post("/v1/track/no-such-token/complaints", json=complaint(mine)).status_code == 404
    assert api.get("/v1/track/no-such-token/complaints").status_code == 404
    assert db.query(ComplaintTicket).count() == 0


def test_ops_acknowledge_note_and_resolve_an_upheld_complaint_which_counts_against_the_technician(api, db):
    v = visit(db)
    ticket_id = api.post(f"{v.track}/complaints", json=complaint(v)).json()["id"]
    ops = ops_headers(api, db)
    before = db.get(Technician, v.tech.id).quality_score

    r = api.post(f"/v1/tickets/{ticket_id}/acknowledge", headers=ops)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "acknowledged" and r.json()["first_response_at"] and r.json()["assignee_id"]
    r = api.post(f"/v1/tickets/{ticket_id}/notes", json={"text": "已联系师傅核实，管子属于标准配件"}, headers=ops)
    assert r.status_code == 200 and r.json()["status"] == "acknowledged"
    r = api.post(f"/v1/tickets/{ticket_id}/resolve",
                 json={"resolution": "多收 200 元已退还消费者", "refund_cents": 20000}, headers=ops)
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["status"] == "resolved" and done["upheld"] is True and done["refund_cents"] == 20000
    assert done["allowed_actions"] == ["note"]
    assert [e["action"] for e in done["timeline"]] == ["file", "acknowledge", "note", "resolve"]
    assert [e["seq"] for e in done["timeline"]] == [1, 2, 3, 4]

    db.expire_all()
    assert db.get(Technician, v.tech.id).quality_score < before
    seen = api.get(f"{v.track}/complaints").json()[0]
    assert seen["status"] == "resolved" and seen["resolution"] == "多收 200 元已退还消费者"
    assert seen["refund_cents"] == 20000 and seen["resolved_at"].endswith("+08:00")
    assert "timeline" not in seen and "technician_id" not in seen


def test_acknowledging_for_another_ops_user_names_them_and_refuses_a_non_ops_user(api, db):
    v = visit(db)
    ticket_id = api.post(f"{v.track}/complaints", json=complaint(v, "rude")).json()["id"]
    ops = ops_headers(api, db)
    from app.users.models import User

    colleague = db.query(User).filter_by(username=make_ops_user(db)[0]).one()
    tech_user = db.query(User).filter_by(technician_id=v.tech.id).one()
    r = api.post(f"/v1/tickets/{ticket_id}/acknowledge", json={"assignee_id": str(tech_user.id)}, headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "assignee_id"
    r = api.post(f"/v1/tickets/{ticket_id}/acknowledge", json={"assignee_id": str(colleague.id), "note": "交给小李"},
                 headers=ops)
    assert r.status_code == 200 and r.json()["assignee_id"] == str(colleague.id)
    assert r.json()["timeline"][-1]["text"] == "交给小李"


def test_illegal_ticket_moves_are_409_naming_the_status(api, db):
    v = visit(db)
    ops = ops_headers(api, db)
    ticket_id = api.post(f"{v.track}/complaints", json=complaint(v)).json()["id"]
    r = api.post(f"/v1/tickets/{ticket_id}/resolve", json={"resolution": "ok"}, headers=ops)
    assert r.status_code == 409
    assert r.json()["current_status"] == "open" and "it is open" in r.json()["detail"]
    assert r.json()["allowed_actions"] == ["acknowledge", "reject", "note"]

    api.post(f"/v1/tickets/{ticket_id}/acknowledge", headers=ops)
    r = api.post(f"/v1/tickets/{ticket_id}/acknowledge", headers=ops)
    assert r.status_code == 409 and r.json()["current_status"] == "acknowledged"
    r = api.post(f"/v1/tickets/{ticket_id}/resolve", json={"resolution": "no fault", "upheld": False,
                                                          "refund_cents": 100}, headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "refund_cents"
    assert api.post(f"/v1/tickets/{ticket_id}/reject", json={"reason": "无依据"}, headers=ops).status_code == 200
    r = api.post(f"/v1/tickets/{ticket_id}/resolve", json={"resolution": "ok"}, headers=ops)
    assert r.status_code == 409 and r.json()["current_status"] == "rejected"
    got = api.get(f"/v1/tickets/{ticket_id}", headers=ops).json()
    assert got["status"] == "rejected" and got["upheld"] is False and got["resolution"] == "无依据"
    assert [e["action"] for e in got["timeline"]] == ["file", "acknowledge", "reject"]


def test_rejecting_straight_away_is_the_first_response_and_does_not_touch_the_score(api, db):
    v = visit(db)
    ops = ops_headers(api, db)
    ticket_id = api.post(f"{v.track}/complaints", json=complaint(v, "poor_work")).json()["id"]
    tech = db.get(Technician, v.tech.id)
    tech.quality_score = 0.5  # a marker: rejecting must not recompute
    db.commit()
    r = api.post(f"/v1/tickets/{ticket_id}/reject", json={"reason": "重复投诉"}, headers=ops)
    assert r.status_code == 200, r.text
    assert r.json()["first_response_at"] == r.json()["resolved_at"] and r.json()["assignee_id"]
    db.expire_all()
    assert db.get(Technician, v.tech.id).quality_score == 0.5


def test_ops_list_tickets_by_status_technician_client_and_overdue(api, db):
    client = make_client(db)
    a, b = visit(db, client=client), visit(db)
    ops = ops_headers(api, db)
    ids = [api.post(f"{x.track}/complaints", json=complaint(x, c)).json()["id"]
           for x, c in ((a, "overcharge"), (a, "rude"), (b, "damage"))]
    api.post(f"/v1/tickets/{ids[1]}/acknowledge", headers=ops)
    late = db.get(ComplaintTicket, uuid.UUID(ids[2]))
    late.first_response_due_at -= timedelta(hours=3)
    late.resolution_due_at -= timedelta(hours=25)
    db.commit()

    def listed(**params):
        r = api.get("/v1/tickets", params=params, headers=ops)
        assert r.status_code == 200, r.text
        return {t["id"] for t in r.json()["items"]}

    assert listed(status="open") >= {ids[0], ids[2]} and ids[1] not in listed(status="open")
    assert listed(technician_id=str(a.tech.id)) == {ids[0], ids[1]}
    assert listed(client_id=str(client.id)) == {ids[0], ids[1]}
    assert ids[2] in listed(overdue="true") and not {ids[0], ids[1]} & listed(overdue="true")
    assert listed(technician_id=str(b.tech.id), overdue="true") == {ids[2]}

    page = api.get("/v1/tickets", params={"technician_id": str(a.tech.id), "limit": 1}, headers=ops).json()
    assert [t["id"] for t in page["items"]] == [ids[1]]  # newest first
    rest = api.get("/v1/tickets", params={"technician_id": str(a.tech.id), "cursor": page["next_cursor"]},
                   headers=ops).json()
    assert [t["id"] for t in rest["items"]] == [ids[0]] and rest["next_cursor"] is None
    r = api.get("/v1/tickets", params={"status": "closed"}, headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "status[0]"


def test_tickets_are_for_ops_only(api, db):
    v = visit(db)
    ticket_id = api.post(f"{v.track}/complaints", json=complaint(v)).json()["id"]
    for headers in (technician_headers(api, v.tech), make_client(db).headers):
        assert api.get("/v1/tickets", headers=headers).status_code == 403
        assert api.get(f"/v1/tickets/{ticket_id}", headers=headers).status_code == 403
        assert api.post(f"/v1/tickets/{ticket_id}/acknowledge", headers=headers).status_code == 403
    assert api.get(f"/v1/tickets/{ticket_id}").status_code == 401


def test_one_tracking_link_cannot_open_more_than_five_complaints_at_once(api, db):
    v = visit(db)
    ids = [api.post(f"{v.track}/complaints", json=complaint(v, "other")).json()["id"] for _ in range(5)]
    r = api.post(f"{v.track}/complaints", json=complaint(v))
    assert r.status_code == 409 and r.json()["open_complaints"] == 5
    api.post(f"/v1/tickets/{ids[0]}/reject", json={"reason": "重复"}, headers=ops_headers(api, db))
    assert api.post(f"{v.track}/complaints", json=complaint(v)).status_code == 201
