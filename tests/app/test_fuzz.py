"""A bounded schemathesis run per role over every operation: no server error, and every response is
one the OpenAPI document describes (status, content type, body schema).

Bounded: a few generated cases per operation (SHIFU_FUZZ_EXAMPLES, default 4), with the explicit
examples first. On the live app (each request its own committed transaction, as in production, wiped
afterwards); admin on both databases, the other roles on one each.
"""

import os

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.checks import not_a_server_error
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import BACKENDS
from tests.factories import bearer, make_client, make_ops_user, make_technician

EXAMPLES = int(os.environ.get("SHIFU_FUZZ_EXAMPLES", "4"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Binary and HTML answers are outside what the checks can judge from the schema.
SKIP_PATHS = ("/track/", "/book")


def _headers(role, app, backend) -> dict[str, str]:
    # The rows are committed and the session closed before logging in: on SQLite an open
    # transaction here would hold the write lock the login needs.
    with Session(backend.engine) as db:
        if role == "brand":
            return make_client(db).headers
        if role == "technician":
            login = (make_technician(db).phone, "tech-pass-123")
        else:
            login = make_ops_user(db, role)
    with TestClient(app) as api:
        return bearer(api, *login)


# Admin reaches every operation and runs on both databases; the narrower roles, which mostly meet the
# same validation and permission code, run on one each (the sweep was an eighth of the suite's time).
RUNS = [("sqlite", "admin"), ("postgresql", "admin"), ("postgresql", "dispatcher"), ("sqlite", "technician"),
        ("postgresql", "brand")]


@pytest.mark.parametrize(("backend", "role"), [r for r in RUNS if r[0] in BACKENDS], indirect=["backend"])
def test_schemathesis_finds_nothing(live_app, backend, role):
    app = live_app
    headers = _headers(role, app, backend)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    found: list[str] = []
    statuses: dict[int, int] = {}
    with asgi.get_client(app) as client:
        for result in schema.get_all_operations():
            operation = result.ok()
            # Logging out would revoke the token the rest of the run uses.
            if operation.path.startswith(SKIP_PATHS) or operation.path.startswith("/v1/auth/logout"):
                continue

            @hypothesis.settings(
                max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
            )
            @hypothesis.given(case=operation.as_strategy())
            def run(case):
                # A generous timeout: on a loaded machine a SQLite write can wait its turn for seconds.
                response = case.call(session=client, headers=headers, timeout=120)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                try:
                    case.validate_response(response, checks=CHECKS)
                except Exception as exc:  # collect them all, then fail once with the list
                    found.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {str(exc)[:400]}")

            run()
    print(role, sorted(statuses.items()))
    assert sum(statuses.values()) > 100 and any(200 <= s < 300 for s in statuses)  # it did exercise the API
    assert not found, f"{len(found)} findings:\n" + "\n".join(found[:40])
