"""Price lists: a platform default for every category shipped as data, each client's own list per
category overriding it for that client's orders, replaced as a whole and kept in versions."""

import json

import pytest

from app.catalogue.service import catalogue_data
from app.pricing.service import default_data, load_default_prices
from tests.app.pricing.builders import add, tracked_order, work
from tests.factories import make_client, make_order, make_technician, technician_headers

AC_LIST = [
    {"kind": "labour", "code": "labour.install", "service_type": "install", "name_zh": "空调安装（含 3 米铜管）",
     "name_en": "AC installation (3 m pipe included)", "unit": "each", "unit_price_cents": 25000, "max_quantity": 5},
    {"kind": "part", "code": "copper_pipe", "name_zh": "铜管加长", "name_en": "Copper pipe extension",
     "unit": "metre", "unit_price_cents": 8000, "max_quantity": 15},
    {"kind": "surcharge", "code": "work_at_height", "name_zh": "高空作业费", "name_en": "Work at height",
     "unit": "each", "unit_price_cents": 10000, "max_quantity": 1},
]


def test_the_default_list_covers_every_category_and_service_and_loads_once(db):
    categories = {c["code"] for c in catalogue_data()["categories"]}
    lists = {entry["category"]: entry["items"] for entry in default_data()["lists"]}
    assert set(lists) == categories and len(categories) == 9
    services = {e["service_type"] for e in catalogue_data()["entries"]}
    for category, items in lists.items():
        assert {i["service_type"] for i in items if i["kind"] == "labour"} == services, category
        assert sum(i["kind"] == "part" for i in items) >= 4, category
        assert any(i["kind"] == "surcharge" for i in items), category
    assert load_default_prices(db) == 0  # the fixture loaded it; a second load adds nothing


def test_a_clients_own_list_overrides_the_default_for_its_orders_only(api, db):
    client = make_client(db)
    r = api.put("/v1/price-lists/air_conditioner", json={"items": AC_LIST}, headers=client.headers)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 1 and r.json()["client_id"] == str(client.id) and r.json()["is_default"] is False

    tech = make_technician(db)
    th = technician_headers(api, tech)
    _, (job,), _ = tracked_order(db, client.id, service_type="install")
    _, (booked,) = make_order(db, None, service_type="install")  # a consumer's own booking
    other = make_client(db)
    _, (others_job,) = make_order(db, other.id, service_type="install")
    for j in (job, booked, others_job):
        work(db, j, tech, until="accept")
    codes = {j.id: {i["code"] for i in api.get(f"/v1/jobs/{j.id}/price-items", headers=th).json()["items"]}
             for j in (job, booked, others_job)}
    assert codes[job.id] == {"copper_pipe", "work_at_height"}
    assert "copper_pipe_small" in codes[booked.id] and codes[booked.id] == codes[others_job.id]
    bill = api.get(f"/v1/jobs/{job.id}/bill", headers=client.headers).json()
    assert bill["lines"][0]["unit_price_cents"] == 25000 and bill["lines"][0]["name_zh"].startswith("空调安装（含")
    default_bill = api.get(f"/v1/jobs/{booked.id}/bill", headers=th).json()
    assert default_bill["lines"][0]["unit_price_cents"] == 20000


def test_replacing_a_list_keeps_charges_already_added_and_keeps_the_old_version(api, db, story):
    r = api.put("/v1/price-lists/air_conditioner", json={"items": AC_LIST}, headers=story.client.headers)
    first = add(api, story, "copper_pipe", 3).json()
    assert first["unit_price_cents"] == 8000
    dearer = [dict(i, unit_price_cents=i["unit_price_cents"] + 1000) for i in AC_LIST]
    r = api.put("/v1/price-lists/air_conditioner", json={"items": dearer}, headers=story.client.headers)
    assert r.status_code == 200 and r.json()["version"] == 2
    second = add(api, story, "copper_pipe", 2).json()
    assert second["unit_price_cents"] == 9000
    charges = {c["id"]: c for c in api.get(story.charges_url, headers=story.ops).json()["charges"]}
    assert (charges[first["id"]]["unit_price_cents"], charges[first["id"]]["amount_cents"]) == (8000, 24000)
    # The same items again are not a new version.
    r = api.put("/v1/price-lists/air_conditioner", json={"items": dearer}, headers=story.client.headers)
    assert r.json()["version"] == 2
    got = api.get("/v1/price-lists/air_conditioner", params={"client_id": str(story.client.id)}, headers=story.ops)
    assert got.json()["version"] == 2 and got.json()["items"][1]["unit_price_cents"] == 9000


@pytest.mark.parametrize("index, change, field", [
    (1, {"unit_price_cents": -100}, "items[1].unit_price_cents"),
    (1, {"max_quantity": 0}, "items[1].max_quantity"),
    (2, {"unit": "bucket"}, "items[2].unit"),
    (2, {"code": "copper_pipe"}, "items[2].code"),  # duplicate
    (0, {"service_type": None}, "items[0].service_type"),  # labour must name its service
    (0, {"service_type": "teleport"}, "items[0].service_type"),
    (1, {"service_type": "install"}, "items[1].service_type"),  # only labour names one
    (2, {"kind": "gift"}, "items[2].kind"),
    (1, {"name_zh": ""}, "items[1].name_zh"),
    (1, {"code": "Copper Pipe!"}, "items[1].code"),
    (1, {"price": 1}, "items[1].price"),
])
def test_every_item_is_validated_naming_it_and_a_refused_list_changes_nothing(api, db, index, change, field):
    client = make_client(db)
    items = json.loads(json.dumps(AC_LIST))
    items[index].update(change)
    r = api.put("/v1/price-lists/air_conditioner", json={"items": items}, headers=client.headers)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field
    got = api.get("/v1/price-lists/air_conditioner", headers=client.headers).json()
    assert got["is_default"] is True


def test_who_may_read_and_write_price_lists(api, db, story):
    client, ops = story.client, story.ops
    other = make_client(db)
    api.put("/v1/price-lists/air_conditioner", json={"items": AC_LIST}, headers=other.headers)
    assert api.put("/v1/price-lists/air_conditioner", json={"items": AC_LIST}, headers=ops).status_code == 403
    assert api.put("/v1/price-lists/air_conditioner", json={"items": AC_LIST}, headers=story.tech_h).status_code == 403
    assert api.get("/v1/price-lists/air_conditioner", headers=story.tech_h).status_code == 403
    # A client reads what applies to it, never another client's list.
    mine = api.get("/v1/price-lists/air_conditioner", headers=client.headers).json()
    assert mine["is_default"] is True
    r = api.get("/v1/price-lists/air_conditioner", params={"client_id": str(other.id)}, headers=client.headers)
    assert r.status_code == 404
    theirs = api.get("/v1/price-lists/air_conditioner", params={"client_id": str(other.id)}, headers=ops).json()
    assert theirs["client_id"] == str(other.id)
    assert api.get("/v1/price-lists/air_conditioner", headers=ops).json()["is_default"] is True
    r = api.put("/v1/price-lists/spaceship", json={"items": AC_LIST}, headers=client.headers)
    assert r.status_code == 422 and r.json()["field"] == "category"


def test_the_consumer_can_read_the_published_prices_for_its_visit(api, story):
    (visit,) = api.get(story.track("/price-items")).json()
    assert visit["job_id"] == str(story.job.id)
    codes = {i["code"]: i["unit_price_cents"] for i in visit["items"]}
    assert codes["copper_pipe_small"] == 7000 and codes["bracket_standard"] == 10000
    assert api.get("/v1/track/trk_unknown/price-items").status_code == 404
