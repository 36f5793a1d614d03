"""A job offered to several technicians is accepted by exactly one, however many accept at once."""

import asyncio

import httpx
from sqlalchemy.orm import Session

from tests.factories import make_client, make_order, make_technician


def test_concurrent_accepts_one_wins_every_other_gets_409(live_app, backend):
    with Session(backend.engine) as s:
        client = make_client(s)
        job = make_order(s, client.id)[1][0]
        techs = [make_technician(s, name=f"师傅{i}") for i in range(8)]
        from app.actors import SYSTEM
        from app.jobs import service

        service.offer(s, job, [t.id for t in techs], SYSTEM, None)
        s.commit()
        job_id, phones = job.id, [t.phone for t in techs]

    async def run():
        transport = httpx.ASGITransport(app=live_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://shifu") as c:
            tokens = []
            for phone in phones:
                r = await c.post("/v1/auth/login", json={"username": phone, "password": "tech-pass-123"})
                tokens.append(r.json()["access_token"])
            return await asyncio.gather(*(
                c.post(f"/v1/jobs/{job_id}/accept", headers={"Authorization": f"Bearer {t}"}) for t in tokens
            ))

    responses = asyncio.run(run())
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * 7, [r.text for r in responses]
    winner = next(r for r in responses if r.status_code == 200).json()["technician_id"]
    for r in responses:
        if r.status_code == 409:
            assert r.json()["type"].endswith(("illegal-transition", "no-open-offer"))
    with Session(backend.engine) as s:
        from app.jobs.models import Job, JobEvent, JobOffer

        assert str(s.get(Job, job_id).technician_id) == winner
        accepted = s.query(JobOffer).filter_by(job_id=job_id, status="accepted").count()
        accepts = s.query(JobEvent).filter_by(job_id=job_id, action="accept").count()
        assert accepted == 1 and accepts == 1
