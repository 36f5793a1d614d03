"""Bad input gets a 4xx problem+json naming the field, and leaves no order, job or appliance behind."""

from datetime import date, datetime, timedelta, timezone

import pytest

from app.jobs.models import Job
from app.orders.models import OrderAppliance, OrderWindow
from tests.app.orders.stories import expect_problem, count, order_body, order_count, window
from tests.factories import make_client


def _in(hours: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(hours=hours)).isoformat()


CASES = {
    "longitude out of range": ({"location": {"lon": 181, "lat": 30.2}}, "location.lon"),
    "latitude out of range": ({"location": {"lon": 120.1, "lat": -91}}, "location.lat"),
    "window ends before it starts": ({"windows": [{"start": _in(30), "end": _in(28)}]}, "windows[0].end"),
    "window in the past": ({"windows": [{"start": _in(-30), "end": _in(-27)}]}, "windows[0].end"),
    "naive datetime": ({"windows": [{"start": "2031-05-01T09:00:00", "end": "2031-05-01T12:00:00"}]}, "windows[0].start"),
    "window longer than a week": ({"windows": [{"start": _in(24), "end": _in(24 + 8 * 24)}]}, "windows[0].end"),
    "too many windows": ({"windows": [window(24 * d) for d in range(1, 7)]}, "windows"),
    "no window": ({"windows": []}, "windows"),
    "no appliance": ({"appliances": []}, "appliances"),
    "purchase date in the future": (
        {"appliances": [{"category": "tv", "purchase_date": (date.today() + timedelta(days=3)).isoformat()}]},
        "appliances[0].purchase_date",
    ),
    "zero quantity": ({"appliances": [{"category": "tv", "quantity": 0}]}, "appliances[0].quantity"),
    "bad phone": ({"contact": {"name": "李", "phone": "call me"}}, "contact.phone"),
    "unknown service type": ({"service_type": "teleport"}, "service_type"),
    "unknown urgency": ({"urgency": "yesterday"}, "urgency"),
    "status set by the client": ({"status": "completed"}, "status"),
    "price set by the client": ({"price": 1}, "price"),
    "owner set by the client": ({"client_id": "7b6f1f8e-2c1a-4a49-9a43-0b0c4f7d1a11"}, "client_id"),
    "technician set by the client": ({"technician_id": "7b6f1f8e-2c1a-4a49-9a43-0b0c4f7d1a11"}, "technician_id"),
    "unknown field on an appliance": ({"appliances": [{"category": "tv", "warranty": "yes"}]}, "appliances[0].warranty"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_order_is_refused_naming_the_field_and_nothing_is_written(api, db, case):
    brand = make_client(db)
    overrides, field = CASES[case]
    before = order_count(db)
    r = api.post("/v1/orders", json=order_body(**overrides), headers=brand.headers)
    body = expect_problem(r, 422, field)
    assert field in body["detail"]
    assert order_count(db) == before


def test_unknown_category_is_named_and_no_partial_order_remains(api, db):
    brand = make_client(db)
    before = (order_count(db), count(db, Job), count(db, OrderAppliance), count(db, OrderWindow))
    body = order_body("install", categories=("air_conditioner", "time_machine"))
    body = expect_problem(api.post("/v1/orders", json=body, headers=brand.headers), 422, "appliances[1].category")
    assert "time_machine" in body["detail"] and "air_conditioner" in body["detail"]  # says what is known
    assert (order_count(db), count(db, Job), count(db, OrderAppliance), count(db, OrderWindow)) == before


def test_malformed_json_is_a_422_problem(api, db):
    brand = make_client(db)
    before = order_count(db)
    r = api.post(
        "/v1/orders", content=b'{"service_type": "repair", ', headers={**brand.headers, "content-type": "application/json"}
    )
    assert "malformed JSON" in expect_problem(r, 422)["detail"]
    assert order_count(db) == before


def test_a_window_already_under_way_is_accepted(api, db):
    # "Lies in the past" means it has ended; a window that began an hour ago still has time left.
    brand = make_client(db)
    r = api.post("/v1/orders", json=order_body(windows=[window(-1, 4)]), headers=brand.headers)
    assert r.status_code == 201, r.text


def test_list_filters_are_validated(api, db):
    brand = make_client(db)
    expect_problem(api.get("/v1/orders", params={"limit": 201}, headers=brand.headers), 422, "limit")
    expect_problem(api.get("/v1/orders", params={"status": "lost"}, headers=brand.headers), 422, "status")
    naive = api.get("/v1/orders", params={"created_after": "2026-01-01T00:00:00"}, headers=brand.headers)
    expect_problem(naive, 422, "created_after")
    expect_problem(api.get("/v1/orders", params={"cursor": "garbage"}, headers=brand.headers), 422, "cursor")
