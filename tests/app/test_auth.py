"""Who may call what: API keys for clients, bearer tokens for users, problem+json for every denial."""

from tests.factories import bearer, make_client, make_ops_user, ops_headers


def test_unauthenticated_call_gets_problem_json_401(api):
    r = api.get("/v1/clients")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == 401


def test_admin_creates_client_and_key_is_shown_once_and_revocable(api, db):
    admin = ops_headers(api, db, "admin")
    r = api.post("/v1/clients", json={"name": "美的 Midea"}, headers=admin)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    r = api.post(f"/v1/clients/{cid}/api-keys", json={"name": "erp"}, headers=admin)
    assert r.status_code == 201
    key = r.json()["key"]
    assert key.startswith("sk_")
    listed = api.get(f"/v1/clients/{cid}/api-keys", headers=admin).json()
    assert "key" not in listed[0] and listed[0]["prefix"] == key[:10]
    assert api.get("/v1/me", headers={"X-API-Key": key}).json()["client_id"] == cid
    api.delete(f"/v1/clients/{cid}/api-keys/{listed[0]['id']}", headers=admin)
    r = api.get("/v1/me", headers={"X-API-Key": key})
    assert r.status_code == 401 and "revoked" in r.json()["detail"]


def test_dispatcher_cannot_create_clients(api, db):
    r = api.post("/v1/clients", json={"name": "x"}, headers=ops_headers(api, db, "dispatcher"))
    assert r.status_code == 403


def test_client_key_cannot_reach_ops_endpoints(api, db):
    c = make_client(db)
    assert api.get("/v1/clients", headers=c.headers).status_code == 403


def test_wrong_password_and_logout_revokes_token(api, db):
    user, pw = make_ops_user(db)
    assert api.post("/v1/auth/login", json={"username": user, "password": "nope"}).status_code == 401
    h = bearer(api, user, pw)
    assert api.get("/v1/me", headers=h).status_code == 200
    assert api.post("/v1/auth/logout", headers=h).status_code == 204
    assert api.get("/v1/me", headers=h).status_code == 401


def test_unknown_fields_are_rejected_with_the_field_named(api, db):
    admin = ops_headers(api, db, "admin")
    r = api.post("/v1/clients", json={"name": "x", "active": False, "owner": "me"}, headers=admin)
    assert r.status_code == 422
    assert r.json()["field"] in ("active", "owner")
    assert "unknown field" in r.json()["detail"]


def test_malformed_json_is_a_422_not_a_500(api, db):
    admin = ops_headers(api, db, "admin")
    r = api.post("/v1/clients", content=b'{"name": ', headers={**admin, "content-type": "application/json"})
    assert r.status_code == 422
    assert "malformed JSON" in r.json()["detail"]
