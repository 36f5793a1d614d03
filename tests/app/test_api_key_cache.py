"""A brand's API key is remembered between its requests, and forgotten the moment it is revoked, even
when another process of the API did the revoking."""

import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text, update
from sqlalchemy.orm import Session

from app.clients import keys
from app.clients.models import Client
from tests.factories import make_client


def _wait_for(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_a_remembered_key_answers_without_the_database_until_it_is_revoked(live_app, backend):
    with Session(backend.engine) as s:
        brand = make_client(s)
    with TestClient(live_app) as api:
        assert api.get("/v1/me", headers=brand.headers).status_code == 200
        # On PostgreSQL the key is only remembered once this process listens for revocations.
        assert _wait_for(lambda: api.get("/v1/me", headers=brand.headers).status_code == 200
                         and any(c.id == brand.id for _, c in keys._cache.values()))
        with Session(backend.engine) as s:  # the key's row says otherwise now; the cache still answers
            s.execute(update(Client).where(Client.id == brand.id).values(name="renamed behind the cache"))
            s.commit()
        assert api.get("/v1/me", headers=brand.headers).json()["name"] != "renamed behind the cache"

        slot = next(s for s, (_, c) in keys._cache.items() if c.id == brand.id)  # the service forgets at once
        with Session(backend.engine) as s:
            from app.clients.service import list_api_keys, revoke_api_key

            revoke_api_key(s, brand.id, list_api_keys(s, brand.id)[0].id)
            s.commit()
        assert slot not in keys._cache
        r = api.get("/v1/me", headers=brand.headers)
        assert r.status_code == 401 and "revoked" in r.json()["detail"]


def test_a_key_revoked_by_another_process_is_forgotten_here_at_once(live_app, backend):
    if backend.name != "postgresql":
        pytest.skip("processes sharing an embedded SQLite database are bounded by the TTL instead")
    with Session(backend.engine) as s:
        brand = make_client(s)
    with TestClient(live_app) as api:
        assert _wait_for(lambda: api.get("/v1/me", headers=brand.headers).status_code == 200
                         and any(c.id == brand.id for _, c in keys._cache.values()))
        # Another API process revokes: its own memory is not ours; only its commit's NOTIFY reaches us.
        with Session(backend.engine) as s:
            s.execute(text("UPDATE api_keys SET revoked_at = now() WHERE client_id = :id"), {"id": brand.id})
            s.execute(text("SELECT pg_notify(:channel, :client)"), {"channel": keys.CHANNEL, "client": str(brand.id)})
            s.commit()
        assert _wait_for(lambda: api.get("/v1/me", headers=brand.headers).status_code == 401, seconds=5)
