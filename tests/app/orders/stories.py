"""What an order story needs: a valid order body, windows relative to now, and counts of what exists."""

import copy
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from app.orders.models import Order
from tests.factories import HANGZHOU

SHANGHAI_OFFSET = "+08:00"


def window(hours_from_now: float = 24, length_hours: float = 3, tz=timezone(timedelta(hours=8))) -> dict:
    start = (datetime.now(timezone.utc) + timedelta(hours=hours_from_now)).astimezone(tz).replace(microsecond=0)
    return {"start": start.isoformat(), "end": (start + timedelta(hours=length_hours)).isoformat()}


def order_body(service_type: str = "install", categories=("air_conditioner",), **overrides) -> dict:
    body = {
        "service_type": service_type,
        "appliances": [
            {"category": c, "brand": "格力 Gree", "model": "KFR-35GW", "serial": f"SN{i:04d}", "purchase_date": "2026-01-15"}
            for i, c in enumerate(categories)
        ],
        "contact": {"name": "李女士", "phone": "13800001111"},
        "address": "杭州市西湖区文三路 90 号 3 幢 502",
        "location": {"lon": HANGZHOU[0] + 0.01, "lat": HANGZHOU[1] + 0.01},
        "windows": [window()],
        "urgency": "normal",
        "notes": "请先电话联系",
    }
    body.update(copy.deepcopy(overrides))
    return body


def order_count(db) -> int:
    return db.scalar(select(func.count()).select_from(Order))


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def expect_problem(r, status: int, field: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["detail"]
    if field is not None:
        assert body.get("field") == field, body
    return body


def finish_job(db, job_id, technician) -> None:
    """Walk a job through its lifecycle to completed, as the technician's day would."""
    from app.actors import SYSTEM, Actor
    from app.jobs import service as jobs
    from app.jobs.models import Job

    job = db.get(Job, uuid.UUID(str(job_id)))
    jobs.assign(db, job, technician.id, SYSTEM, "test: nearest technician")
    me = Actor("technician", str(technician.id))
    jobs.act(db, job, "schedule", me, scheduled_start=job.window_start)
    for action in ("depart", "arrive", "start"):
        jobs.act(db, job, action, me)
    from tests.app.checklists.builders import finish_checklist

    finish_checklist(db, job)  # the job closes only with its checklist's evidence
    jobs.act(db, job, "complete", me)
    db.commit()
