"""The consumer taps "submit" twice at once: one rating is stored, the other request gets 409."""

import asyncio

import httpx
from sqlalchemy.orm import Session

from app.feedback.models import JobRating
from tests.app.feedback.builders import rating, visit


def test_concurrent_double_submit_stores_one_rating(live_app, backend):
    with Session(backend.engine) as s:
        v = visit(s)
        url, job_id = f"{v.track}/jobs/{v.job.id}/rating", v.job.id

    async def run():
        transport = httpx.ASGITransport(app=live_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://shifu") as c:
            return await asyncio.gather(*(c.post(url, json=rating(5 - i % 2)) for i in range(4)))

    responses = asyncio.run(run())
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409], [r.text for r in responses]
    assert all(r.json()["type"].endswith("already-rated") for r in responses if r.status_code == 409)
    with Session(backend.engine) as s:
        assert s.query(JobRating).filter_by(job_id=job_id).count() == 1
