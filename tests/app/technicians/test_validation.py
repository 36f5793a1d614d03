"""Bad technician input gets a 422 (or 409) that names the field and says what is wrong, and stores nothing."""

import pytest

from tests.app.technicians.builders import technician_body
from tests.factories import make_ops_user, ops_headers

BOWTIE = {"type": "Polygon", "coordinates": [[[120.1, 30.2], [120.2, 30.3], [120.2, 30.2], [120.1, 30.3], [120.1, 30.2]]]}


def _count(api, ops) -> int:
    return len(api.get("/v1/technicians", headers=ops).json()["items"])


def test_self_intersecting_service_area_is_refused_with_shapelys_reason(api, db):
    ops = ops_headers(api, db)
    r = api.post("/v1/technicians", json=technician_body(service_area=BOWTIE), headers=ops)
    assert r.status_code == 422
    problem = r.json()
    assert problem["field"] == "service_area"
    assert "Self-intersection" in problem["detail"]
    assert r.headers["content-type"].startswith("application/problem+json")
    assert _count(api, ops) == 0


@pytest.mark.parametrize("area, says", [
    ({"type": "Point", "coordinates": [120.1, 30.2]}, "Polygon or MultiPolygon"),
    ({"type": "Polygon", "coordinates": [[[120.1, 30.2], [120.2]]]}, "malformed"),
    ({"type": "Polygon", "coordinates": [[[190, 30], [191, 30], [191, 31], [190, 30]]]}, "out of range"),
])
def test_other_unusable_areas_are_refused(api, db, area, says):
    ops = ops_headers(api, db)
    r = api.post("/v1/technicians", json=technician_body(service_area=area), headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "service_area"
    assert says in r.json()["detail"]


def test_invalid_polygon_in_a_patch_leaves_the_old_area(api, db):
    ops = ops_headers(api, db)
    tech = api.post("/v1/technicians", json=technician_body(), headers=ops).json()
    r = api.patch(f"/v1/technicians/{tech['id']}", json={"name": "改名", "service_area": BOWTIE}, headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "service_area"
    after = api.get(f"/v1/technicians/{tech['id']}", headers=ops).json()
    assert after["name"] == "王师傅" and after["service_area"] == tech["service_area"]


@pytest.mark.parametrize("home_base, field", [
    ({"lon": 181, "lat": 30.2}, "home_base.lon"),
    ({"lon": 120.1, "lat": -91}, "home_base.lat"),
])
def test_home_base_coordinates_out_of_range_are_refused(api, db, home_base, field):
    ops = ops_headers(api, db)
    r = api.post("/v1/technicians", json=technician_body(home_base=home_base), headers=ops)
    assert r.status_code == 422 and r.json()["field"] == field


def test_unknown_skill_is_named(api, db):
    ops = ops_headers(api, db)
    body = technician_body(skills=[{"skill": "ac_install"}, {"skill": "piano_tuning"}])
    r = api.post("/v1/technicians", json=body, headers=ops)
    assert r.status_code == 422
    assert r.json()["field"] == "skills[1].skill"
    assert "unknown skill 'piano_tuning'" in r.json()["detail"] and "ac_install" in r.json()["detail"]
    assert _count(api, ops) == 0


def test_special_trade_skill_needs_a_certificate(api, db):
    ops = ops_headers(api, db)
    r = api.post("/v1/technicians", json=technician_body(skills=[{"skill": "refrigerant"}]), headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "skills[0].certificate"
    assert "requires a certificate" in r.json()["detail"]


def test_certificate_that_ends_before_it_starts_is_refused(api, db):
    ops = ops_headers(api, db)
    cert = {"name": "证", "number": "1", "valid_from": "2030-01-01", "valid_until": "2029-01-01"}
    r = api.post("/v1/technicians", json=technician_body(skills=[{"skill": "refrigerant", "certificate": cert}]),
                 headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "skills[0].certificate"


def test_duplicate_skill_is_refused(api, db):
    ops = ops_headers(api, db)
    r = api.post("/v1/technicians", json=technician_body(skills=[{"skill": "delivery"}, {"skill": "delivery"}]),
                 headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "skills[1].skill"


@pytest.mark.parametrize("shifts, field, says", [
    ([{"weekday": 7, "start": "08:00", "end": "18:00"}], "shifts[0].weekday", "less than or equal to 6"),
    ([{"weekday": 1, "start": "8am", "end": "18:00"}], "shifts[0].start", "HH:MM"),
    ([{"weekday": 1, "start": "22:00", "end": "06:00"}], "shifts[0]", "crosses midnight"),
    ([{"weekday": 1, "start": "08:00", "end": "12:00"}, {"weekday": 1, "start": "11:00", "end": "18:00"}],
     "shifts[1]", "overlaps shifts[0]"),
])
def test_bad_shifts_are_refused(api, db, shifts, field, says):
    ops = ops_headers(api, db)
    r = api.post("/v1/technicians", json=technician_body(shifts=shifts), headers=ops)
    assert r.status_code == 422
    assert r.json()["field"] == field and says in r.json()["detail"]


def test_unknown_provider_and_unknown_fields_are_refused(api, db):
    ops = ops_headers(api, db)
    r = api.post("/v1/technicians", json=technician_body(provider_id="00000000-0000-4000-8000-000000000000"),
                 headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "provider_id"
    r = api.post("/v1/technicians", json=technician_body(on_duty=True), headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "on_duty" and "unknown field" in r.json()["detail"]
    tech = api.post("/v1/technicians", json=technician_body(), headers=ops).json()
    r = api.patch(f"/v1/technicians/{tech['id']}", json={"last_location": {"lon": 1, "lat": 1}}, headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "last_location"
    r = api.patch(f"/v1/technicians/{tech['id']}", json={"skills": None}, headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "skills"


def test_second_technician_with_the_same_phone_is_a_conflict(api, db):
    ops = ops_headers(api, db)
    assert api.post("/v1/technicians", json=technician_body(), headers=ops).status_code == 201
    r = api.post("/v1/technicians", json=technician_body(name="李师傅"), headers=ops)
    assert r.status_code == 409 and r.json()["field"] == "phone"
    assert _count(api, ops) == 1


def test_a_login_cannot_take_a_username_that_another_user_has(api, db):
    ops = ops_headers(api, db)
    make_ops_user(db, username="13900001111")
    r = api.post("/v1/technicians", json=technician_body(phone="13900001111", password="wang-shifu-2031"), headers=ops)
    assert r.status_code == 409 and r.json()["field"] == "phone" and "login name" in r.json()["detail"]
    # Without a login the phone is free to use; asking for a login later is refused the same way.
    tech = api.post("/v1/technicians", json=technician_body(phone="13900001111"), headers=ops).json()
    r = api.patch(f"/v1/technicians/{tech['id']}", json={"password": "wang-shifu-2031"}, headers=ops)
    assert r.status_code == 409 and r.json()["field"] == "phone"
    r = api.patch(f"/v1/technicians/{tech['id']}", json={"phone": "13900003333", "password": "wang-shifu-2031"},
                  headers=ops)
    assert r.status_code == 200 and r.json()["has_login"] is True
