"""A job with a checklist made in the test (no template library needed), and ways to move its clock."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.actors import Actor
from app.checklists.models import JobNode, NodeStatus
from app.events import bus
from app.jobs import service as jobs
from app.models_base import utcnow
from app.sla import service as sla
from tests.factories import make_client, make_order, make_technician


@dataclass(frozen=True)
class Node:
    code: str
    anchor: str | None = None
    minutes: int | None = None
    title_zh: str = "测试节点"
    title_en: str = "Test node"
    stage: str = "work"


def checklist(db: Session, job, *nodes: Node) -> list[JobNode]:
    """Make `nodes` the job's whole checklist, as the checklists engine would have instantiated it,
    then start their clocks as the SLA hook does on creation. Optional nodes, so they never hold up
    the job's own transitions."""
    db.execute(delete(JobNode).where(JobNode.job_id == job.id))
    rows = [
        JobNode(
            job_id=job.id, code=n.code, position=(i + 1) * 10, stage=n.stage, title_zh=n.title_zh,
            title_en=n.title_en, mandatory=False, depends_on=[], evidence={"checkbox": True},
            sla_anchor=n.anchor, sla_minutes=n.minutes,
        )
        for i, n in enumerate(nodes)
    ]
    db.add_all(rows)
    db.flush()
    sla.start_clocks(db, [job])
    db.commit()
    return rows


def node(db: Session, job, code: str) -> JobNode:
    db.expire_all()
    return db.scalar(select(JobNode).where(JobNode.job_id == job.id, JobNode.code == code))


def complete_node(db: Session, job, code: str, at: datetime | None = None) -> JobNode:
    """Close a node the way the checklists engine does, and publish it as the engine does."""
    n = node(db, job, code)
    n.status, n.completed_at = NodeStatus.done, at or utcnow()
    n.completed_by_type, n.completed_by_id = "technician", str(job.technician_id)
    db.flush()
    bus.publish(db, "checklist.node_completed", Actor("technician", str(job.technician_id)),
                {"node_code": n.code, "title_zh": n.title_zh, "title_en": n.title_en, "stage": n.stage}, job=job)
    db.commit()
    return n


@dataclass
class Story:
    client: object
    order: object
    job: object
    tech: object


def story(db: Session, *, city: str = "hangzhou", tech=None, client=None, start_in_hours: int = 24) -> Story:
    client = client or make_client(db)
    order, job_list = make_order(db, client.id, start_in_hours=start_in_hours)
    if city != order.city:
        order.city = city
        db.commit()
    return Story(client, order, job_list[0], tech or make_technician(db))


def assign(db: Session, s: Story, tech=None) -> None:
    jobs.assign(db, s.job, (tech or s.tech).id, Actor("ops", None), "regular")
    db.commit()


def work_to(db: Session, s: Story, *actions: str) -> None:
    """Move an assigned job through day-of-service actions (schedule at its window start)."""
    for action in actions:
        kw = {"scheduled_start": s.job.window_start} if action == "schedule" else {}
        jobs.act(db, s.job, action, Actor("technician", str(s.job.technician_id)), **kw)
    db.commit()
