"""A technician logs in with their phone, sees their own profile, goes on duty and reports where they are."""

from datetime import timedelta

from app.models_base import utcnow
from tests.app.technicians.builders import technician_body
from tests.factories import bearer, ops_headers


def _hire(api, ops, phone="13900001111", password="wang-shifu-2031"):
    tech = api.post("/v1/technicians", json=technician_body(phone=phone, password=password), headers=ops).json()
    return tech, bearer(api, phone, password)


def test_technician_logs_in_with_phone_and_reads_own_profile(api, db):
    ops = ops_headers(api, db)
    tech, me = _hire(api, ops)
    r = api.get("/v1/technicians/me", headers=me)
    assert r.status_code == 200 and r.json()["id"] == tech["id"]
    assert api.get(f"/v1/technicians/{tech['id']}", headers=me).json()["phone"] == "13900001111"


def test_technician_goes_on_and_off_duty(api, db):
    ops = ops_headers(api, db)
    tech, me = _hire(api, ops)
    assert api.post("/v1/technicians/me/duty", json={"on_duty": True}, headers=me).json()["on_duty"] is True
    assert api.get(f"/v1/technicians/{tech['id']}", headers=ops).json()["on_duty"] is True
    assert api.post("/v1/technicians/me/duty", json={"on_duty": False}, headers=me).json()["on_duty"] is False
    bad = api.post("/v1/technicians/me/duty", json={"on_duty": "maybe"}, headers=me)
    assert bad.status_code == 422 and bad.json()["field"] == "on_duty"


def test_technician_reports_location_and_the_newest_report_wins(api, db):
    ops = ops_headers(api, db)
    tech, me = _hire(api, ops)
    r = api.post("/v1/technicians/me/location", json={"lon": 120.21, "lat": 30.25}, headers=me)
    assert r.status_code == 200, r.text
    assert r.json()["last_location"] == {"lon": 120.21, "lat": 30.25}
    first_at = r.json()["last_location_at"]
    older = (utcnow() - timedelta(minutes=10)).isoformat()
    r = api.post("/v1/technicians/me/location", json={"lon": 120.0, "lat": 30.0, "at": older}, headers=me)
    assert r.json()["last_location"] == {"lon": 120.21, "lat": 30.25} and r.json()["last_location_at"] == first_at
    seen = api.get(f"/v1/technicians/{tech['id']}", headers=ops).json()
    assert seen["last_location"] == {"lon": 120.21, "lat": 30.25}


def test_bad_location_reports_are_refused(api, db):
    ops = ops_headers(api, db)
    _, me = _hire(api, ops)
    for body, field in [
        ({"lon": 200, "lat": 30.2}, "lon"),
        ({"lon": 120.2, "lat": 95}, "lat"),
        ({"lon": 120.2}, "lat"),
        ({"lon": 120.2, "lat": 30.2, "at": "2031-01-01T09:00:00"}, "at"),
        ({"lon": 120.2, "lat": 30.2, "at": (utcnow() + timedelta(hours=1)).isoformat()}, "at"),
        ({"lon": 120.2, "lat": 30.2, "speed": 3}, "speed"),
    ]:
        r = api.post("/v1/technicians/me/location", json=body, headers=me)
        assert r.status_code == 422, body
        assert r.json()["field"] == field, (body, r.json())
    assert api.get("/v1/technicians/me", headers=me).json()["last_location"] is None


def test_technician_cannot_read_or_change_another_technician(api, db):
    ops = ops_headers(api, db)
    _, me = _hire(api, ops, phone="13900001111")
    other, _ = _hire(api, ops, phone="13900002222")
    r = api.get(f"/v1/technicians/{other['id']}", headers=me)
    assert r.status_code == 403 and r.json()["title"] == "Forbidden"
    # An id that does not exist answers the same, so a technician cannot probe for ids.
    assert api.get("/v1/technicians/00000000-0000-4000-8000-000000000000", headers=me).status_code == 403
    assert api.patch(f"/v1/technicians/{other['id']}", json={"name": "x"}, headers=me).status_code == 403
    assert api.post(f"/v1/technicians/{other['id']}/deactivate", headers=me).status_code == 403
    assert api.get("/v1/technicians", headers=me).status_code == 403
    assert api.post("/v1/providers", json={"name": "x"}, headers=me).status_code == 403
    assert api.get(f"/v1/technicians/{other['id']}", headers=ops).json()["name"] == "王师傅"


def test_technician_cannot_edit_their_own_profile_through_the_ops_endpoint(api, db):
    ops = ops_headers(api, db)
    tech, me = _hire(api, ops)
    r = api.patch(f"/v1/technicians/{tech['id']}", json={"max_jobs_per_day": 50}, headers=me)
    assert r.status_code == 403
    assert api.get("/v1/technicians/me", headers=me).json()["max_jobs_per_day"] == 6


def test_self_service_is_only_for_technicians(api, db):
    ops = ops_headers(api, db)
    r = api.get("/v1/technicians/me", headers=ops)
    assert r.status_code == 403 and "technicians" in r.json()["detail"]
    assert api.post("/v1/technicians/me/duty", json={"on_duty": True}, headers=ops).status_code == 403
    assert api.post("/v1/technicians/me/location", json={"lon": 120.2, "lat": 30.2}).status_code == 401
