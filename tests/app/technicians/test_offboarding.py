"""Off-boarding: deactivating a technician hands their jobs not yet under way back to dispatch, which
offers them to the next candidates; every step is in the job's event log. Jobs under way stay."""

from datetime import datetime, timedelta, timezone

from tests.factories import make_client, make_order, make_technician, ops_headers

SHANGHAI = timezone(timedelta(hours=8))


def _tomorrow_at_ten():
    day = (datetime.now(SHANGHAI) + timedelta(days=1)).date()
    return datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI).astimezone(timezone.utc)


def _assign(api, ops, job, tech):
    r = api.post(f"/v1/jobs/{job.id}/assign", json={"technician_id": str(tech.id), "reason": "regular"}, headers=ops)
    assert r.status_code == 200, r.text


def test_deactivation_hands_accepted_and_offered_jobs_back_and_reoffers_them(api, db):
    client = make_client(db)
    leaving, staying = make_technician(db, name="离职师傅"), make_technician(db, name="接手师傅")
    ops = ops_headers(api, db)
    _, [accepted] = make_order(db, client.id, start=_tomorrow_at_ten())
    _, [offered] = make_order(db, client.id, start=_tomorrow_at_ten())
    _, [under_way] = make_order(db, client.id, start=_tomorrow_at_ten())
    _assign(api, ops, accepted, leaving)
    r = api.post(f"/v1/jobs/{offered.id}/offers", json={"technician_ids": [str(leaving.id)]}, headers=ops)
    assert r.status_code == 201, r.text
    _assign(api, ops, under_way, leaving)
    db.refresh(under_way)
    under_way.status = "en_route"  # on the way to the customer: not handed back
    db.commit()

    r = api.post(f"/v1/technicians/{leaving.id}/deactivate", headers=ops)
    assert r.status_code == 200, r.text
    assert r.json()["active"] is False

    for job in (accepted, offered):
        j = api.get(f"/v1/jobs/{job.id}", headers=ops).json()
        assert j["technician_id"] is None and j["status"] == "offered", j
        offers = api.get(f"/v1/jobs/{job.id}/offers", headers=ops).json()
        open_to = {o["technician_id"] for o in offers if o["status"] == "open"}
        assert open_to == {str(staying.id)}, offers
    events = api.get(f"/v1/jobs/{accepted.id}/events", headers=ops).json()
    unassign = next(e for e in events if e["action"] == "unassign")
    assert unassign["reason"] == "technician deactivated" and unassign["actor_type"] == "ops"
    declined = next(e for e in api.get(f"/v1/jobs/{offered.id}/events", headers=ops).json() if e["action"] == "decline")
    assert declined["reason"] == "technician deactivated"
    still = api.get(f"/v1/jobs/{under_way.id}", headers=ops).json()
    assert still["status"] == "en_route" and still["technician_id"] == str(leaving.id)


def test_deactivating_through_patch_hands_jobs_back_too(api, db):
    client = make_client(db)
    leaving = make_technician(db)
    ops = ops_headers(api, db)
    _, [job] = make_order(db, client.id, start=_tomorrow_at_ten())
    _assign(api, ops, job, leaving)
    assert api.patch(f"/v1/technicians/{leaving.id}", json={"active": False}, headers=ops).status_code == 200
    j = api.get(f"/v1/jobs/{job.id}", headers=ops).json()
    assert j["technician_id"] is None and j["status"] == "pending"  # nobody else to offer it to: ops queue
