"""Extra charges: only from the job's price list (or custom with ops approval), each confirmed or
rejected by the consumer through the tracking link, closed by the technician when there are no more."""

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from app.actors import Actor
from app.events.models import Event
from app.jobs import service as jobs
from tests.app.pricing.builders import add, tracked_order, work
from tests.factories import make_client, make_technician, technician_headers


def test_technician_sees_the_parts_and_surcharges_it_may_add(api, story):
    r = api.get(f"/v1/jobs/{story.job.id}/price-items", headers=story.tech_h)
    assert r.status_code == 200, r.text
    body = r.json()
    codes = {i["code"]: i for i in body["items"]}
    assert body["is_default"] is True
    assert codes["copper_pipe_small"]["unit"] == "metre" and codes["copper_pipe_small"]["unit_zh"] == "米"
    assert codes["copper_pipe_small"]["unit_price_cents"] == 7000 and codes["copper_pipe_small"]["max_quantity"] == 20
    assert codes["work_at_height"]["kind"] == "surcharge"
    assert not [i for i in body["items"] if i["kind"] == "labour"]  # labour is the base line, not an extra


def test_a_listed_item_goes_straight_to_the_consumer_with_the_list_price(api, story):
    r = add(api, story, "copper_pipe_small", 3, note="外机位置远，需加长 3 米")
    assert r.status_code == 201, r.text
    charge = r.json()
    assert charge["status"] == "awaiting_consumer"
    assert (charge["unit_price_cents"], charge["quantity"], charge["amount_cents"]) == (7000, 3, 21000)
    assert charge["name_zh"].startswith("铜管加长")
    seen = api.get(story.track("/charges")).json()
    assert [(c["id"], c["status"], c["amount_cents"]) for c in seen] == [(charge["id"], "awaiting_consumer", 21000)]
    assert "technician_id" not in seen[0] and "history" not in seen[0]


def test_custom_charge_needs_ops_approval_before_the_consumer_sees_it(api, story):
    body = {"custom": {"name_zh": "外机墙面加固", "name_en": "Wall reinforcement", "unit_price_cents": 8000,
                       "quantity": 1, "reason": "墙体空心砖，需加固"}}
    r = api.post(story.charges_url, json=body, headers=story.tech_h)
    assert r.status_code == 201, r.text
    charge = r.json()
    assert charge["status"] == "awaiting_approval" and charge["custom"] is True
    assert api.get(story.track("/charges")).json() == []
    r = api.post(story.track(f"/charges/{charge['id']}/confirm"))
    assert r.status_code == 404  # the consumer cannot confirm what ops has not approved

    r = api.get("/v1/charges", params={"status": "awaiting_approval"}, headers=story.ops)
    assert [c["id"] for c in r.json()["items"]] == [charge["id"]]
    r = api.post(f"/v1/charges/{charge['id']}/approve", headers=story.ops)
    assert r.status_code == 200 and r.json()["status"] == "awaiting_consumer"
    assert [c["id"] for c in api.get(story.track("/charges")).json()] == [charge["id"]]
    r = api.post(story.track(f"/charges/{charge['id']}/confirm"))
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    bill = api.get(f"/v1/jobs/{story.job.id}/bill", headers=story.ops).json()
    assert [ln["name_zh"] for ln in bill["lines"]][1:] == ["外机墙面加固"]


def test_custom_charge_ops_rejects_never_reaches_the_consumer(api, story):
    body = {"custom": {"name_zh": "辅材费", "unit_price_cents": 30000, "quantity": 1, "reason": "杂项"}}
    charge = api.post(story.charges_url, json=body, headers=story.tech_h).json()
    r = api.post(f"/v1/charges/{charge['id']}/reject", json={"reason": "辅材已含在安装费中"}, headers=story.ops)
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert r.json()["decision_reason"] == "辅材已含在安装费中"
    assert api.get(story.track("/charges")).json() == []
    r = api.post(f"/v1/charges/{charge['id']}/approve", headers=story.ops)
    assert r.status_code == 409 and r.json()["current_status"] == "rejected"


def test_item_not_on_the_list_is_422_naming_item_code_and_writes_nothing(api, story):
    for code in ("gold_plated_hose", "bracket_swivel", "labour.install"):  # unknown, a TV item, labour
        r = add(api, story, code)
        assert r.status_code == 422, (code, r.text)
        assert r.json()["field"] == "item_code"
        assert "bracket_fixed" not in r.json()["detail"]  # names no list's contents
    r = api.post(story.charges_url, json={"quantity": 1}, headers=story.tech_h)
    assert r.status_code == 422 and r.json()["field"] == "item_code"
    assert api.get(story.charges_url, headers=story.ops).json()["charges"] == []


def test_quantity_over_the_maximum_is_422_also_across_charges(api, story):
    r = add(api, story, "copper_pipe_small", 21)
    assert r.status_code == 422 and r.json()["field"] == "quantity"
    assert "20" in r.json()["detail"]
    assert add(api, story, "copper_pipe_small", 15).status_code == 201
    r = add(api, story, "copper_pipe_small", 6)
    assert r.status_code == 422 and r.json()["field"] == "quantity" and "15 already" in r.json()["detail"]
    r = api.post(story.charges_url, json={"item_code": "drain_pipe", "quantity": 0}, headers=story.tech_h)
    assert r.status_code == 422 and r.json()["field"] == "quantity"
    body = {"custom": {"name_zh": "x", "unit_price_cents": -5, "quantity": 1, "reason": "r"}}
    r = api.post(story.charges_url, json=body, headers=story.tech_h)
    assert r.status_code == 422 and r.json()["field"] == "custom.unit_price_cents"


def test_another_technician_cannot_add_withdraw_or_see_the_money(api, db, story):
    charge = add(api, story, "drain_pipe", 2).json()
    other = technician_headers(api, make_technician(db, name="赵师傅"))
    assert add(api, replace(story, tech_h=other), "drain_pipe").status_code == 404
    assert api.post(f"/v1/charges/{charge['id']}/withdraw", headers=other).status_code == 404
    assert api.get(f"/v1/jobs/{story.job.id}/bill", headers=other).status_code == 404
    assert api.post(f"/v1/jobs/{story.job.id}/charges/close", headers=other).status_code == 404
    # Only the technician adds charges; ops and clients do not, and approving is for ops alone.
    assert api.post(story.charges_url, json={"item_code": "drain_pipe"}, headers=story.ops).status_code == 403
    assert api.post(f"/v1/charges/{charge['id']}/approve", headers=story.tech_h).status_code == 403
    stranger = make_client(db)
    assert api.get(f"/v1/jobs/{story.job.id}/bill", headers=stranger.headers).status_code == 404
    assert api.get(f"/v1/jobs/{story.job.id}/bill", headers=story.client.headers).status_code == 200


def test_another_orders_token_cannot_see_or_decide_the_charges(api, db, story):
    charge = add(api, story, "drain_pipe", 2).json()
    _, (other_job,), other_token = tracked_order(db, story.client.id)
    assert api.post(f"/v1/track/{other_token}/charges/{charge['id']}/confirm").status_code == 404
    assert api.post(f"/v1/track/{other_token}/charges/{charge['id']}/reject").status_code == 404
    assert api.get(f"/v1/track/{other_token}/charges").json() == []
    assert api.post(f"/v1/track/trk_nonsense/charges/{charge['id']}/confirm").status_code == 404
    assert api.get(story.track("/charges")).json()[0]["status"] == "awaiting_consumer"


def test_every_change_of_state_is_checked_and_names_the_current_state(api, story):
    pipe = add(api, story, "copper_pipe_small", 2).json()
    assert api.post(story.track(f"/charges/{pipe['id']}/confirm")).status_code == 200
    for url, headers in ((story.track(f"/charges/{pipe['id']}/confirm"), {}),
                         (story.track(f"/charges/{pipe['id']}/reject"), {}),
                         (f"/v1/charges/{pipe['id']}/withdraw", story.tech_h),
                         (f"/v1/charges/{pipe['id']}/approve", story.ops)):
        r = api.post(url, headers=headers)
        assert r.status_code == 409, (url, r.text)
        assert r.json()["current_status"] == "confirmed" and "confirmed" in r.json()["detail"]

    bracket = add(api, story, "bracket_standard").json()
    r = api.post(f"/v1/charges/{bracket['id']}/withdraw", json={"reason": "用户自备支架"}, headers=story.tech_h)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    assert [h["to"] for h in r.json()["history"]] == ["awaiting_consumer", "withdrawn"]
    r = api.post(story.track(f"/charges/{bracket['id']}/confirm"))
    assert r.status_code == 409 and r.json()["current_status"] == "withdrawn"


def test_charges_only_while_the_job_is_held_by_its_technician(api, db):
    client = make_client(db)
    _, (job,), _ = tracked_order(db, client.id, service_type="install")
    tech = make_technician(db)
    th = technician_headers(api, tech)
    url = f"/v1/jobs/{job.id}/charges"
    assert api.post(url, json={"item_code": "drain_pipe"}, headers=th).status_code == 404  # not theirs yet
    work(db, job, tech, until="accept")
    r = api.post(url, json={"item_code": "drain_pipe"}, headers=th)  # a quote agreed on the phone
    assert r.status_code == 201, r.text
    me = Actor("technician", str(tech.id))
    jobs.act(db, job, "schedule", me, scheduled_start=job.window_start)
    jobs.act(db, job, "depart", me)
    jobs.act(db, job, "fail", me, reason="consumer not at home")
    db.commit()
    r = api.post(url, json={"item_code": "drain_pipe"}, headers=th)
    assert r.status_code == 409 and r.json()["current_status"] == "failed"


def test_a_failed_job_withdraws_what_was_still_waiting(api, db, story):
    charge = add(api, story, "drain_pipe").json()
    r = api.post(f"/v1/jobs/{story.job.id}/transitions", json={"action": "fail", "reason": "缺配件"},
                 headers=story.tech_h)
    assert r.status_code == 200, r.text
    seen = api.get(story.track("/charges")).json()
    assert [(c["id"], c["status"]) for c in seen] == [(charge["id"], "withdrawn")]


def _settled_events(db, job_id) -> int:
    return db.scalar(select(func.count()).select_from(Event).where(
        Event.job_id == job_id, Event.type == "job.charges_settled"))


def test_close_with_a_pending_charge_is_409_listing_it(api, db, story):
    pipe = add(api, story, "copper_pipe_small", 3).json()
    custom = api.post(story.charges_url, json={"custom": {
        "name_zh": "旧机拆除", "unit_price_cents": 5000, "quantity": 1, "reason": "用户要求"}}, headers=story.tech_h).json()
    close = f"/v1/jobs/{story.job.id}/charges/close"
    r = api.post(close, headers=story.tech_h)
    assert r.status_code == 409
    body = r.json()
    assert body["type"].endswith("/charges-pending")
    assert {(p["id"], p["status"]) for p in body["pending"]} == {
        (pipe["id"], "awaiting_consumer"), (custom["id"], "awaiting_approval")}
    assert _settled_events(db, story.job.id) == 0
    assert api.get(story.charges_url, headers=story.ops).json()["closed"] is False  # the refusal wrote nothing

    api.post(story.track(f"/charges/{pipe['id']}/confirm"))
    api.post(f"/v1/charges/{custom['id']}/reject", json={"reason": "不在服务范围"}, headers=story.ops)
    r = api.post(close, headers=story.tech_h)
    assert r.status_code == 200, r.text
    assert r.json()["closed"] is True
    assert _settled_events(db, story.job.id) == 1
    r = add(api, story, "drain_pipe")
    assert r.status_code == 409 and r.json()["current_status"] == "closed"
    assert api.post(close, headers=story.tech_h).status_code == 409


@pytest.mark.parametrize("body, field", [
    ({"item_code": "drain_pipe", "custom": {"name_zh": "x", "unit_price_cents": 1, "quantity": 1, "reason": "r"}},
     "item_code"),
    ({"custom": {"name_zh": "x", "unit_price_cents": 1, "quantity": 1, "reason": "r"}, "quantity": 2}, "quantity"),
    ({"item_code": "drain_pipe", "price": 1}, "price"),
    ({"custom": {"name_zh": "x", "unit_price_cents": 1, "quantity": 1}}, "custom.reason"),
])
def test_malformed_charges_are_422_naming_the_field(api, story, body, field):
    r = api.post(story.charges_url, json=body, headers=story.tech_h)
    assert r.status_code == 422 and r.json()["field"] == field, r.text
