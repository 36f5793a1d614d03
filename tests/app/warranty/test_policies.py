"""A brand sets its warranty per category; without one the platform default (三包 baseline) applies."""

from app.warranty.service import load_default_policies
from app.warranty.models import WarrantyPolicy
from sqlalchemy import func, select
from tests.app.orders.stories import expect_problem
from tests.app.warranty.builders import make_brand

GREE_AC = {
    "whole_unit_months": 72, "key_part_months": 120,
    "key_parts": [{"code": "compressor", "name_zh": "压缩机", "name_en": "compressor"}],
    "excluded_channels": ["other"],
}


def test_without_its_own_policy_a_brand_sees_the_platform_default(api, db):
    r = api.get("/v1/warranty-policies/washing_machine", headers=make_brand(db).headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["source"] == "platform_default" and body["whole_unit_months"] == 12
    assert body["key_part_months"] == 36 and [p["code"] for p in body["key_parts"]] == ["motor"]


def test_a_brand_policy_replaces_the_default_for_that_brand_only(api, db):
    gree, haier = make_brand(db), make_brand(db, "海尔 Haier")
    r = api.put("/v1/warranty-policies/air_conditioner", json=GREE_AC, headers=gree.headers)
    assert r.status_code == 200, r.text
    assert r.json()["source"] == "brand" and r.json()["key_part_months"] == 120
    assert api.get("/v1/warranty-policies/air_conditioner", headers=gree.headers).json()["whole_unit_months"] == 72
    assert api.get("/v1/warranty-policies/air_conditioner", headers=haier.headers).json()["whole_unit_months"] == 12
    listed = {p["category"]: p["source"] for p in api.get("/v1/warranty-policies", headers=gree.headers).json()}
    assert listed["air_conditioner"] == "brand" and listed["refrigerator"] == "platform_default" and len(listed) == 9

    again = api.put("/v1/warranty-policies/air_conditioner", json={**GREE_AC, "whole_unit_months": 36},
                    headers=gree.headers)
    assert again.json()["whole_unit_months"] == 36
    assert db.scalar(select(func.count()).select_from(WarrantyPolicy).where(WarrantyPolicy.client_id == gree.id)) == 1


def test_policy_refusals_name_the_field(api, db):
    h = make_brand(db).headers
    expect_problem(api.put("/v1/warranty-policies/spaceship", json=GREE_AC, headers=h), 422, "category")
    expect_problem(api.put("/v1/warranty-policies/air_conditioner", json={**GREE_AC, "key_part_months": 12},
                           headers=h), 422, "key_part_months")
    twice = {**GREE_AC, "key_parts": GREE_AC["key_parts"] * 2}
    expect_problem(api.put("/v1/warranty-policies/air_conditioner", json=twice, headers=h), 422, "key_parts[1].code")
    expect_problem(api.put("/v1/warranty-policies/air_conditioner", json={**GREE_AC, "excluded_channels": ["moon"]},
                           headers=h), 422, "excluded_channels[0]")
    expect_problem(api.get("/v1/warranty-policies/spaceship", headers=h), 422, "category")
    assert db.scalar(select(func.count()).select_from(WarrantyPolicy).where(WarrantyPolicy.client_id.is_not(None))) == 0


def test_loading_the_defaults_again_changes_nothing(db):
    before = db.scalar(select(func.count()).select_from(WarrantyPolicy))
    assert before == 9
    assert load_default_policies(db) == 0
    assert db.scalar(select(func.count()).select_from(WarrantyPolicy)) == before
