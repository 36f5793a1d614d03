"""Each new job gets its checklist copied from the current template, and keeps it when the template changes."""

from sqlalchemy import select

from app.checklists.models import JobNode, ProcessTemplate
from tests.app.checklists.builders import Node, install_template
from tests.app.checklists.conftest import REPAIR_NODES
from tests.factories import make_client, make_order, ops_headers


def codes(api, job, headers) -> list[str]:
    r = api.get(f"/v1/jobs/{job.id}/checklist", headers=headers)
    assert r.status_code == 200, r.text
    return [n["code"] for n in r.json()["nodes"]]


def test_a_new_job_copies_the_templates_nodes_in_order(api, db, repair_template):
    client = make_client(db)
    _, (job,) = make_order(db, client.id, service_type="repair")
    body = api.get(f"/v1/jobs/{job.id}/checklist", headers=client.headers).json()
    assert [n["code"] for n in body["nodes"]] == [n.code for n in REPAIR_NODES]
    assert all(n["status"] == "open" and n["source"] == "standard" for n in body["nodes"])
    first = body["nodes"][1]
    assert (first["title_zh"], first["sla_anchor"], first["sla_minutes"], first["evidence"]) == (
        "节点", "accepted", 30, {"checkbox": True})
    assert body["nodes"][2]["depends_on"] == ["contact_consumer"]
    assert body["template"]["version"] >= 1 and body["summary"]["open_mandatory"] == 6


def test_a_running_job_keeps_its_template_version_when_the_library_changes(api, db, repair_template):
    client = make_client(db)
    _, (old_job,) = make_order(db, client.id)
    v1 = db.scalar(select(ProcessTemplate).where(ProcessTemplate.code == repair_template.code, ProcessTemplate.current))

    install_template(db, "repair", "air_conditioner", [Node("only_one_step", stage="work")])
    _, (new_job,) = make_order(db, client.id)

    ops = ops_headers(api, db)
    assert codes(api, old_job, ops) == [n.code for n in REPAIR_NODES]
    assert codes(api, new_job, ops) == ["only_one_step"]
    old_ids = set(db.scalars(select(JobNode.template_id).where(JobNode.job_id == old_job.id)))
    assert old_ids == {v1.id}
    r = api.get(f"/v1/templates/{repair_template.code}", headers=ops)
    assert r.json()["version"] == v1.version + 1 and [n["code"] for n in r.json()["nodes"]] == ["only_one_step"]
    r = api.get(f"/v1/templates/{repair_template.code}?version={v1.version}", headers=ops)
    assert r.status_code == 200 and r.json()["current"] is False and len(r.json()["nodes"]) == len(REPAIR_NODES)


def test_loading_the_same_template_again_adds_no_version(db, repair_template):
    from app.checklists.service import load_templates

    assert load_templates(db, [repair_template])["unchanged"] == 1
    versions = db.scalars(select(ProcessTemplate.version).where(ProcessTemplate.code == repair_template.code)).all()
    assert len(versions) == len(set(versions)) and sum(1 for _ in versions) == max(versions)


def test_a_job_without_a_template_has_an_empty_checklist_and_can_complete(api, db):
    from tests.app.checklists.conftest import work
    from tests.factories import make_technician, technician_headers

    # Whatever the library ships, retire the template for this pair in this test's transaction.
    db.query(ProcessTemplate).filter_by(service_type="uninstall", category="tv").update({"current": False})
    client = make_client(db)
    _, (job,) = make_order(db, client.id, service_type="uninstall", categories=("tv",))
    tech = make_technician(db, skills=("tv_install", "tv_repair", "delivery"))
    work(db, job, tech)
    r = api.get(f"/v1/jobs/{job.id}/checklist", headers=client.headers)
    assert r.json()["nodes"] == [] and r.json()["template"] is None
    r = api.post(f"/v1/jobs/{job.id}/transitions", json={"action": "complete"}, headers=technician_headers(api, tech))
    assert r.status_code == 200 and r.json()["status"] == "completed"


def test_an_order_of_several_appliances_gets_a_checklist_per_job(api, db, repair_template):
    client = make_client(db)
    _, jobs = make_order(db, client.id, categories=("air_conditioner", "air_conditioner", "washing_machine"))
    per_job = {j.id: db.scalar(select(JobNode.id).where(JobNode.job_id == j.id).limit(1)) for j in jobs}
    assert per_job[jobs[0].id] and per_job[jobs[1].id]
    assert len(codes(api, jobs[0], client.headers)) == len(REPAIR_NODES)
