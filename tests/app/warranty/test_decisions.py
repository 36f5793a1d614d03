"""Each repair is decided in or out of warranty from the service code's product, its purchase date and
the policy, with the rule and the dates in the reason; in-warranty work is billed to the brand."""

from app.clients import service as clients
from app.clients.schemas import ClientCreate
from app.warranty.decisions import add_months
from tests.app.orders.stories import expect_problem
from tests.app.warranty.builders import decision, make_brand, post_order, register, today, years_ago
from tests.factories import ClientCreds, ops_headers


def test_a_repair_within_the_whole_unit_cover_is_in_warranty_and_billed_to_the_brand(api, db):
    brand = make_brand(db)
    bought = years_ago(0.5)
    product = register(api, brand, serial="GR-IN-1", purchase_date=bought.isoformat())
    job = post_order(api, brand, serial="GR-IN-1")
    d = decision(api, job["id"], brand.headers)
    assert d["status"] == "in_warranty" and d["bill_to_brand"] is True
    assert d["product_id"] == product["id"] and d["brand_client_id"] == str(brand.id)
    assert d["purchase_date"] == bought.isoformat() and d["purchase_date_source"] == "product"
    until = add_months(bought, 12)
    assert d["whole_unit_until"] == until.isoformat() and d["decided_for"] == today().isoformat()
    assert f"购买于 {bought}" in d["reason_zh"] and f"整机保修 12 个月至 {until}" in d["reason_zh"]
    assert "在保修期内" in d["reason_zh"] and "in warranty" in d["reason_en"]
    assert d["rework_of_job_id"] is None


def test_past_the_whole_unit_but_within_key_part_cover_is_key_parts_only(api, db):
    brand = make_brand(db)
    bought = years_ago(2)
    register(api, brand, serial="GR-KP-1", purchase_date=bought.isoformat())
    d = decision(api, post_order(api, brand, serial="GR-KP-1")["id"], brand.headers)
    assert d["status"] == "key_parts_only" and d["bill_to_brand"] is True
    assert d["key_parts_until"] == add_months(bought, 36).isoformat()
    assert f"整机保修 12 个月至 {add_months(bought, 12)}，已过期" in d["reason_zh"]
    assert f"压缩机保修 36 个月至 {add_months(bought, 36)}，仍在保" in d["reason_zh"]
    assert "only if the fault is in the compressor" in d["reason_en"]
    assert [p["code"] for p in d["key_parts"]] == ["compressor"]


def test_past_every_cover_is_out_of_warranty_and_not_billed_to_the_brand(api, db):
    brand = make_brand(db)
    bought = years_ago(4)
    register(api, brand, serial="GR-OUT-1", purchase_date=bought.isoformat())
    d = decision(api, post_order(api, brand, serial="GR-OUT-1")["id"], brand.headers)
    assert d["status"] == "out_of_warranty" and d["bill_to_brand"] is False
    assert f"压缩机保修 36 个月至 {add_months(bought, 36)}，已过期" in d["reason_zh"]
    assert "expired" in d["reason_en"]


def test_without_a_registered_product_or_a_purchase_date_the_decision_is_unknown_and_says_why(api, db):
    brand = make_brand(db)
    d = decision(api, post_order(api, brand, serial="NOBODY-1")["id"], brand.headers)
    assert d["status"] == "unknown" and d["bill_to_brand"] is False and d["purchase_date"] is None
    assert "序列号 NOBODY-1 未登记" in d["reason_zh"] and "no purchase date" in d["reason_en"]
    d = decision(api, post_order(api, brand)["id"], brand.headers)
    assert d["status"] == "unknown" and "neither a serial number nor a purchase date" in d["reason_en"]


def test_an_unregistered_appliance_is_decided_from_the_purchase_date_on_the_order(api, db):
    brand = make_brand(db)
    bought = years_ago(0.25)
    d = decision(api, post_order(api, brand, serial="PAPER-1", purchase_date=bought)["id"], brand.headers)
    assert d["status"] == "in_warranty" and d["purchase_date_source"] == "order" and d["product_id"] is None
    assert "工单填写，未核实" in d["reason_zh"] and "not verified" in d["reason_en"]


def test_the_brands_own_policy_overrides_the_default(api, db):
    brand = make_brand(db)
    policy = {"whole_unit_months": 72, "key_part_months": 120,
              "key_parts": [{"code": "compressor", "name_zh": "压缩机", "name_en": "compressor"}]}
    assert api.put("/v1/warranty-policies/air_conditioner", json=policy, headers=brand.headers).status_code == 200
    bought = years_ago(2)
    register(api, brand, serial="GR-LONG-1", purchase_date=bought.isoformat())
    d = decision(api, post_order(api, brand, serial="GR-LONG-1")["id"], brand.headers)
    assert d["status"] == "in_warranty"  # the default (12 months) would have said key_parts_only
    assert "品牌保修政策" in d["reason_zh"] and f"整机保修 72 个月至 {add_months(bought, 72)}" in d["reason_zh"]


def test_a_channel_the_brand_excludes_is_out_of_warranty(api, db):
    brand = make_brand(db)
    policy = {"whole_unit_months": 12, "key_part_months": 36, "excluded_channels": ["other"],
              "key_parts": [{"code": "compressor", "name_zh": "压缩机", "name_en": "compressor"}]}
    api.put("/v1/warranty-policies/air_conditioner", json=policy, headers=brand.headers)
    register(api, brand, serial="GREY-1", channel="other", purchase_date=years_ago(0.2).isoformat())
    d = decision(api, post_order(api, brand, serial="GREY-1")["id"], brand.headers)
    assert d["status"] == "out_of_warranty" and d["bill_to_brand"] is False
    assert "渠道 other" in d["reason_zh"]


def test_maintenance_in_warranty_is_still_paid_by_the_consumer(api, db):
    brand = make_brand(db)
    register(api, brand, serial="GR-CLEAN-1")
    d = decision(api, post_order(api, brand, "maintenance", serial="GR-CLEAN-1")["id"], brand.headers)
    assert d["status"] == "in_warranty" and d["bill_to_brand"] is False
    assert "保养" in d["reason_zh"]


def test_a_shops_order_finds_the_product_the_brand_registered(api, db):
    brand = make_brand(db)
    register(api, brand, serial="GR-SHOP-1")
    shop = clients.create_client(db, ClientCreate(name="国美门店", kind="shop"))
    _, key = clients.issue_api_key(db, shop.id)
    db.commit()
    job = post_order(api, ClientCreds(shop.id, key), serial="GR-SHOP-1", brand="Gree")
    d = decision(api, job["id"], ops_headers(api, db))
    assert d["status"] == "in_warranty" and d["brand_client_id"] == str(brand.id) and d["bill_to_brand"] is True
    other = post_order(api, ClientCreds(shop.id, key), serial="GR-SHOP-1", brand="美的 Midea")
    assert decision(api, other["id"], ops_headers(api, db))["product_id"] is None


def test_only_those_who_see_the_job_see_its_decision(api, db):
    brand, stranger = make_brand(db), make_brand(db, "海尔 Haier")
    job = post_order(api, brand)
    expect_problem(api.get(f"/v1/jobs/{job['id']}/warranty", headers=stranger.headers), 404)
    assert api.get(f"/v1/jobs/{job['id']}/warranty", headers=ops_headers(api, db)).status_code == 200
    install = post_order(api, brand, "install")
    expect_problem(api.get(f"/v1/jobs/{install['id']}/warranty", headers=brand.headers), 404)
