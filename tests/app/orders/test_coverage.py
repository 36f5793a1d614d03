"""Coverage and service hours at order time: an order no technician could ever serve is a 422 at once,
for brands and consumers alike, and brands can ask first with GET /v1/coverage."""

from datetime import datetime, timedelta, timezone

import pytest

from app.config import get_settings
from tests.app.orders.stories import expect_problem, order_body, order_count
from tests.factories import HANGZHOU, make_client, make_technician

SHANGHAI = timezone(timedelta(hours=8))
BEIJING = (116.40, 39.90)


def local_window(hour: int, hours: int = 2, days: int = 2) -> dict:
    day = (datetime.now(SHANGHAI) + timedelta(days=days)).date()
    start = datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)
    return {"start": start.isoformat(), "end": (start + timedelta(hours=hours)).isoformat()}


@pytest.fixture
def rules(monkeypatch):
    s = get_settings()
    monkeypatch.setattr(s, "require_coverage", True)
    monkeypatch.setattr(s, "service_hours", "08:00-21:00")
    return s


def test_an_order_outside_every_service_area_is_refused(api, db, rules):
    make_technician(db)  # covers a square around West Lake
    brand = make_client(db)
    before = order_count(db)
    body = order_body("repair", location={"lon": BEIJING[0], "lat": BEIJING[1]}, windows=[local_window(10)])
    problem = expect_problem(api.post("/v1/orders", json=body, headers=brand.headers), 422, "location")
    assert problem["type"].endswith("/not-covered") and "air_conditioner" in problem["detail"]
    assert order_count(db) == before
    inside = order_body("repair", windows=[local_window(10)])
    assert api.post("/v1/orders", json=inside, headers=brand.headers).status_code == 201


def test_coverage_counts_only_technicians_with_the_skills(api, db, rules):
    make_technician(db, skills=("tv_install",))
    brand = make_client(db)
    body = order_body("repair", windows=[local_window(10)])  # an air conditioner repair
    expect_problem(api.post("/v1/orders", json=body, headers=brand.headers), 422, "location")


def test_an_inactive_technician_covers_nothing(api, db, rules):
    tech = make_technician(db)
    tech.active = False
    db.commit()
    brand = make_client(db)
    body = order_body("repair", windows=[local_window(10)])
    expect_problem(api.post("/v1/orders", json=body, headers=brand.headers), 422, "location")


def test_a_window_outside_the_service_hours_is_refused(api, db, rules):
    make_technician(db)
    brand = make_client(db)
    night = order_body("repair", windows=[local_window(10), local_window(2)])
    problem = expect_problem(api.post("/v1/orders", json=night, headers=brand.headers), 422, "windows[1]")
    assert "08:00-21:00" in problem["detail"]
    # Touching the hours is enough: 07:00-09:00 can be visited at 08:00.
    early = order_body("repair", windows=[local_window(7)])
    assert api.post("/v1/orders", json=early, headers=brand.headers).status_code == 201


def test_consumers_are_refused_the_same_way(api, db, rules):
    make_technician(db)
    booking = {
        "service_type": "repair", "name": "王先生", "phone": "13900002222", "address": "北京市东城区",
        "location": {"lon": BEIJING[0], "lat": BEIJING[1]}, "windows": [local_window(10)],
        "appliance": {"category": "air_conditioner"}, "problem_description": "不制冷",
    }
    expect_problem(api.post("/v1/consumer/bookings", json=booking), 422, "location")
    booking["location"] = {"lon": HANGZHOU[0], "lat": HANGZHOU[1]}
    assert api.post("/v1/consumer/bookings", json=booking).status_code == 201


def test_brands_can_ask_first(api, db, rules):
    make_technician(db)
    brand = make_client(db)
    here = api.get(f"/v1/coverage?lon={HANGZHOU[0]}&lat={HANGZHOU[1]}&category=air_conditioner", headers=brand.headers)
    assert here.status_code == 200, here.text
    body = here.json()
    assert body["covered"] is True and body["service_hours"] == "08:00-21:00"
    repair = next(s for s in body["services"] if s["service_type"] == "repair")
    assert repair == {"service_type": "repair", "covered": True, "technicians": 1}
    there = api.get(f"/v1/coverage?lon={BEIJING[0]}&lat={BEIJING[1]}&category=air_conditioner", headers=brand.headers)
    assert there.json()["covered"] is False and all(not s["covered"] for s in there.json()["services"])
    one = api.get(f"/v1/coverage?lon={HANGZHOU[0]}&lat={HANGZHOU[1]}&category=air_conditioner&service_type=install",
                  headers=brand.headers).json()
    assert [s["service_type"] for s in one["services"]] == ["install"]
    expect_problem(api.get(f"/v1/coverage?lon=1&lat=1&category=spaceship", headers=brand.headers), 422, "category")
    expect_problem(api.get("/v1/coverage?lon=200&lat=1&category=tv", headers=brand.headers), 422, "lon")
    assert api.get(f"/v1/coverage?lon=1&lat=1&category=tv").status_code == 401
