"""A brand adds its own nodes to a standard template; they appear on that brand's jobs only."""

from tests.app.checklists.test_instantiation import codes
from tests.factories import make_client, make_order, ops_headers

WARRANTY_CARD = {
    "code": "brand_warranty_card",
    "stage": "handover",
    "title_zh": "拍摄品牌保修卡",
    "title_en": "Photo of the brand's warranty card",
    "depends_on": ["pressure"],
    "evidence": {"photos": {"min": 1, "max": 2}},
    "sla_anchor": "started",
    "sla_minutes": 120,
}


def nodes_url(code: str = "repair.air_conditioner") -> str:
    return f"/v1/templates/{code}/client-nodes"


def test_a_brands_node_appears_on_its_orders_jobs_only(api, db, repair_template):
    brand, other = make_client(db), make_client(db)
    r = api.post(nodes_url(repair_template.code), json=WARRANTY_CARD, headers=brand.headers)
    assert r.status_code == 201, r.text
    assert r.json()["active"] is True and r.json()["template_code"] == repair_template.code

    _, (mine,) = make_order(db, brand.id)
    _, (theirs,) = make_order(db, other.id)
    ops = ops_headers(api, db)
    mine_nodes = api.get(f"/v1/jobs/{mine.id}/checklist", headers=ops).json()["nodes"]
    # After every standard node, depending on a standard one.
    assert mine_nodes[-1]["code"] == "brand_warranty_card" and mine_nodes[-1]["source"] == "client"
    assert mine_nodes[-1]["depends_on"] == ["pressure"] and mine_nodes[-1]["title_zh"] == "拍摄品牌保修卡"
    assert "brand_warranty_card" not in codes(api, theirs, ops)

    assert [n["code"] for n in api.get(nodes_url(repair_template.code), headers=brand.headers).json()] == [
        "brand_warranty_card"]
    assert api.get(nodes_url(repair_template.code), headers=other.headers).json() == []


def test_a_brand_node_can_sit_between_standard_nodes(api, db, repair_template):
    brand = make_client(db)
    body = {**WARRANTY_CARD, "code": "scan_barcode", "stage": "inspection", "depends_on": ["check_in"],
            "evidence": {"text": {"min_length": 8}}, "position": 35}
    assert api.post(nodes_url(repair_template.code), json=body, headers=brand.headers).status_code == 201
    _, (job,) = make_order(db, brand.id)
    got = codes(api, job, brand.headers)
    assert got.index("scan_barcode") == got.index("check_in") + 1  # check_in is at 30, photo_before at 40


def test_a_removed_brand_node_stops_appearing_on_new_jobs_but_stays_on_old_ones(api, db, repair_template):
    brand = make_client(db)
    api.post(nodes_url(repair_template.code), json=WARRANTY_CARD, headers=brand.headers)
    _, (before,) = make_order(db, brand.id)
    r = api.delete(f"{nodes_url(repair_template.code)}/brand_warranty_card", headers=make_client(db).headers)
    assert r.status_code == 404  # another brand cannot remove it
    r = api.delete(f"{nodes_url(repair_template.code)}/brand_warranty_card", headers=brand.headers)
    assert r.status_code == 204
    _, (after,) = make_order(db, brand.id)
    assert "brand_warranty_card" in codes(api, before, brand.headers)
    assert "brand_warranty_card" not in codes(api, after, brand.headers)
    assert api.get(nodes_url(repair_template.code), headers=brand.headers).json() == []
    # ... and the code can be used again.
    assert api.post(nodes_url(repair_template.code), json=WARRANTY_CARD, headers=brand.headers).status_code == 201


def test_a_bad_node_is_refused_naming_the_field(api, db, repair_template):
    brand = make_client(db)
    url = nodes_url(repair_template.code)
    cases = [
        ({"evidence": {"photos": {"min": 0, "max": 2}}}, "evidence.photos.min"),
        ({"evidence": {"reading": {"unit": "Pa", "min": 5, "max": 1}}}, "evidence.reading.min"),
        ({"stage": "lunch"}, "stage"),
        ({"depends_on": ["no_such_node"]}, "depends_on[0]"),
        ({"sla_anchor": "sunrise"}, "sla_anchor"),
        ({"code": "Bad Code"}, "code"),
        ({"completed_by": "system"}, "evidence.auto"),
        ({"colour": "red"}, "colour"),
        # A mandatory node may not wait on an optional one (the consumer could hold the job forever).
        ({"depends_on": ["note"]}, "depends_on[0]"),
    ]
    for change, field in cases:
        r = api.post(url, json={**WARRANTY_CARD, **change}, headers=brand.headers)
        assert r.status_code == 422, (change, r.text)
        assert r.json()["field"] == field, (change, r.json())
    assert api.get(url, headers=brand.headers).json() == []


def test_duplicate_and_standard_codes_conflict_and_unknown_templates_are_404(api, db, repair_template):
    brand = make_client(db)
    url = nodes_url(repair_template.code)
    assert api.post(url, json=WARRANTY_CARD, headers=brand.headers).status_code == 201
    r = api.post(url, json=WARRANTY_CARD, headers=brand.headers)
    assert r.status_code == 409 and r.json()["field"] == "code"
    r = api.post(url, json={**WARRANTY_CARD, "code": "pressure", "depends_on": []}, headers=brand.headers)
    assert r.status_code == 409 and "standard node" in r.json()["detail"]
    assert api.post(nodes_url("install.spaceship"), json=WARRANTY_CARD, headers=brand.headers).status_code == 404
    assert api.get(nodes_url("install.spaceship"), headers=brand.headers).status_code == 404


def test_only_clients_manage_brand_nodes(api, db, repair_template):
    r = api.post(nodes_url(repair_template.code), json=WARRANTY_CARD, headers=ops_headers(api, db))
    assert r.status_code == 403


def test_brand_nodes_carry_over_to_a_new_template_version(api, db, repair_template):
    from tests.app.checklists.builders import Node, install_template

    brand = make_client(db)
    url = nodes_url(repair_template.code)
    assert api.post(url, json=WARRANTY_CARD, headers=brand.headers).status_code == 201
    body = {**WARRANTY_CARD, "code": "brand_extra_test", "depends_on": []}
    assert api.post(url, json=body, headers=brand.headers).status_code == 201
    # The new version drops "pressure" (the card's dependency) and has a standard node of the brand's code.
    install_template(db, "repair", "air_conditioner", [Node("brand_extra_test", stage="test"), Node("seal")])
    _, (job,) = make_order(db, brand.id)
    nodes = {n["code"]: n for n in api.get(f"/v1/jobs/{job.id}/checklist", headers=brand.headers).json()["nodes"]}
    assert set(nodes) == {"brand_extra_test", "seal", "brand_warranty_card"}
    assert nodes["brand_extra_test"]["source"] == "standard"
    assert nodes["brand_warranty_card"]["source"] == "client" and nodes["brand_warranty_card"]["depends_on"] == []
