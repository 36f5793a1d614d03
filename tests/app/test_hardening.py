"""No input yields a 5xx: control characters, out-of-range numbers and dates, unknown query parameters
and enum values are 422s naming the field; unexpected errors and a dead database are problem+json."""

import json

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.app.orders.stories import expect_problem, order_body
from tests.factories import make_client, ops_headers


def test_nul_in_a_body_text_field_is_a_422_naming_it(api, db):
    admin = ops_headers(api, db, "admin")
    expect_problem(api.post("/v1/clients", json={"name": "a\u0000b"}, headers=admin), 422, "name")
    expect_problem(api.post("/v1/auth/login", json={"username": "a\u0000b", "password": "x"}), 422, "username")


def test_control_characters_and_lone_surrogates_in_nested_text_are_422(api, db):
    brand = make_client(db)
    r = api.post("/v1/orders", json=order_body(notes="bell\u0007"), headers=brand.headers)
    expect_problem(r, 422, "notes")
    body = order_body()
    body["contact"]["name"] = "SURROGATE"
    raw = json.dumps(body).replace("SURROGATE", "\\ud800")  # a lone surrogate, as JSON allows it
    r = api.post("/v1/orders", content=raw, headers={**brand.headers, "content-type": "application/json"})
    expect_problem(r, 422, "contact.name")
    # Newlines and tabs are ordinary text.
    r = api.post("/v1/orders", json=order_body(notes="第一行\n\t第二行"), headers=brand.headers)
    assert r.status_code == 201, r.text


def test_nul_in_a_query_value_is_a_422_naming_it(api, db):
    brand = make_client(db)
    expect_problem(api.get("/v1/orders?external_order_id=a%00b", headers=brand.headers), 422, "external_order_id")


def test_integers_beyond_their_column_are_422(api, db):
    brand = make_client(db)
    expect_problem(api.get("/v1/templates/repair.air_conditioner?version=2147483648", headers=brand.headers), 422, "version")
    ops = ops_headers(api, db)
    r = api.post("/v1/dispatch/runs", json={"date": "2026-12-02", "seed": 2147483648}, headers=ops)
    expect_problem(r, 422, "seed")


def test_an_ancient_or_far_future_date_is_a_422_not_a_500(api, db):
    brand = make_client(db)
    order = api.post("/v1/orders", json=order_body("delivery_install"), headers=brand.headers).json()
    r = api.post(f"/v1/orders/{order['id']}/goods-arrived", json={"at": "1053-05-12T16:51:08-09:21"}, headers=brand.headers)
    expect_problem(r, 422, "at")
    expect_problem(api.get("/v1/orders?created_after=0001-01-01T00:00:00Z", headers=brand.headers), 422, "created_after")
    r = api.post("/v1/dispatch/runs", json={"date": "9999-12-31"}, headers=ops_headers(api, db))
    expect_problem(r, 422, "date")


def test_nan_and_infinity_are_refused_in_bodies(api, db):
    brand = make_client(db)
    body = order_body()
    raw = json.dumps(body).replace('"lon": 120.165', '"lon": NaN')
    assert "NaN" in raw
    r = api.post("/v1/orders", content=raw, headers={**brand.headers, "content-type": "application/json"})
    expect_problem(r, 422, "location.lon")


def test_unknown_query_parameters_are_422_naming_them(api, db):
    ops = ops_headers(api, db)
    body = expect_problem(api.get("/v1/jobs?order_id=00000000-0000-0000-0000-000000000000", headers=ops), 422, "order_id")
    assert "unknown" in body["detail"]
    assert api.get("/v1/jobs?limit=5", headers=ops).status_code == 200


def test_unknown_enum_values_in_queries_are_422_naming_them(api, db):
    ops = ops_headers(api, db)
    expect_problem(api.get("/v1/jobs?status=pending&status=bogus", headers=ops), 422, "status[1]")
    assert api.get("/v1/jobs?status=pending&status=offered", headers=ops).status_code == 200


def _app_with_a_broken_route(backend, db):
    app = create_app(Settings(database_url=backend.url, load_demo=False), sessionmaker=db.info["maker"])
    broken = APIRouter()

    @broken.get("/v1/broken")
    def boom():
        raise RuntimeError("a bug")

    @broken.get("/track/{token}/broken")
    def boom_with_a_secret(token: str):
        raise RuntimeError("a bug")

    app.include_router(broken)
    return app


def test_an_unexpected_error_is_a_problem_500_with_a_request_id_and_does_not_escape(backend, db, caplog):
    # raise_server_exceptions=True: an exception that escaped to the server would fail this call, as
    # it resets the client's connection in uvicorn.
    with TestClient(_app_with_a_broken_route(backend, db), raise_server_exceptions=True) as c:
        r = c.get("/v1/broken", headers={"X-Request-ID": "req-123"})
        assert r.status_code == 500
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["request_id"] == "req-123" == r.headers["X-Request-ID"]
        assert "a bug" not in r.text
        assert c.get("/healthz").status_code == 200
    assert any("req-123" in rec.getMessage() and rec.exc_info for rec in caplog.records)


def test_the_error_log_does_not_keep_a_tracking_token(backend, db, caplog):
    with TestClient(_app_with_a_broken_route(backend, db), raise_server_exceptions=True) as c:
        assert c.get("/track/trk_SECRETSECRET/broken").status_code == 500
    lines = [rec.getMessage() for rec in caplog.records if rec.exc_info]
    assert lines and all("SECRETSECRET" not in line and "/track/trk_" in line for line in lines)


def test_every_response_carries_a_request_id(api):
    r = api.get("/healthz")
    assert len(r.headers["X-Request-ID"]) >= 16
    assert api.get("/healthz", headers={"X-Request-ID": "ok-1"}).headers["X-Request-ID"] == "ok-1"
    # A caller's id that could forge log lines or is too long is replaced by our own.
    assert api.get("/healthz", headers={"X-Request-ID": "a b\tc" * 40}).headers["X-Request-ID"] != "a b\tc" * 40


def test_database_down_is_a_503_with_retry_after():
    dead = "postgresql+psycopg://postgres@127.0.0.1:9/nowhere?connect_timeout=2"
    with TestClient(create_app(Settings(database_url=dead, load_demo=False)), raise_server_exceptions=True) as c:
        r = c.get("/v1/me", headers={"X-API-Key": "sk_x"})
        assert r.status_code == 503, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert int(r.headers["Retry-After"]) > 0
        assert c.get("/readyz").status_code == 503


@pytest.mark.parametrize("path", ["/v1/jobs/not-a-uuid", "/v1/orders/%00"])
def test_bad_path_values_are_422(api, db, path):
    r = api.get(path, headers=ops_headers(api, db))
    assert r.status_code == 422, r.text
