"""For a job, ops see who could take it: covering the address, skilled and certified that day, on shift
in the window, not on a day off, active — nearest home base first."""

from tests.app.technicians.builders import WEDNESDAY, local, make_job, technician_body
from tests.factories import HANGZHOU, bearer, make_client, ops_headers, square

JOB_AT = (HANGZHOU[0] + 0.01, HANGZHOU[1] + 0.01)
_phones = iter(range(10_000))


def hire(api, ops, name, *, lon=HANGZHOU[0], lat=HANGZHOU[1], **overrides) -> str:
    body = technician_body(name=name, lon=lon, lat=lat, phone=f"1380000{next(_phones):04d}", **overrides)
    r = api.post("/v1/technicians", json=body, headers=ops)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def wednesday_job(db, start="10:00", end="12:00", minutes=60, skills=("ac_install",), at=JOB_AT):
    return make_job(db, lon=at[0], lat=at[1], start=local(WEDNESDAY, start), end=local(WEDNESDAY, end),
                    skills=skills, minutes=minutes)


def names(api, ops, job, **params) -> list[str]:
    r = api.get(f"/v1/jobs/{job.id}/candidates", params=params, headers=ops)
    assert r.status_code == 200, r.text
    return [c["name"] for c in r.json()["items"]]


def test_only_technicians_whose_area_contains_the_job_are_candidates(api, db):
    ops = ops_headers(api, db)
    hire(api, ops, "covers")
    hire(api, ops, "next district", lon=HANGZHOU[0] + 0.1)  # area starts at +0.05, job is at +0.01
    hire(api, ops, "small area", service_area=square(*HANGZHOU, 0.005))
    assert names(api, ops, wednesday_job(db)) == ["covers"]


def test_every_required_skill_is_needed(api, db):
    ops = ops_headers(api, db)
    hire(api, ops, "installer")  # ac_install + certified refrigerant
    hire(api, ops, "tv only", skills=[{"skill": "tv_install"}])
    hire(api, ops, "no refrigerant", skills=[{"skill": "ac_install"}])
    assert names(api, ops, wednesday_job(db, skills=("ac_install", "refrigerant"))) == ["installer"]
    assert sorted(names(api, ops, wednesday_job(db, skills=("ac_install",)))) == ["installer", "no refrigerant"]


def test_a_certificate_counts_only_on_the_days_it_is_valid(api, db):
    ops = ops_headers(api, db)

    def refrigerant(**dates):
        return [{"skill": "ac_install"},
                {"skill": "refrigerant", "certificate": {"name": "制冷作业证", "number": "R-1", **dates}}]

    hire(api, ops, "expired the day before", skills=refrigerant(valid_until="2031-03-04"))
    hire(api, ops, "expires that day", skills=refrigerant(valid_until="2031-03-05"))
    hire(api, ops, "valid from the next day", skills=refrigerant(valid_from="2031-03-06"))
    hire(api, ops, "valid from that day", skills=refrigerant(valid_from="2031-03-05"))
    job = wednesday_job(db, skills=("ac_install", "refrigerant"))
    assert sorted(names(api, ops, job)) == ["expires that day", "valid from that day"]


def test_job_must_start_in_its_window_and_finish_inside_a_shift_that_day(api, db):
    ops = ops_headers(api, db)

    def wed(start, end):
        return [{"weekday": 2, "start": start, "end": end}]

    hire(api, ops, "all day", shifts=wed("08:00", "18:00"))
    hire(api, ops, "starts at 11:30, ends 12:30", shifts=wed("11:30", "12:30"))  # start 11:30, done 12:30
    hire(api, ops, "ends 12:20", shifts=wed("11:30", "12:20"))  # would finish 12:30, after the shift
    hire(api, ops, "afternoon", shifts=wed("12:30", "18:00"))  # window closed before the shift opens
    hire(api, ops, "morning until 10:30", shifts=wed("07:00", "10:30"))  # 10:00 + 60 min > 10:30
    hire(api, ops, "tuesdays", shifts=[{"weekday": 1, "start": "08:00", "end": "18:00"}])
    hire(api, ops, "split shift", shifts=wed("08:00", "10:20") + wed("11:00", "18:00"))
    assert sorted(names(api, ops, wednesday_job(db))) == ["all day", "split shift", "starts at 11:30, ends 12:30"]


def test_shifts_are_local_time_in_hangzhou(api, db):
    ops = ops_headers(api, db)
    hire(api, ops, "early bird", shifts=[{"weekday": 2, "start": "07:00", "end": "08:00"}])
    # 07:00-08:00 in Hangzhou is 23:00-00:00 UTC on Tuesday.
    assert names(api, ops, wednesday_job(db, start="07:00", end="07:30", minutes=45)) == ["early bird"]
    assert names(api, ops, wednesday_job(db, start="09:00", end="10:00", minutes=45)) == []


def test_day_off_and_deactivation_remove_a_technician(api, db):
    ops = ops_headers(api, db)
    hire(api, ops, "working")
    hire(api, ops, "day off", days_off=[{"day": "2031-03-05", "reason": "体检"}])
    hire(api, ops, "off thursday", days_off=["2031-03-06"])
    gone = hire(api, ops, "left the company")
    api.post(f"/v1/technicians/{gone}/deactivate", headers=ops)
    assert sorted(names(api, ops, wednesday_job(db))) == ["off thursday", "working"]


def test_candidates_come_nearest_home_base_first_with_distances(api, db):
    ops = ops_headers(api, db)
    lon, lat = JOB_AT
    # East-west and north-south offsets: a plain-degree ranking would put "1.2 km east" first.
    hire(api, ops, "2.0 km north", lon=lon, lat=lat + 0.018, service_area=square(lon, lat, 0.05))
    hire(api, ops, "1.2 km east", lon=lon + 0.0125, lat=lat, service_area=square(lon, lat, 0.05))
    hire(api, ops, "1.9 km east", lon=lon + 0.0195, lat=lat, service_area=square(lon, lat, 0.05))
    hire(api, ops, "1.1 km north", lon=lon, lat=lat + 0.0099, service_area=square(lon, lat, 0.05))
    hire(api, ops, "next door", lon=lon + 0.0005, lat=lat, service_area=square(lon, lat, 0.05))
    job = wednesday_job(db)
    r = api.get(f"/v1/jobs/{job.id}/candidates", headers=ops).json()
    assert [c["name"] for c in r["items"]] == ["next door", "1.1 km north", "1.2 km east", "1.9 km east", "2.0 km north"]
    distances = [c["distance_m"] for c in r["items"]]
    assert distances == sorted(distances)
    assert abs(distances[0] - 48.1) < 1 and abs(distances[-1] - 2001.5) < 2
    assert r["items"][0]["home_base"] == {"lon": lon + 0.0005, "lat": lat}
    assert names(api, ops, job, limit=2) == ["next door", "1.1 km north"]


def test_who_may_ask_for_candidates(api, db):
    ops = ops_headers(api, db)
    api.post("/v1/technicians", json=technician_body(phone="13911112222", password="wang-shifu-2031"), headers=ops)
    job = wednesday_job(db)
    technician = bearer(api, "13911112222", "wang-shifu-2031")
    r = api.get(f"/v1/jobs/{job.id}/candidates", headers=technician)
    assert r.status_code == 403 and r.json()["status"] == 403
    client = make_client(db)
    assert api.get(f"/v1/jobs/{job.id}/candidates", headers=client.headers).status_code == 403
    assert api.get(f"/v1/jobs/{job.id}/candidates").status_code == 401
    missing = api.get("/v1/jobs/00000000-0000-4000-8000-000000000000/candidates", headers=ops)
    assert missing.status_code == 404
    too_many = api.get(f"/v1/jobs/{job.id}/candidates", params={"limit": 1000}, headers=ops)
    assert too_many.status_code == 422 and too_many.json()["field"] == "limit"
