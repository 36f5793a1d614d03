"""Of a consumer confirming and a technician withdrawing the same charge at once exactly one wins; a
close racing with new charges never leaves a closed sheet with a charge still waiting."""

import asyncio
import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.pricing.models import PENDING, ChargeSheet, JobCharge
from app.pricing.service import load_default_prices
from tests.app.pricing.builders import tracked_order, work
from tests.factories import make_client, make_technician


def _setup(backend):
    with Session(backend.engine) as s:
        load_default_prices(s)
        s.commit()
        client = make_client(s)
        _, (job,), token = tracked_order(s, client.id, service_type="install")
        tech = make_technician(s)
        work(s, job, tech)
        return job.id, tech.phone, token


async def _login(c, phone) -> dict:
    r = await c.post("/v1/auth/login", json={"username": phone, "password": "tech-pass-123"})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_confirm_and_withdraw_at_once_exactly_one_wins(live_app, backend):
    job_id, phone, token = _setup(backend)

    async def run():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=live_app), base_url="http://shifu") as c:
            th = await _login(c, phone)
            r = await c.post(f"/v1/jobs/{job_id}/charges", json={"item_code": "drain_pipe", "quantity": 2}, headers=th)
            charge_id = r.json()["id"]
            calls = [c.post(f"/v1/track/{token}/charges/{charge_id}/confirm") for _ in range(3)]
            calls += [c.post(f"/v1/charges/{charge_id}/withdraw", headers=th) for _ in range(3)]
            return charge_id, await asyncio.gather(*calls)

    charge_id, responses = asyncio.run(run())
    assert sorted(r.status_code for r in responses) == [200] + [409] * 5, [r.text for r in responses]
    with Session(backend.engine) as s:
        charge = s.get(JobCharge, uuid.UUID(charge_id))
        assert charge.status in ("confirmed", "withdrawn") and len(charge.history) == 2


def test_a_close_racing_new_charges_never_closes_over_a_waiting_one(live_app, backend):
    job_id, phone, token = _setup(backend)

    async def run():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=live_app), base_url="http://shifu") as c:
            th = await _login(c, phone)
            calls = [c.post(f"/v1/jobs/{job_id}/charges", json={"item_code": "drain_pipe"}, headers=th)
                     for _ in range(3)]
            calls.insert(1, c.post(f"/v1/jobs/{job_id}/charges/close", headers=th))
            return await asyncio.gather(*calls)

    responses = asyncio.run(run())
    assert all(r.status_code in (200, 201, 409) for r in responses), [r.text for r in responses]
    with Session(backend.engine) as s:
        sheet = s.get(ChargeSheet, job_id)
        waiting = list(s.scalars(select(JobCharge).where(JobCharge.job_id == job_id, JobCharge.status.in_(PENDING))))
        assert sheet.closed_at is None or waiting == []
        assert len(waiting) == sum(r.status_code == 201 for r in responses)
