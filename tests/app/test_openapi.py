"""The OpenAPI document tools understand, docs pages that work offline, and the front door at `/`."""

import re

import pytest

from app.config import Settings
from app.main import create_app


@pytest.fixture(scope="module")
def spec():
    return create_app(Settings(database_url="sqlite:///:memory:", load_demo=False)).openapi()


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            yield path, method, op


def test_credentials_are_security_schemes_not_header_parameters(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {**schemes["ApiKey"], "type": "apiKey", "in": "header", "name": "X-API-Key"}
    assert schemes["Bearer"]["type"] == "http" and schemes["Bearer"]["scheme"] == "bearer"
    for path, method, op in _operations(spec):
        names = {p["name"].lower() for p in op.get("parameters", [])}
        assert not names & {"x-api-key", "authorization"}, (method, path)
    assert {"ApiKey": []} in spec["paths"]["/v1/jobs"]["get"]["security"]
    assert "security" not in spec["paths"]["/v1/auth/login"]["post"]


def test_every_error_is_documented_as_problem_json_with_its_status(spec):
    for path, method, op in _operations(spec):
        responses = op["responses"]
        for status in ("422", "500", "503"):
            assert status in responses, (method, path, status)
        if op.get("security"):
            assert {"401", "403"} <= set(responses), (method, path)
        for status, response in responses.items():
            if status[0] in "45":
                assert list(response["content"]) == ["application/problem+json"], (method, path, status)
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert "429" in spec["paths"]["/v1/auth/login"]["post"]["responses"]


def test_every_request_body_has_an_example(spec):
    bodies = 0
    for path, method, op in _operations(spec):
        for media, content in op.get("requestBody", {}).get("content", {}).items():
            bodies += 1
            assert "example" in content or "examples" in content, (method, path, media)
    assert bodies > 30
    example = spec["paths"]["/v1/orders"]["post"]["requestBody"]["content"]["application/json"]["example"]
    assert example["location"] == {"lon": 120.165, "lat": 30.284}


def test_docs_pages_load_nothing_from_other_hosts(api):
    for page in ("/docs", "/redoc"):
        r = api.get(page)
        assert r.status_code == 200
        urls = re.findall(r"""(?:src|href)\s*=\s*['"]([^'"]+)""", r.text) + re.findall(r"url:\s*'([^']+)'", r.text)
        assert urls and all(u.startswith("/") for u in urls), (page, urls)
        for asset in (u for u in urls if u.startswith("/docs-assets/")):
            assert api.get(asset).status_code == 200, asset
    assert "fonts.googleapis" not in api.get("/redoc").text


def test_front_door_is_a_page_in_chinese_then_english(api):
    r = api.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<html lang=zh-CN" in r.text and "API 文档" in r.text and "href='/docs'" in r.text
    assert "/?lang=en" in r.text
    en = api.get("/?lang=en")
    assert "API documentation" in en.text and "/?lang=zh" in en.text
    # The built apps are linked.
    assert "href='/tech/'" in r.text and "href='/console/'" in r.text


def test_front_door_shows_demo_credentials_only_in_the_embedded_demo(tmp_path):
    from fastapi.testclient import TestClient

    from app.demo.seed import DEMO

    demo = create_app(Settings(database_url=f"sqlite:///{tmp_path}/d.db", load_demo=True))
    with TestClient(demo) as c:
        assert DEMO.admin[1] in c.get("/").text
    prod = create_app(Settings(database_url="postgresql+psycopg://u@127.0.0.1:9/x", load_demo=True))
    with TestClient(prod) as c:
        assert DEMO.admin[1] not in c.get("/").text
