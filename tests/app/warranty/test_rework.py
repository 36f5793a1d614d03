"""A repair of the same product soon after a completed job is rework of that job, and counts against
the technician who did it; the consumer does not pay for the redo."""

from app.technicians.models import Technician
from app.warranty.service import rework_stats
from tests.app.orders.stories import expect_problem, order_body
from tests.app.warranty.builders import appliance, completed_job, decision, make_brand, post_order
from tests.factories import make_technician, ops_headers


def test_a_repair_10_days_after_a_completed_repair_is_rework_of_the_original_technician(api, db):
    brand, tech = make_brand(db), make_technician(db)
    original = completed_job(db, brand, tech, serial="GR-AGAIN-1", days_ago=10)
    from app.feedback.service import recompute_quality

    score_before = recompute_quality(db, tech.id)
    db.commit()
    job = post_order(api, brand, serial="GR-AGAIN-1")

    r = api.get(f"/v1/jobs/{job['id']}/rework", headers=ops_headers(api, db))
    assert r.status_code == 200, r.text
    link = r.json()["rework_of"]
    assert link["original_job_id"] == str(original.id) and link["original_technician_id"] == str(tech.id)
    assert link["days_after"] == 10 and r.json()["rework_days"] == 30
    back = api.get(f"/v1/jobs/{original.id}/rework", headers=ops_headers(api, db)).json()
    assert [x["job_id"] for x in back["reworked_by"]] == [job["id"]]

    d = decision(api, job["id"], brand.headers)
    assert d["rework_of_job_id"] == str(original.id) and d["bill_to_brand"] is True
    assert "返修" in d["reason_zh"] and "charged back to the original technician" in d["reason_en"]
    assert rework_stats(db, tech.id) == (1, 1)
    db.expire_all()
    assert db.get(Technician, tech.id).quality_score < score_before  # counted at once, not at the next rating


def test_a_repair_40_days_after_is_not_rework(api, db):
    brand, tech = make_brand(db), make_technician(db)
    completed_job(db, brand, tech, serial="GR-LATER-1", days_ago=40)
    job = post_order(api, brand, serial="GR-LATER-1")
    assert api.get(f"/v1/jobs/{job['id']}/rework", headers=ops_headers(api, db)).json()["rework_of"] is None
    assert decision(api, job["id"], brand.headers)["rework_of_job_id"] is None
    assert rework_stats(db, tech.id) == (0, 1)


def test_a_leak_after_an_install_is_rework_of_the_installer_but_another_product_is_not(api, db):
    brand, installer = make_brand(db), make_technician(db)
    install = completed_job(db, brand, installer, serial="GR-HOSE-1", days_ago=3, service_type="install")
    post_order(api, brand, serial="GR-OTHER-1")
    assert rework_stats(db, installer.id) == (0, 1)
    job = post_order(api, brand, serial="GR-HOSE-1")
    assert decision(api, job["id"], brand.headers)["rework_of_job_id"] == str(install.id)
    assert rework_stats(db, installer.id) == (1, 1)


def test_a_rework_order_is_linked_to_the_job_it_names(api, db):
    brand, tech = make_brand(db), make_technician(db)
    original = completed_job(db, brand, tech, serial=None, days_ago=5)
    body = order_body("rework", appliances=[appliance()], rework_of_job_id=str(original.id))
    r = api.post("/v1/orders", json=body, headers=brand.headers)
    assert r.status_code == 201, r.text
    d = decision(api, r.json()["jobs"][0]["id"], brand.headers)
    assert d["rework_of_job_id"] == str(original.id) and d["bill_to_brand"] is True


def test_rework_details_are_for_ops(api, db):
    brand = make_brand(db)
    job = post_order(api, brand)
    expect_problem(api.get(f"/v1/jobs/{job['id']}/rework", headers=brand.headers), 403)
