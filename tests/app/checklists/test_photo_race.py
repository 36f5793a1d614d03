"""One picture sent as evidence on two jobs at the same instant: one upload wins, the other is
refused as reused, on both databases (the database decides, not a check that both pass)."""

import asyncio
import time

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.checklists import photos
from app.checklists.models import NodePhoto
from app.checklists.storage import LocalStorage
from tests.app.checklists.builders import install_template, jpeg
from tests.app.checklists.conftest import REPAIR_NODES, work
from tests.factories import make_client, make_order, make_technician


@pytest.fixture
def photo_store():
    """Replaces this folder's autouse one, whose rolled-back test transaction would hold SQLite's
    write lock against the live app."""


def test_the_same_photo_on_two_jobs_at_once_is_accepted_once(live_app, backend, tmp_path, monkeypatch):
    live_app.state.storage = LocalStorage(tmp_path / "photos")
    with Session(backend.engine) as s:
        install_template(s, "repair", "air_conditioner", REPAIR_NODES)
        client = make_client(s)
        tech = make_technician(s)
        jobs = [make_order(s, client.id)[1][0] for _ in range(2)]
        for job in jobs:
            work(s, job, tech)
        job_ids, phone = [j.id for j in jobs], tech.phone

    # Widen the window between the reuse check and the insert, as a slow disk or network would: both
    # requests pass the check before either has written its row.
    check = photos._refuse_reuse

    def slow_check(*args, **kwargs):
        check(*args, **kwargs)
        time.sleep(0.5)

    monkeypatch.setattr(photos, "_refuse_reuse", slow_check)
    picture = jpeg()

    async def run():
        transport = httpx.ASGITransport(app=live_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://shifu") as c:
            login = await c.post("/v1/auth/login", json={"username": phone, "password": "tech-pass-123"})
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            return await asyncio.gather(*(
                c.post(f"/v1/jobs/{job_id}/checklist/photo_before/photos",
                       files=[("files", ("a.jpg", picture, "image/jpeg"))], headers=headers)
                for job_id in job_ids
            ))

    responses = asyncio.run(run())
    assert sorted(r.status_code for r in responses) == [201, 409], [r.text for r in responses]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["type"].endswith("/photo-reused") and loser.json()["field"] == "files[0]"
    with Session(backend.engine) as s:
        assert s.scalar(select(func.count()).select_from(NodePhoto)) == 1
