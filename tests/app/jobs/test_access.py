"""Each caller sees only its own jobs; other jobs look like they do not exist."""

from tests.factories import make_client, make_order, make_technician, ops_headers, technician_headers


def test_client_sees_jobs_of_its_own_orders_only(api, db):
    a, b = make_client(db), make_client(db)
    _, jobs_a = make_order(db, a.id)
    _, jobs_b = make_order(db, b.id)
    assert api.get(f"/v1/jobs/{jobs_a[0].id}", headers=a.headers).status_code == 200
    assert api.get(f"/v1/jobs/{jobs_b[0].id}", headers=a.headers).status_code == 404
    assert api.get(f"/v1/jobs/{jobs_b[0].id}/events", headers=a.headers).status_code == 404
    listed = api.get("/v1/jobs", headers=a.headers).json()["items"]
    assert {j["id"] for j in listed} == {str(jobs_a[0].id)}


def test_technician_sees_its_own_and_offered_jobs_only(api, db):
    client = make_client(db)
    ops = ops_headers(api, db)
    mine, offered, other = (make_order(db, client.id)[1][0] for _ in range(3))
    me, them = make_technician(db), make_technician(db, name="钱师傅")
    api.post(f"/v1/jobs/{mine.id}/assign", json={"technician_id": str(me.id), "reason": "r"}, headers=ops)
    api.post(f"/v1/jobs/{offered.id}/offers", json={"technician_ids": [str(me.id)]}, headers=ops)
    api.post(f"/v1/jobs/{other.id}/assign", json={"technician_id": str(them.id), "reason": "r"}, headers=ops)
    h = technician_headers(api, me)
    listed = {j["id"] for j in api.get("/v1/jobs", headers=h).json()["items"]}
    assert listed == {str(mine.id), str(offered.id)}
    assert api.get(f"/v1/jobs/{other.id}", headers=h).status_code == 404
    r = api.post(f"/v1/jobs/{other.id}/transitions", json={"action": "schedule"}, headers=h)
    assert r.status_code == 404
    # Offered but not yet accepted: the technician may look but not work it.
    r = api.post(f"/v1/jobs/{offered.id}/transitions", json={"action": "depart"}, headers=h)
    assert r.status_code == 403


def test_only_ops_can_offer_assign_or_cancel(api, db):
    client = make_client(db)
    job = make_order(db, client.id)[1][0]
    tech = make_technician(db)
    h = technician_headers(api, tech)
    for path, body in (("offers", {"technician_ids": [str(tech.id)]}),
                       ("assign", {"technician_id": str(tech.id), "reason": "me"})):
        assert api.post(f"/v1/jobs/{job.id}/{path}", json=body, headers=h).status_code == 403
        assert api.post(f"/v1/jobs/{job.id}/{path}", json=body, headers=client.headers).status_code == 403


def test_a_body_cannot_set_status_or_technician(api, db):
    client = make_client(db)
    job = make_order(db, client.id)[1][0]
    ops = ops_headers(api, db)
    r = api.post(f"/v1/jobs/{job.id}/transitions", json={"action": "cancel", "reason": "x", "status": "completed"},
                 headers=ops)
    assert r.status_code == 422 and r.json()["field"] == "status"
