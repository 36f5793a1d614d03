"""A job on site with its price list, its consumer's tracking token, and ways to move it along."""

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.actors import SYSTEM, Actor
from app.jobs import service as jobs
from app.security import sha256
from tests.factories import make_order


@dataclass
class Story:
    client: object
    order: object
    job: object
    tech: object
    token: str
    ops: dict
    tech_h: dict

    @property
    def charges_url(self) -> str:
        return f"/v1/jobs/{self.job.id}/charges"

    def track(self, path: str = "") -> str:
        return f"/v1/track/{self.token}{path}"


def tracked_order(db: Session, client_id, **kw):
    """An order (see tests.factories.make_order) whose consumer holds a tracking token."""
    order, job_list = make_order(db, client_id, **kw)
    token = f"trk_{uuid.uuid4().hex}"
    order.tracking_token_hash = sha256(token)
    db.commit()
    return order, job_list, token


def work(db: Session, job, tech, until: str = "start") -> None:
    """Assign the job to `tech` and walk it up to the state `until` leads to (accept = only assigned)."""
    jobs.assign(db, job, tech.id, SYSTEM, "test: nearest technician")
    me = Actor("technician", str(tech.id))
    if until != "accept":
        jobs.act(db, job, "schedule", me, scheduled_start=job.window_start)
        for action in ("depart", "arrive", "start"):
            jobs.act(db, job, action, me)
            if action == until:
                break
    db.commit()


def finish_checklist(db: Session, job) -> None:
    """The checklist's mandatory nodes must be done before a job completes; the checklist domain's
    test helper does them when it is there."""
    try:
        from tests.app.checklists.builders import finish_checklist as finish
    except ImportError:
        return
    finish(db, job)
    db.commit()


def complete(api, db, story: Story):
    finish_checklist(db, story.job)
    return api.post(f"/v1/jobs/{story.job.id}/transitions", json={"action": "complete"}, headers=story.tech_h)


def add(api, story: Story, code: str, quantity: int = 1, **kw):
    return api.post(story.charges_url, json={"item_code": code, "quantity": quantity, **kw}, headers=story.tech_h)


def line_codes(bill: dict) -> list[str]:
    return [ln["code"] for ln in bill["lines"]]
