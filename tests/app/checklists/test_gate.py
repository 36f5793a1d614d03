"""A job cannot be completed while a mandatory node is open; system nodes close on the job's events."""

from app.actors import SYSTEM
from app.checklists.models import JobNode
from app.events import bus
from tests.app.checklists.builders import finish_checklist


def transition(api, story, action: str):
    return api.post(f"/v1/jobs/{story['job'].id}/transitions", json={"action": action}, headers=story["tech_h"])


def node(db, story, code: str) -> JobNode:
    db.expire_all()
    return db.query(JobNode).filter_by(job_id=story["job"].id, code=code).one()


def test_completing_a_job_with_open_mandatory_nodes_is_refused_listing_them(api, db, story):
    r = transition(api, story, "complete")
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["type"].endswith("/checklist-incomplete")
    expected = ["contact_consumer", "check_in", "photo_before", "pressure", "charges_settled"]
    assert [n["code"] for n in body["open_nodes"]] == expected
    assert f"{len(expected)} mandatory" in body["detail"]
    assert set(body["open_nodes"][0]) == {"code", "title_zh", "title_en", "stage"}
    # Nothing moved: the job is still being worked.
    assert api.get(f"/v1/jobs/{story['job'].id}", headers=story["ops"]).json()["status"] == "in_progress"


def test_the_job_completes_once_every_mandatory_node_is_closed(api, db, story):
    finish_checklist(db, story["job"], api.app.state.storage)
    r = transition(api, story, "complete")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "completed"


def test_optional_and_waived_nodes_do_not_hold_the_job(api, db, story):
    from sqlalchemy import update

    db.execute(update(JobNode).where(JobNode.job_id == story["job"].id, JobNode.code != "charges_settled",
                                     JobNode.mandatory).values(status="done"))
    db.commit()
    r = api.post(f"/v1/jobs/{story['job'].id}/checklist/charges_settled/waive", json={"reason": "x"},
                 headers=story["ops"])
    assert r.status_code == 409  # a system node is never waived: its event has to happen
    bus.publish(db, "job.charges_settled", SYSTEM, {}, job=story["job"])
    db.commit()
    assert node(db, story, "charges_settled").completed_by_type == "system"
    assert transition(api, story, "complete").status_code == 200


def test_system_nodes_close_on_acceptance_and_wait_for_their_dependencies(api, db):
    from tests.app.checklists.builders import Node, install_template
    from tests.app.checklists.conftest import work
    from tests.factories import make_client, make_order, make_technician, technician_headers

    install_template(db, "maintenance", "air_conditioner", [
        Node("accepted", stage="contact", completed_by="system", evidence={"auto": "accepted"}),
        Node("call", stage="contact"),
        Node("on_site", stage="arrival", completed_by="system", depends_on=("call",), evidence={"auto": "arrived"}),
        Node("started", stage="work", completed_by="system", evidence={"auto": "started"}),
    ])
    client = make_client(db)
    _, (job,) = make_order(db, client.id, service_type="maintenance")
    tech = make_technician(db)
    work(db, job, tech)  # accepted, arrived and started all happened; "call" is still open
    db.expire_all()
    status = {n.code: n.status for n in db.query(JobNode).filter_by(job_id=job.id)}
    assert status == {"accepted": "done", "call": "open", "on_site": "open", "started": "done"}
    r = api.post(f"/v1/jobs/{job.id}/checklist/call/complete", json={"checkbox": True},
                 headers=technician_headers(api, tech))
    assert r.status_code == 200, r.text
    db.expire_all()
    waited = db.query(JobNode).filter_by(job_id=job.id, code="on_site").one()
    assert waited.status == "done" and waited.completed_by_type == "system" and waited.values["auto"] == "arrived"
