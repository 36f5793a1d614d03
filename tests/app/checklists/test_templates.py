"""The shipped library is in the database of a fresh install; anyone signed in can read the templates."""

import pytest
from sqlalchemy import func, select

from app.checklists.models import ProcessTemplate, TemplateNode
from tests.factories import make_client, make_technician, ops_headers, technician_headers


def library_specs():
    from app.checklists.library import DATA_DIR, load_library

    if not (DATA_DIR / "nodes").is_dir():
        pytest.skip("the template library's data has not landed")
    return load_library()


def test_a_fresh_install_has_every_template_of_the_library(db):
    from app.checklists.service import load_library

    specs = library_specs()
    have = {t.code: t for t in db.scalars(select(ProcessTemplate).where(ProcessTemplate.current))}
    assert {s.code for s in specs} <= set(have)
    for spec in specs:
        assert have[spec.code].content_hash == spec.content_hash
        n = db.scalar(select(func.count()).where(TemplateNode.template_id == have[spec.code].id))
        assert n == len(spec.nodes)
    # Loading again (every start does) changes nothing.
    again = load_library(db)
    assert again["added"] == 0 and again["new_versions"] == 0 and again["retired"] == 0
    assert again["unchanged"] == len(specs)


def test_a_template_the_library_stops_shipping_is_no_longer_current(api, db):
    from app.checklists.service import load_library

    specs = library_specs()
    dropped = specs[0]
    assert load_library(db, specs[1:])["retired"] == 1
    db.commit()
    ops = ops_headers(api, db)
    assert api.get(f"/v1/templates/{dropped.code}", headers=ops).status_code == 404
    assert dropped.code not in [t["code"] for t in api.get("/v1/templates", headers=ops).json()]
    r = api.get(f"/v1/templates/{dropped.code}?version=1", headers=ops)
    assert r.status_code == 200 and r.json()["current"] is False


def test_templates_are_listed_and_read_by_anyone_signed_in(api, db, repair_template):
    client = make_client(db)
    r = api.get("/v1/templates", params={"service_type": "repair", "category": "air_conditioner"},
                headers=client.headers)
    assert r.status_code == 200, r.text
    (t,) = r.json()
    assert t["code"] == repair_template.code and t["node_count"] == len(repair_template.nodes)
    assert t["created_at"].endswith("+08:00")
    tech = technician_headers(api, make_technician(db))
    r = api.get(f"/v1/templates/{repair_template.code}", headers=tech)
    assert r.status_code == 200
    pressure = next(n for n in r.json()["nodes"] if n["code"] == "pressure")
    assert pressure["evidence"]["reading"] == {"unit": "MPa", "min": 0.5, "max": 4.5}
    assert {"title_zh", "title_en", "sla_anchor", "sla_minutes", "depends_on", "stage"} <= set(pressure)
    assert api.get("/v1/templates").status_code == 401


def test_unknown_template_or_version_is_404(api, db, repair_template):
    ops = ops_headers(api, db)
    assert api.get("/v1/templates/install.spaceship", headers=ops).status_code == 404
    assert api.get(f"/v1/templates/{repair_template.code}?version=999", headers=ops).status_code == 404
    assert api.get(f"/v1/templates/{repair_template.code}?version=0", headers=ops).status_code == 422
