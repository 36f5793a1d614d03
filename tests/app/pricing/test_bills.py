"""The bill: base labour plus confirmed extras only, who pays each line, frozen at completion with the
technician's payout computed by the provider's rule."""

from types import SimpleNamespace

import pytest

from app.actors import Actor
from app.errors import ProblemError
from app.pricing import billing
from app.pricing.charges import refuse_completion_while_pending
from app.technicians.models import ProviderCompany
from tests.app.pricing.builders import Story, add, complete, line_codes, tracked_order, work
from tests.factories import make_client, make_order, make_technician, ops_headers, technician_headers


def test_ac_install_with_a_confirmed_pipe_and_a_rejected_bracket_bills_base_and_pipe_only(api, story):
    pipe = add(api, story, "copper_pipe_small", 3, note="加长 3 米").json()
    bracket = add(api, story, "bracket_stainless").json()
    assert api.post(story.track(f"/charges/{pipe['id']}/confirm")).status_code == 200
    r = api.post(story.track(f"/charges/{bracket['id']}/reject"), json={"reason": "家里已有支架"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"

    bill = api.get(f"/v1/jobs/{story.job.id}/bill", headers=story.ops).json()
    assert bill["status"] == "draft"
    assert line_codes(bill) == ["labour.install", "copper_pipe_small"]
    assert [(ln["unit_price_cents"], ln["quantity"], ln["amount_cents"]) for ln in bill["lines"]] == [
        (20000, 1, 20000), (7000, 3, 21000)]
    assert all(ln["payer"] == "consumer" for ln in bill["lines"])
    assert (bill["consumer_cents"], bill["brand_cents"], bill["total_cents"]) == (41000, 0, 41000)
    assert bill["lines"][1]["charge_id"] == pipe["id"]
    # The consumer sees the same through the tracking link.
    mine = api.get(story.track("/bill")).json()
    assert mine["consumer_cents"] == 41000 and line_codes(mine["bills"][0]) == ["labour.install", "copper_pipe_small"]
    assert "brand_client_id" not in mine["bills"][0]


def test_pending_rejected_and_withdrawn_charges_never_reach_the_bill(api, story):
    add(api, story, "drain_pipe", 4)  # left waiting for the consumer
    rejected = add(api, story, "power_cable", 5).json()
    withdrawn = add(api, story, "air_switch").json()
    custom = api.post(story.charges_url, json={"custom": {
        "name_zh": "空调清洗", "unit_price_cents": 8000, "quantity": 1, "reason": "顺便清洗"}}, headers=story.tech_h).json()
    api.post(story.track(f"/charges/{rejected['id']}/reject"))
    api.post(f"/v1/charges/{withdrawn['id']}/withdraw", headers=story.tech_h)
    assert custom["status"] == "awaiting_approval"
    for headers in (story.ops, story.client.headers, story.tech_h):
        bill = api.get(f"/v1/jobs/{story.job.id}/bill", headers=headers).json()
        assert line_codes(bill) == ["labour.install"] and bill["total_cents"] == 20000
    assert line_codes(api.get(story.track("/bill")).json()["bills"][0]) == ["labour.install"]


def test_completing_with_a_charge_still_waiting_is_refused(api, db, story):
    charge = add(api, story, "drain_pipe", 2).json()
    r = api.post(f"/v1/jobs/{story.job.id}/transitions", json={"action": "complete"}, headers=story.tech_h)
    # The checklist's charges_settled node, when the job has a checklist, refuses first; pricing refuses anyway.
    assert r.status_code == 409 and r.json()["type"].rsplit("/", 1)[1] in ("charges-pending", "checklist-incomplete")
    assert api.get(f"/v1/jobs/{story.job.id}", headers=story.ops).json()["status"] == "in_progress"
    db.refresh(story.job)
    with pytest.raises(ProblemError) as refused:
        refuse_completion_while_pending(db, story.job)
    assert refused.value.status == 409 and [p["id"] for p in refused.value.extra["pending"]] == [charge["id"]]


def _complete_with_extras(api, db, story: Story) -> dict:
    pipe = add(api, story, "copper_pipe_small", 3).json()
    height = add(api, story, "work_at_height").json()
    for c in (pipe, height):
        assert api.post(story.track(f"/charges/{c['id']}/confirm")).status_code == 200
    assert api.post(f"/v1/jobs/{story.job.id}/charges/close", headers=story.tech_h).status_code == 200
    r = complete(api, db, story)
    assert r.status_code == 200, r.text
    return api.get(f"/v1/jobs/{story.job.id}/bill", headers=story.ops).json()


def test_bill_is_frozen_at_completion_and_the_payout_follows_the_provider_rule(api, db):
    provider = ProviderCompany(name="杭州安心家电服务部", payout_share_bp=7000)
    db.add(provider)
    db.commit()
    client = make_client(db)
    order, (job,), token = tracked_order(db, client.id, service_type="install")
    tech = make_technician(db)
    tech.provider_id = provider.id
    db.commit()
    work(db, job, tech)
    story = Story(client, order, job, tech, token, ops_headers(api, db), technician_headers(api, tech))
    rule = {"labour_share_bp": 7000, "parts_share_bp": 1500, "surcharge_share_bp": 10000, "per_job_fee_cents": 500}
    r = api.put(f"/v1/providers/{provider.id}/payout-rule", json=rule, headers=story.ops)
    assert r.status_code == 200 and r.json()["source"] == "provider_rule"

    bill = _complete_with_extras(api, db, story)
    assert bill["status"] == "frozen" and bill["frozen_at"].endswith("+08:00")
    assert line_codes(bill) == ["labour.install", "copper_pipe_small", "work_at_height"]
    assert bill["total_cents"] == 20000 + 21000 + 15000

    # labour 20000 x 70% + parts 21000 x 15% + surcharges 15000 x 100% - 500 fee
    expected = 14000 + 3150 + 15000 - 500
    mine = api.get("/v1/technicians/me/payouts", headers=story.tech_h).json()["items"]
    assert [(p["job_id"], p["amount_cents"]) for p in mine] == [(str(job.id), expected)]
    breakdown = mine[0]["breakdown"]
    assert breakdown["rule"]["source"] == "provider_rule"
    assert breakdown["parts"] == {"base_cents": 21000, "share_bp": 1500, "amount_cents": 3150}
    listed = api.get("/v1/payouts", params={"technician_id": str(tech.id)}, headers=story.ops).json()["items"]
    assert [p["amount_cents"] for p in listed] == [expected]
    assert api.get("/v1/payouts", headers=story.tech_h).status_code == 403

    # Frozen means frozen: a new price list after completion changes nothing on this bill.
    items = api.get("/v1/price-lists/air_conditioner", headers=client.headers).json()["items"]
    for i in items:
        i["unit_price_cents"] += 1000
    fields = ("kind", "code", "service_type", "name_zh", "name_en", "unit", "unit_price_cents", "max_quantity")
    r = api.put("/v1/price-lists/air_conditioner", json={"items": [{k: i[k] for k in fields} for i in items]},
                headers=client.headers)
    assert r.status_code == 200, r.text
    again = api.get(f"/v1/jobs/{job.id}/bill", headers=story.ops).json()
    assert again == bill


def test_technician_without_a_provider_is_paid_by_the_platform_default(api, db, story):
    _complete_with_extras(api, db, story)
    (payout,) = api.get("/v1/technicians/me/payouts", headers=story.tech_h).json()["items"]
    d = billing.PLATFORM_DEFAULT_RULE
    expected = (20000 * d["labour_share_bp"] + 21000 * d["parts_share_bp"] + 15000 * d["surcharge_share_bp"]) // 10000
    assert payout["breakdown"]["rule"]["source"] == "platform_default"
    assert payout["amount_cents"] == expected - d["per_job_fee_cents"] == 16000 + 4200 + 13500


def test_provider_without_its_own_rule_pays_its_payout_share(db):
    provider = ProviderCompany(name="滨江快修", payout_share_bp=6500)
    db.add(provider)
    db.flush()
    rule = billing.rule_for_provider(db, provider.id)
    assert rule["source"] == "provider_share" and rule["labour_share_bp"] == 6500
    assert rule["parts_share_bp"] == billing.PLATFORM_DEFAULT_RULE["parts_share_bp"]


def test_payout_rule_refuses_shares_over_100_percent(api, db, story):
    provider = ProviderCompany(name="西湖家电")
    db.add(provider)
    db.commit()
    body = {"labour_share_bp": 10001, "parts_share_bp": 0, "surcharge_share_bp": 0}
    r = api.put(f"/v1/providers/{provider.id}/payout-rule", json=body, headers=story.ops)
    assert r.status_code == 422 and r.json()["field"] == "labour_share_bp"
    r = api.put(f"/v1/providers/{story.job.id}/payout-rule", json={**body, "labour_share_bp": 1}, headers=story.ops)
    assert r.status_code == 404


@pytest.fixture
def in_warranty(monkeypatch):
    decision = SimpleNamespace(status="in_warranty", reason_zh="整机保修期内（购买 8 个月）",
                               reason_en="Whole unit under warranty (bought 8 months ago)", bill_to_brand=True)
    monkeypatch.setattr(billing, "warranty_decision", lambda session, job: decision)
    return decision


def test_in_warranty_labour_and_parts_go_to_the_brand_surcharges_stay_with_the_consumer(api, story, in_warranty):
    for code in ("copper_pipe_small", "after_hours"):
        c = add(api, story, code).json()
        api.post(story.track(f"/charges/{c['id']}/confirm"))
    bill = api.get(f"/v1/jobs/{story.job.id}/bill", headers=story.client.headers).json()
    assert [(ln["code"], ln["payer"]) for ln in bill["lines"]] == [
        ("labour.install", "brand"), ("copper_pipe_small", "brand"), ("after_hours", "consumer")]
    assert (bill["brand_cents"], bill["consumer_cents"]) == (27000, 5000)
    assert bill["warranty"]["status"] == "in_warranty" and bill["warranty"]["reason_zh"].startswith("整机")
    assert bill["brand_client_id"] == str(story.client.id)


def test_when_only_key_parts_are_covered_the_brand_pays_labour_and_the_key_part_only(api, db, monkeypatch):
    decision = SimpleNamespace(status="key_parts_only", reason_zh="整机保修已过，压缩机仍在保", reason_en="key parts only",
                               bill_to_brand=True, key_parts=[{"code": "compressor", "name_zh": "压缩机"}])
    monkeypatch.setattr(billing, "warranty_decision", lambda session, job: decision)
    client = make_client(db)
    order, (job,), token = tracked_order(db, client.id, service_type="repair")
    tech = make_technician(db)
    work(db, job, tech)
    story = Story(client, order, job, tech, token, ops_headers(api, db), technician_headers(api, tech))
    for code in ("compressor", "start_capacitor", "after_hours"):
        c = add(api, story, code).json()
        api.post(story.track(f"/charges/{c['id']}/confirm"))
    bill = api.get(f"/v1/jobs/{job.id}/bill", headers=story.ops).json()
    assert [(ln["code"], ln["payer"]) for ln in bill["lines"]] == [
        ("labour.repair", "brand"), ("compressor", "brand"), ("start_capacitor", "consumer"), ("after_hours", "consumer")]
    assert (bill["brand_cents"], bill["consumer_cents"]) == (12000 + 150000, 6000 + 5000)


@pytest.mark.parametrize("warranty", ["not built", "no decision"])
def test_without_a_warranty_decision_the_consumer_pays(api, story, monkeypatch, warranty):
    import sys

    module = None if warranty == "not built" else SimpleNamespace(decision_for_job=lambda session, job: None)
    monkeypatch.setitem(sys.modules, "app.warranty.service", module)
    c = add(api, story, "copper_pipe_small").json()
    api.post(story.track(f"/charges/{c['id']}/confirm"))
    bill = api.get(f"/v1/jobs/{story.job.id}/bill", headers=story.ops).json()
    assert bill["warranty"] is None and bill["brand_cents"] == 0 and bill["consumer_cents"] == 27000
    assert {ln["payer"] for ln in bill["lines"]} == {"consumer"}


def test_a_delivery_of_several_appliances_bills_each_ones_labour(api, db, story):
    _, (delivery, _, tv_install) = make_order(
        db, story.client.id, service_type="delivery_install", categories=("air_conditioner", "tv"))
    bill = api.get(f"/v1/jobs/{delivery.id}/bill", headers=story.ops).json()
    assert [(ln["name_zh"], ln["amount_cents"]) for ln in bill["lines"]] == [
        ("空调配送基础工费", 5000), ("电视配送基础工费", 3000)]
    assert bill["total_cents"] == delivery.base_price_cents
    tv = api.get(f"/v1/jobs/{tv_install.id}/bill", headers=story.ops).json()
    assert [(ln["code"], ln["amount_cents"]) for ln in tv["lines"]] == [("labour.install", 8000)]
