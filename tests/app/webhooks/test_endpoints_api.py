"""The endpoints API: registration returns the secret once, bad input names its field, unsafe URLs are
refused at registration, and a client sees only its own endpoints and deliveries."""

import ipaddress
import uuid

import pytest
from standardwebhooks import Webhook

from app.webhooks import urls
from app.webhooks.models import WebhookDelivery
from tests.factories import make_client, make_technician, ops_headers, technician_headers
from tests.app.webhooks.conftest import publish_completed

HOOK = "http://127.0.0.1:9/hook"


def _create(api, creds, **kw):
    body = {"url": HOOK, "event_types": ["order.completed"], "description": "orders", **kw}
    return api.post("/v1/webhook-endpoints", json=body, headers=creds.headers)


def test_register_returns_the_secret_once_and_it_signs(api, db, loopback):
    a = make_client(db)
    r = _create(api, a, event_types=["job.completed", "order.completed", "job.completed"])
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["secret"].startswith("whsec_") and out["status"] == "active" and out["client_id"] == str(a.id)
    assert out["event_types"] == ["job.completed", "order.completed"]
    Webhook(out["secret"])  # the independent library accepts it as a Standard Webhooks secret
    got = api.get(f"/v1/webhook-endpoints/{out['id']}", headers=a.headers).json()
    assert "secret" not in got and got["url"] == HOOK
    listed = api.get("/v1/webhook-endpoints", headers=a.headers).json()["items"]
    assert [e["id"] for e in listed] == [out["id"]] and "secret" not in listed[0]
    assert api.post("/v1/webhook-endpoints", json={"url": HOOK, "event_types": ["*", "job.completed"]},
                    headers=a.headers).json()["event_types"] == ["*"]


@pytest.mark.parametrize("body, field", [
    ({"event_types": ["order.completed", "order.exploded"]}, "event_types[1]"),
    ({"event_types": []}, "event_types"),
    ({"url": "not a url"}, "url"),
    ({"url": "x" * 2001}, "url"),
    ({"secret": "mine"}, "secret"),
    ({"description": 5}, "description"),
])
def test_bad_input_is_problem_json_naming_the_field(api, db, loopback, body, field):
    a = make_client(db)
    r = _create(api, a, **body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["field"] == field


@pytest.mark.parametrize("url, why", [
    ("http://127.0.0.1:9/hook", "https"),
    ("https://127.0.0.1/hook", "loopback"),
    ("https://10.0.0.5/hook", "private"),
    ("https://169.254.169.254/latest/meta-data/", "metadata"),
    ("https://hooks.brand.example/in", "private"),
])
def test_unsafe_urls_refused_at_registration(api, db, monkeypatch, url, why):
    monkeypatch.setattr(urls, "resolve", lambda host, port: [ipaddress.ip_address("10.9.8.7")])
    a = make_client(db)
    r = _create(api, a, url=url)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["field"] == "url" and why in body["detail"] and body["type"].endswith("/unsafe-url")
    assert api.get("/v1/webhook-endpoints", headers=a.headers).json()["items"] == []
    # A PATCH to such a URL is refused the same way.
    ok = api.post("/v1/webhook-endpoints", json={"url": "https://93.184.216.34/x", "event_types": ["*"]},
                  headers=a.headers).json()
    r = api.patch(f"/v1/webhook-endpoints/{ok['id']}", json={"url": url}, headers=a.headers)
    assert r.status_code == 422 and r.json()["field"] == "url"


def test_update_disable_enable_rotate(api, db, loopback):
    a = make_client(db)
    ep = _create(api, a).json()
    path = f"/v1/webhook-endpoints/{ep['id']}"
    r = api.patch(path, json={"event_types": ["*"], "description": "all"}, headers=a.headers)
    assert r.status_code == 200 and r.json()["event_types"] == ["*"] and r.json()["url"] == HOOK
    r = api.post(path + "/disable", headers=a.headers)
    assert r.json()["status"] == "disabled" and r.json()["disabled_reason"] == "by_client"
    assert api.post(path + "/test", headers=a.headers).status_code == 409
    r = api.post(path + "/enable", headers=a.headers)
    assert r.json()["status"] == "active" and r.json()["disabled_reason"] is None
    r = api.post(path + "/rotate-secret", headers=a.headers)
    assert r.status_code == 200
    assert r.json()["secret"].startswith("whsec_") and r.json()["secret"] != ep["secret"]
    assert api.get(path, headers=a.headers).json()["previous_expires_at"] == r.json()["previous_expires_at"]


def test_ops_disable_cannot_be_undone_by_the_client(api, db, loopback):
    a = make_client(db)
    ops = ops_headers(api, db)
    ep = _create(api, a).json()
    path = f"/v1/webhook-endpoints/{ep['id']}"
    assert api.post(path + "/disable", headers=ops).json()["disabled_reason"] == "by_ops"
    r = api.post(path + "/enable", headers=a.headers)
    assert r.status_code == 409 and r.json()["type"].endswith("/disabled-by-ops")
    assert api.post(path + "/enable", headers=ops).json()["status"] == "active"


def test_a_client_sees_only_its_own_endpoints_and_deliveries(api, db, loopback):
    a, b = make_client(db), make_client(db)
    ep = _create(api, a).json()
    publish_completed(db, a.id)
    db.flush()
    delivery = db.query(WebhookDelivery).filter_by(endpoint_id=uuid.UUID(ep["id"])).one()
    own = api.get(f"/v1/webhook-endpoints/{ep['id']}/deliveries", headers=a.headers).json()["items"]
    assert [d["id"] for d in own] == [str(delivery.id)]
    assert own[0]["event_type"] == "order.completed" and own[0]["status"] == "pending"
    assert api.get(f"/v1/webhook-deliveries/{delivery.id}", headers=a.headers).status_code == 200

    base = f"/v1/webhook-endpoints/{ep['id']}"
    for method, path in [("get", base), ("patch", base), ("post", base + "/disable"), ("post", base + "/enable"),
                         ("post", base + "/rotate-secret"), ("post", base + "/test"), ("get", base + "/deliveries"),
                         ("get", f"/v1/webhook-deliveries/{delivery.id}"),
                         ("post", f"/v1/webhook-deliveries/{delivery.id}/retry")]:
        kw = {"json": {}} if method == "patch" else {}
        r = getattr(api, method)(path, headers=b.headers, **kw)
        assert r.status_code == 404, (method, path, r.text)
    assert api.get("/v1/webhook-endpoints", headers=b.headers).json()["items"] == []
    r = api.get(f"/v1/webhook-endpoints?client_id={a.id}", headers=b.headers)
    assert r.status_code == 422 and r.json()["field"] == "client_id"
    # Ops see every client's, and may narrow to one.
    ops = ops_headers(api, db)
    _create(api, b)
    ids = {e["client_id"] for e in api.get("/v1/webhook-endpoints?limit=200", headers=ops).json()["items"]}
    assert {str(a.id), str(b.id)} <= ids
    only_a = api.get(f"/v1/webhook-endpoints?client_id={a.id}", headers=ops).json()["items"]
    assert [e["id"] for e in only_a] == [ep["id"]]
    assert api.get(f"/v1/webhook-endpoints/{ep['id']}/deliveries", headers=ops).json()["items"][0]["id"] == str(delivery.id)


def test_technicians_and_anonymous_callers_are_refused(api, db, loopback):
    tech = make_technician(db)
    db.commit()
    assert api.get("/v1/webhook-endpoints").status_code == 401
    r = api.get("/v1/webhook-endpoints", headers=technician_headers(api, tech))
    assert r.status_code == 403
    ops = ops_headers(api, db)
    # Registering (and so seeing a secret) is the client's own business.
    assert api.post("/v1/webhook-endpoints", json={"url": HOOK, "event_types": ["*"]}, headers=ops).status_code == 403


def test_bad_ids_and_filters_name_their_field(api, db, loopback):
    a = make_client(db)
    ep = _create(api, a).json()
    r = api.get("/v1/webhook-endpoints/not-a-uuid", headers=a.headers)
    assert r.status_code == 422 and r.json()["field"] == "endpoint_id"
    r = api.get(f"/v1/webhook-endpoints/{ep['id']}/deliveries?status=lost", headers=a.headers)
    assert r.status_code == 422 and r.json()["field"] == "status"
    r = api.get("/v1/webhook-endpoints?cursor=zzz", headers=a.headers)
    assert r.status_code == 422 and r.json()["field"] == "cursor"
    r = api.post(f"/v1/webhook-endpoints/{ep['id']}/test", json={"message": 3}, headers=a.headers)
    assert r.status_code == 422 and r.json()["field"] == "message"
