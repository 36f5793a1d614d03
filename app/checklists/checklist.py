"""A job's checklist at work: read, nodes completed with their evidence, waived by ops or closed by the
system on the job's events, and the gate that keeps a job open while a mandatory node is.

Every request is checked in full before anything is written, so a refusal leaves no trace.
"""

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actors import SYSTEM, Actor
from app.checklists import evidence
from app.checklists.models import CompletedBy, JobNode, NodePhoto, NodeStatus, ProcessTemplate
from app.errors import conflict, forbidden, not_found
from app.events import bus
from app.geo import lonlat
from app.jobs.models import Job, JobStatus
from app.models_base import utcnow

# A node can be worked on while a technician holds the job on the day, not before or after.
WORKING = (JobStatus.accepted, JobStatus.scheduled, JobStatus.en_route, JobStatus.on_site, JobStatus.in_progress)
TERMINAL = (JobStatus.completed, JobStatus.failed, JobStatus.cancelled)


# --- reading ---------------------------------------------------------------------------------------------


# Checklist order: by position; a brand node placed at a standard node's position comes after it.
IN_ORDER = (JobNode.position, JobNode.source.desc())


def nodes_of(session: Session, job: Job) -> list[JobNode]:
    return list(session.scalars(select(JobNode).where(JobNode.job_id == job.id).order_by(*IN_ORDER)))


def photos_of(session: Session, job: Job) -> list[NodePhoto]:
    return list(session.scalars(select(NodePhoto).where(NodePhoto.job_id == job.id).order_by(NodePhoto.uploaded_at)))


def node_of(session: Session, job: Job, code: str) -> JobNode:
    node = session.scalar(select(JobNode).where(JobNode.job_id == job.id, JobNode.code == code))
    if node is None:
        raise not_found("checklist node", code)
    return node


def open_mandatory(session: Session, job: Job) -> list[JobNode]:
    return list(
        session.scalars(
            select(JobNode)
            .where(JobNode.job_id == job.id, JobNode.status == NodeStatus.open, JobNode.mandatory)
            .order_by(*IN_ORDER)
        )
    )


def view(session: Session, job: Job) -> dict:
    nodes = nodes_of(session, job)
    photos: dict[uuid.UUID, list[dict]] = {}
    by_id = {n.id: n.code for n in nodes}
    for p in photos_of(session, job):
        photos.setdefault(p.job_node_id, []).append({
            "id": p.id, "node_code": by_id.get(p.job_node_id), "kind": p.kind, "content_type": p.content_type,
            "size_bytes": p.size_bytes, "sha256": p.sha256, "uploaded_at": p.uploaded_at, "url": f"/v1/photos/{p.id}",
        })
    template_id = next((n.template_id for n in nodes if n.template_id), None)
    template = session.get(ProcessTemplate, template_id) if template_id else None
    count = {s: sum(1 for n in nodes if n.status == s) for s in NodeStatus}
    return {
        "job_id": job.id,
        "job_status": job.status,
        "template": template,
        "summary": {
            "nodes": len(nodes), "open": count[NodeStatus.open], "done": count[NodeStatus.done],
            "waived": count[NodeStatus.waived],
            "open_mandatory": sum(1 for n in nodes if n.status == NodeStatus.open and n.mandatory),
        },
        "nodes": [{**{c: getattr(n, c) for c in _NODE_OUT}, "photos": photos.get(n.id, [])} for n in nodes],
    }


_NODE_OUT = (
    "code", "position", "stage", "title_zh", "title_en", "completed_by", "mandatory", "depends_on", "evidence",
    "sla_anchor", "sla_minutes", "source", "status", "due_at", "completed_at", "completed_by_type", "values",
    "waive_reason",
)


def consumer_nodes(session: Session, jobs: list[Job]) -> list[JobNode]:
    if not jobs:
        return []
    return list(session.scalars(
        select(JobNode)
        .where(JobNode.job_id.in_([j.id for j in jobs]), JobNode.completed_by == CompletedBy.consumer)
        .order_by(JobNode.job_id, *IN_ORDER)
    ))


# --- the checks every write shares ----------------------------------------------------------------


def check_writable(job: Job, node: JobNode, by: str) -> None:
    """`by` is the path the request came through: "technician" (also ops) or "consumer"."""
    if node.completed_by == CompletedBy.system:
        raise conflict("system-node", f"node {node.code} is completed by the system when its event happens, "
                       "not through the API", node_code=node.code)
    if by == "consumer" and node.completed_by != CompletedBy.consumer:
        raise forbidden(f"node {node.code} is completed by the technician")
    if by != "consumer" and node.completed_by == CompletedBy.consumer:
        raise conflict("consumer-node", f"node {node.code} is completed by the consumer through the tracking link",
                       node_code=node.code)
    if job.status not in WORKING:
        raise conflict(
            "job-not-active", f"the checklist can be worked while the job is {', '.join(WORKING)}; it is {job.status}",
            current_status=job.status,
        )
    if node.status != NodeStatus.open:
        raise conflict("node-already-done", f"node {node.code} is already {node.status}", node_code=node.code,
                       node_status=node.status)


# --- completing, waiving -----------------------------------------------------------------------------------


def complete(session: Session, job: Job, code: str, given: evidence.Given, actor: Actor, *, by: str) -> JobNode:
    node = node_of(session, job, code)
    check_writable(job, node, by)
    nodes = nodes_of(session, job)
    _check_dependencies(node, nodes)
    counts = {
        kind: n for kind, n in session.execute(
            select(NodePhoto.kind, func.count()).where(NodePhoto.job_node_id == node.id).group_by(NodePhoto.kind)
        )
    }
    given = evidence.Given(
        reading=given.reading, text=given.text, checkbox=given.checkbox, checkin=given.checkin,
        photos=counts.get("photo", 0), signatures=counts.get("signature", 0),
    )
    values = evidence.check(node.evidence or {}, given, lonlat(job.location))
    photo_ids = [
        str(p) for p in session.scalars(
            select(NodePhoto.id).where(NodePhoto.job_node_id == node.id).order_by(NodePhoto.uploaded_at)
        )
    ]
    if photo_ids:
        values["photo_ids"] = photo_ids
    _close(node, NodeStatus.done, actor, values)
    session.flush()
    _after_closed(session, job, [node], actor, nodes)
    return node


def waive(session: Session, job: Job, code: str, reason: str, actor: Actor) -> JobNode:
    node = node_of(session, job, code)
    if node.completed_by == CompletedBy.system:
        raise conflict("system-node", f"node {code} is closed by the system when its event happens; "
                       "it cannot be waived", node_code=code)
    if job.status in TERMINAL:
        raise conflict("job-not-active", f"the job is {job.status}; its checklist is closed",
                       current_status=job.status)
    if node.status != NodeStatus.open:
        raise conflict("node-already-done", f"node {code} is already {node.status}", node_code=code,
                       node_status=node.status)
    _close(node, NodeStatus.waived, actor, None)
    node.waive_reason = reason
    session.flush()
    _after_closed(session, job, [node], actor, nodes_of(session, job))
    return node


def _check_dependencies(node: JobNode, nodes: list[JobNode]) -> None:
    status = {n.code: n.status for n in nodes}
    waiting = [d for d in node.depends_on or [] if status.get(d, NodeStatus.done) == NodeStatus.open]
    if waiting:
        raise conflict(
            "node-dependencies-open",
            f"node {node.code} waits for {len(waiting)} open node(s): {', '.join(waiting)}",
            node_code=node.code, open_dependencies=waiting,
        )


def _close(node: JobNode, status: str, actor: Actor, values: dict | None) -> None:
    node.status = status
    node.completed_at = utcnow()
    node.completed_by_type = actor.type
    node.completed_by_id = actor.id
    node.values = values


def _after_closed(session: Session, job: Job, closed: list[JobNode], actor: Actor, nodes: list[JobNode]) -> None:
    for node in closed:
        _published(session, job, node, actor)
    _settle_system_nodes(session, job, nodes)  # a system node may have been waiting on these


def _published(session: Session, job: Job, node: JobNode, actor: Actor) -> None:
    data = {"node_code": node.code, "title_zh": node.title_zh, "title_en": node.title_en, "stage": node.stage}
    if node.status == NodeStatus.waived:
        bus.publish(session, "checklist.node_waived", actor, {**data, "reason": node.waive_reason}, job=job)
    else:
        bus.publish(session, "checklist.node_completed", actor, data, job=job)


# --- system nodes ------------------------------------------------------------------------------------------


def system_event(session: Session, job: Job, event: str) -> list[JobNode]:
    """The event happened: its open system nodes close once their dependencies are closed. One whose
    dependencies are still open remembers the event and closes when they are."""
    nodes = nodes_of(session, job)
    now = utcnow().isoformat()
    for n in nodes:
        waiting = n.completed_by == CompletedBy.system and n.status == NodeStatus.open
        if waiting and (n.evidence or {}).get("auto") == event:
            if not (n.values or {}).get("observed_at"):
                n.values = {"auto": event, "observed_at": now}  # a new dict: JSON columns track assignment
    return _settle_system_nodes(session, job, nodes)


def _settle_system_nodes(session: Session, job: Job, nodes: list[JobNode]) -> list[JobNode]:
    closed = {n.code for n in nodes if n.status != NodeStatus.open}
    settled: list[JobNode] = []
    progress = True
    while progress:
        progress = False
        for n in nodes:
            if (
                n.status == NodeStatus.open and n.completed_by == CompletedBy.system
                and (n.values or {}).get("observed_at") and all(d in closed for d in n.depends_on or [])
            ):
                _close(n, NodeStatus.done, SYSTEM, dict(n.values))
                closed.add(n.code)
                settled.append(n)
                progress = True
    if settled:
        session.flush()
        for n in settled:
            _published(session, job, n, SYSTEM)
    return settled


# --- the gate on completing a job ------------------------------------------------------------------------


def refuse_completion_if_open(session: Session, job: Job) -> None:
    waiting = open_mandatory(session, job)
    if waiting:
        raise conflict(
            "checklist-incomplete",
            f"{len(waiting)} mandatory checklist node(s) are still open; complete them (or ask ops to waive "
            "them) before completing the job",
            open_nodes=[
                {"code": n.code, "title_zh": n.title_zh, "title_en": n.title_en, "stage": n.stage} for n in waiting
            ],
        )
