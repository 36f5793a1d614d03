"""The OpenAPI document as tools need it: every error is problem+json with its status documented,
every request body has an example, and the API key and bearer token are security schemes.

FastAPI documents only 200 and its own 422 (as application/json). This adds, per operation, the
statuses the shared machinery can answer: 401/403 where a credential is required, 404 where a path
names something or a body refers to something, 409 for writes (state conflicts), 422 for any input,
429 for login, 500 and 503 for every operation, and keeps what a route declared itself.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.errors import PROBLEM_JSON

PROBLEM_SCHEMA = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details. `field` names the offending input, when there is one.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": ["string", "null"]},
        "field": {"type": ["string", "null"]},
        "errors": {
            "type": "array",
            "items": {"type": "object", "properties": {
                "field": {"type": ["string", "null"]}, "message": {"type": "string"}, "type": {"type": "string"},
            }},
        },
    },
    "additionalProperties": True,
}

DESCRIPTIONS = {
    "400": "Bad request", "401": "Missing, invalid, expired or revoked credentials",
    "403": "The caller's role may not do this", "404": "Not found, or not visible to this caller",
    "409": "Conflicts with the current state (the problem says what and what is allowed)",
    "413": "Too large", "415": "Unsupported media type",
    "422": "Invalid input: the problem's `field` names it", "429": "Too many attempts; see Retry-After",
    "500": "Unexpected error; quote the request id", "503": "Database unreachable or busy; see Retry-After",
}
WRITES = {"post", "put", "patch", "delete"}


def _problem_response(status: str, description: str | None = None) -> dict:
    return {
        "description": description or DESCRIPTIONS.get(status, "Error"),
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _example(schema: dict, components: dict, depth: int = 0) -> Any:
    """A value that fits `schema`, from its own examples and defaults where it has them."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components, depth)
    if schema.get("examples"):
        return schema["examples"][0]
    if "example" in schema:
        return schema["example"]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return _example(options[0], components, depth)
    if "allOf" in schema:
        return _example(schema["allOf"][0], components, depth)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 6:
            return {}
        required = set(schema.get("required", ()))
        return {name: _example(sub, components, depth + 1)
                for name, sub in schema.get("properties", {}).items() if name in required or depth == 0}
    if kind == "array":
        item = _example(schema.get("items", {}), components, depth + 1)
        return [item] * max(1, schema.get("minItems", 1))
    if kind == "integer":
        return max(schema.get("minimum", 1), 1) if "maximum" not in schema else schema.get("minimum", schema["maximum"])
    if kind == "number":
        low, high = schema.get("minimum"), schema.get("maximum")
        return (low + high) / 2 if low is not None and high is not None else (low if low is not None else 1.0)
    if kind == "boolean":
        return True
    if kind == "string":
        return {"date-time": "2026-12-02T09:00:00+08:00", "date": "2026-12-02", "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                "uri": "https://example.com/", "email": "ops@example.com", "binary": ""}.get(schema.get("format"), "text")
    return None


def _adjust_operation(op: dict, method: str, path: str, components: dict) -> None:
    responses = op.setdefault("responses", {})
    for status, response in list(responses.items()):
        if status.startswith(("4", "5")):
            described = response.get("description")
            responses[status] = _problem_response(status, None if described in (None, "Validation Error") else described)
    secured = bool(op.get("security"))
    wanted = ["422", "500", "503"]
    if secured:
        wanted += ["401", "403"]
    if "{" in path or "requestBody" in op:
        wanted.append("404")
    if method in WRITES:
        wanted.append("409")
    if path == "/v1/auth/login":
        wanted += ["401", "429"]
    for status in wanted:
        responses.setdefault(status, _problem_response(status))
    body = op.get("requestBody", {}).get("content", {})
    for media, content in body.items():
        if "example" not in content and "examples" not in content and "schema" in content:
            content["example"] = _example(content["schema"], components)


def install(app: FastAPI) -> None:
    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes,
            openapi_version=app.openapi_version,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        components["Problem"] = PROBLEM_SCHEMA
        for path, item in schema.get("paths", {}).items():
            for method, op in item.items():
                if method in WRITES | {"get", "head", "options"}:
                    _adjust_operation(op, method, path, components)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi
