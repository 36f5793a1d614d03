"""What a warranty story needs: brands with products, orders naming an appliance, and finished jobs."""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.jobs.models import Job, JobEvent, JobStatus
from app.models_base import utcnow
from tests.app.orders.stories import order_body
from tests.factories import make_client, make_order


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def years_ago(years: float) -> date:
    return today() - timedelta(days=round(365.25 * years))


def make_brand(db, name: str = "格力 Gree"):
    # Client names are unique; the suffix keeps "格力" and "Gree" as the words a brand is matched by.
    return make_client(db, name=f"{name} {uuid.uuid4().hex[:4]}")


def product_body(**overrides) -> dict:
    body = {
        "category": "air_conditioner",
        "model": "KFR-35GW/NhGc1B",
        "serial": f"GR{uuid.uuid4().hex[:10].upper()}",
        "purchase_date": years_ago(0.5).isoformat(),
        "channel": "jd",
        "consumer_phone": "13912345678",
    }
    body.update(overrides)
    return body


def register(api, brand, **overrides) -> dict:
    r = api.post("/v1/products", json=product_body(**overrides), headers=brand.headers)
    assert r.status_code == 201, r.text
    return r.json()


def appliance(serial: str | None = None, purchase_date: date | None = None, category: str = "air_conditioner",
              brand: str = "格力 Gree") -> dict:
    return {
        "category": category, "brand": brand, "model": "KFR-35GW", "serial": serial,
        "purchase_date": purchase_date.isoformat() if purchase_date else None,
    }


def post_order(api, client, service_type: str = "repair", **appliance_fields) -> dict:
    """A client's order for one appliance; returns its first job as the API shows it."""
    body = order_body(service_type, appliances=[appliance(**appliance_fields)], problem_description="不制冷")
    r = api.post("/v1/orders", json=body, headers=client.headers)
    assert r.status_code == 201, r.text
    return r.json()["jobs"][0]


def decision(api, job_id, headers) -> dict:
    r = api.get(f"/v1/jobs/{job_id}/warranty", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def completed_job(db, client, technician, serial: str, days_ago: float, service_type: str = "repair") -> Job:
    """A job on the appliance with `serial`, completed by `technician` `days_ago` days ago.

    Written directly (status and the "complete" event): the story starts after the job was done."""
    order, jobs = make_order(db, client.id, service_type=service_type)
    order.appliances[0].serial = serial
    job = db.get(Job, jobs[0].id)
    job.status, job.technician_id = JobStatus.completed, technician.id
    db.add(JobEvent(job_id=job.id, seq=2, at=utcnow() - timedelta(days=days_ago), actor_type="technician",
                    actor_id=str(technician.id), action="complete", from_status="in_progress",
                    to_status=JobStatus.completed))
    db.commit()
    return job
