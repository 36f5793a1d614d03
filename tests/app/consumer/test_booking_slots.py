"""A consumer (or a brand) asks which visit slots Shifu can actually serve at an address."""

from app.consumer.slots import day_slots  # noqa: F401  (the module under test)
from tests.app.consumer.stories import AT, WASHER_SKILLS, busy_morning, slot_start
from tests.app.orders.stories import expect_problem
from tests.factories import make_technician


def slots(api, **params):
    return api.get("/v1/booking-slots", params={**AT, "category": "washing_machine", "service_type": "repair",
                                                **params})


def test_slots_are_full_where_the_only_technician_is_busy_and_available_elsewhere(api, db):
    tech = make_technician(db, name="赵师傅", skills=WASHER_SKILLS)
    busy_morning(db, tech)
    r = slots(api)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["price"]["cents"] > 0 and out["price"]["name_zh"]
    assert all(s["start"].endswith("+08:00") for s in out["slots"])
    day = {h: slot_start(out["slots"], h)["status"] for h in (10, 12, 14, 16)}
    assert day == {10: "full", 12: "full", 14: "available", 16: "available"}, day
    assert slot_start(out["slots"], 10, days=2)["status"] == "available"


def test_an_address_nobody_covers_is_refused_naming_the_location(api, db):
    make_technician(db, skills=WASHER_SKILLS)
    body = expect_problem(slots(api, lon=121.5, lat=31.2), 422, "location")
    assert body["type"].endswith("/not-covered")


def test_a_technician_without_the_skill_does_not_make_a_slot(api, db):
    make_technician(db, skills=("ac_install",))
    expect_problem(slots(api), 422, "location")


def test_unknown_category_and_bad_coordinates_name_the_field(api, db):
    expect_problem(slots(api, category="spaceship"), 422, "category")
    expect_problem(slots(api, lat=123), 422, "lat")
    expect_problem(slots(api, service_type="teleport"), 422, "service_type")


def test_one_address_asking_too_often_is_told_to_wait(api, db, app):
    make_technician(db, skills=WASHER_SKILLS)
    app.state.settings.consumer_requests_per_minute = 3
    for _ in range(3):
        assert slots(api).status_code == 200
    r = slots(api)
    expect_problem(r, 429)
    assert int(r.headers["Retry-After"]) >= 1
