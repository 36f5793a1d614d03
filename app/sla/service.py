"""SLAs: due times from real timestamps, breaches recorded once as they happen, the sweep, reports.

Every function takes `now` where time matters, so tests move the clock instead of sleeping.
"""

import math
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import and_, case, exists, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.actors import SYSTEM
from app.checklists.models import JobNode, NodeStatus
from app.clients.models import Client
from app.errors import forbidden, invalid
from app.events import bus
from app.jobs.models import Job, JobEvent, JobStatus
from app.models_base import utcnow
from app.sla import timeline as tl
from app.sla.definitions import ANCHOR_ACTIONS, AT_RISK_MINUTES, JOB_SLAS
from app.sla.models import BreachKind, SlaBreach
from app.technicians.models import Technician

# Sweeps other domains add to the SLA sweep (feedback's complaint tickets), by the name they count under.
_MORE_SWEEPS: dict[str, Callable[[Session, datetime], int]] = {}


def register_sweep(name: str, sweep_fn: Callable[[Session, datetime], int]) -> None:
    _MORE_SWEEPS[name] = sweep_fn

_ENDED = (JobStatus.cancelled, JobStatus.failed)


# --- recording ---------------------------------------------------------------------------------------


def record_breach(
    session: Session,
    *,
    kind: str,
    subject_id: uuid.UUID,
    sla_code: str,
    due_at: datetime,
    detected_at: datetime,
    job_id: uuid.UUID | None = None,
    technician_id: uuid.UUID | None = None,
    client_id: uuid.UUID | None = None,
    city: str | None = None,
    node_code: str | None = None,
    detail: str | None = None,
    title_zh: str | None = None,
    title_en: str | None = None,
) -> SlaBreach | None:
    """Record one breach; None if this (kind, subject, sla_code) was already recorded.

    INSERT ... ON CONFLICT DO NOTHING: two sweeps at once meet at the unique index, and on
    PostgreSQL the second waits for the first's transaction and then inserts nothing."""
    if kind not in BreachKind.__members__:
        raise ValueError(f"unknown breach kind {kind!r}")
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    values = dict(
        id=uuid.uuid4(), created_at=utcnow(), kind=kind, subject_id=subject_id, sla_code=sla_code, due_at=due_at,
        detected_at=detected_at, job_id=job_id, technician_id=technician_id, client_id=client_id, city=city,
        node_code=node_code, detail=detail, title_zh=title_zh, title_en=title_en,
    )
    stmt = (
        insert(SlaBreach)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["kind", "subject_id", "sla_code"])
        .returning(SlaBreach.id)
    )
    new_id = session.execute(stmt).scalar()
    if new_id is None:
        return None
    bus.publish(session, "sla.breached", SYSTEM,
                {"kind": kind, "code": sla_code, "due_at": due_at.isoformat().replace("+00:00", "Z")},
                job=session.get(Job, job_id) if job_id is not None else None, technician_id=technician_id)
    return session.get(SlaBreach, new_id)


def _late(due: datetime, at: datetime) -> int:
    return max(1, math.ceil((at - due).total_seconds() / 60))


def _node_detail(node, detected: datetime) -> str:
    m = _late(node.due_at, detected)
    if node.status == NodeStatus.done:
        return f"晚完成 {m} 分钟 / completed {m} min late"
    return f"超时 {m} 分钟仍未完成 / still open {m} min past due"


def _job_detail(r: tl.JobSlaResult) -> str:
    m = _late(r.due_at, r.detected_at)
    if r.done_at is not None:
        return f"晚了 {m} 分钟 / {m} min late"
    return f"超时 {m} 分钟仍未完成 / not done {m} min past due"


# --- a job's history, as the SLA side needs it ---------------------------------------------------------


class _History:
    def __init__(self, session: Session, job: Job):
        self.job = job
        self.order = job.order
        self.events = list(
            session.scalars(select(JobEvent).where(JobEvent.job_id == job.id).order_by(JobEvent.seq))
        )
        self.nodes = list(session.scalars(select(JobNode).where(JobNode.job_id == job.id).order_by(JobNode.position)))
        self.known = {
            (k, s, c)
            for k, s, c in session.execute(
                select(SlaBreach.kind, SlaBreach.subject_id, SlaBreach.sla_code).where(SlaBreach.job_id == job.id)
            )
        }
        self.stop = tl.stopped_at(self.events)

    def window_end(self) -> datetime:
        return tl.original_window_end(self.job, self.events)

    def context(self) -> dict:
        return dict(job_id=self.job.id, client_id=self.order.client_id, city=self.order.city)


def start_clocks(session: Session, jobs: list[Job]) -> None:
    """New jobs: nodes anchored on creation or on the appointment window get their due times.

    Runs on every order intake, so it reads only which clocks the new nodes have (anchor, minutes:
    a handful per job, where a job has dozens of nodes) and sets every due time in one UPDATE, each
    computed by the one rule (timeline.node_due)."""
    by_id = {j.id: j for j in jobs}
    if not by_id:
        return
    open_clocks = (JobNode.job_id.in_(by_id), JobNode.sla_anchor.is_not(None), JobNode.sla_minutes.is_not(None),
                   JobNode.status == NodeStatus.open)
    clocks = session.execute(
        select(JobNode.job_id, JobNode.sla_anchor, JobNode.sla_minutes).where(*open_clocks).distinct()
    ).all()
    anchors = {j.id: tl.anchor_times(j, [], []) for j in jobs}
    whens = []
    for job_id, anchor, minutes in clocks:
        due = tl.node_due(SimpleNamespace(sla_anchor=anchor, sla_minutes=minutes), anchors[job_id])
        if due is not None:
            whens.append((and_(JobNode.job_id == job_id, JobNode.sla_anchor == anchor, JobNode.sla_minutes == minutes),
                          literal(due, JobNode.due_at.type)))
    if whens:
        session.execute(
            update(JobNode).where(*open_clocks).values(due_at=case(*whens, else_=JobNode.due_at))
            .execution_options(synchronize_session=False)
        )


def reconcile(session: Session, job: Job, now: datetime) -> list[SlaBreach]:
    """Bring a job's SLAs up to date with what has happened: recompute the due times of its open
    nodes from their anchors, and record every breach not yet recorded. Idempotent."""
    h = _History(session, job)
    anchors = tl.anchor_times(job, h.events, h.nodes)
    new: list[SlaBreach] = []

    def node_breach(n, detected: datetime) -> None:
        if (BreachKind.node, n.id, n.code) in h.known:
            return
        b = record_breach(
            session, kind=BreachKind.node, subject_id=n.id, sla_code=n.code, due_at=n.due_at, detected_at=detected,
            technician_id=tl.holder_at(h.events, n.due_at), node_code=n.code, detail=_node_detail(n, detected),
            title_zh=n.title_zh, title_en=n.title_en, **h.context(),
        )
        h.known.add((BreachKind.node, n.id, n.code))
        if b is not None:
            new.append(b)

    for n in h.nodes:
        if not tl.has_sla(n):
            continue
        if n.status == NodeStatus.open and h.stop is None:
            due = tl.node_due(n, anchors)
            if due != n.due_at:
                # A deadline already missed stays missed, whatever moves the goalposts afterwards
                # (a reschedule, a new technician).
                if n.due_at is not None and n.due_at < now:
                    node_breach(n, now)
                n.due_at = due
        if tl.node_state(n, now, h.stop) == tl.BREACHED:
            if n.status == NodeStatus.done:
                detected = n.completed_at
            elif h.stop is not None:
                detected = h.stop
            else:
                detected = now
            node_breach(n, detected)

    for sla in JOB_SLAS:
        if (BreachKind.job, job.id, sla.code) in h.known:
            continue
        r = tl.evaluate(sla, h.events, h.window_end(), now)
        if r.state != tl.BREACHED:
            continue
        b = record_breach(
            session, kind=BreachKind.job, subject_id=job.id, sla_code=sla.code, due_at=r.due_at,
            detected_at=r.detected_at, technician_id=r.technician_id, detail=_job_detail(r),
            title_zh=sla.title_zh, title_en=sla.title_en, **h.context(),
        )
        h.known.add((BreachKind.job, job.id, sla.code))
        if b is not None:
            new.append(b)
    session.flush()
    return new


# --- the sweep -----------------------------------------------------------------------------------------


def _overdue_node_jobs(session: Session, now: datetime) -> set[uuid.UUID]:
    recorded = exists().where(
        SlaBreach.kind == BreachKind.node, SlaBreach.subject_id == JobNode.id, SlaBreach.sla_code == JobNode.code
    )
    stmt = (
        select(JobNode.job_id)
        .join(Job, Job.id == JobNode.job_id)
        .where(JobNode.status == NodeStatus.open, JobNode.due_at < now, Job.status.not_in(_ENDED), ~recorded)
        .distinct()
    )
    return set(session.scalars(stmt))


def _overdue_sla_jobs(session: Session, now: datetime) -> set[uuid.UUID]:
    """Jobs that may have a job-level SLA past due: a necessary condition per SLA, checked in SQL;
    the event log decides."""
    found: set[uuid.UUID] = set()
    for sla in JOB_SLAS:
        bound = now - timedelta(minutes=sla.minutes)
        recorded = exists().where(
            SlaBreach.kind == BreachKind.job, SlaBreach.subject_id == Job.id, SlaBreach.sla_code == sla.code
        )
        stmt = select(Job.id).where(Job.status.in_(sla.open_statuses), ~recorded)
        if sla.anchor == "window_end":
            stmt = stmt.where(Job.window_end < bound)
        else:
            stmt = stmt.where(
                exists().where(
                    JobEvent.job_id == Job.id, JobEvent.action.in_(ANCHOR_ACTIONS[sla.anchor]), JobEvent.at < bound
                )
            )
        found |= set(session.scalars(stmt))
    return found


def sweep(session: Session, now: datetime) -> dict[str, int]:
    """Record every breach that has happened by `now` and is not yet recorded. Returns how many new
    breaches of each kind. Safe to run twice and concurrently: a breach is recorded at most once."""
    counts = {"nodes": 0, "jobs": 0, **{name: 0 for name in _MORE_SWEEPS}}
    job_ids = sorted(_overdue_node_jobs(session, now) | _overdue_sla_jobs(session, now))
    for i in range(0, len(job_ids), 500):
        for job in session.scalars(select(Job).where(Job.id.in_(job_ids[i:i + 500])).order_by(Job.id)):
            for b in reconcile(session, job, now):
                counts[f"{b.kind}s"] += 1
    for name, more in _MORE_SWEEPS.items():
        counts[name] = int(more(session, now) or 0)
    return counts


# --- reading ---------------------------------------------------------------------------------------------


def breaches_stmt(
    principal, *, kind=None, city=None, client_id=None, technician_id=None, node_code=None, since=None, until=None,
):
    """Breaches the caller may see: ops all, a client those of its orders, a technician its own."""
    stmt = select(SlaBreach)
    if principal.kind == "client":
        stmt = stmt.where(SlaBreach.client_id == principal.id)
    elif principal.technician_id is not None:
        stmt = stmt.where(SlaBreach.technician_id == principal.technician_id)
    elif not principal.is_ops:
        raise forbidden("SLA breaches are for ops staff, clients and technicians")
    return _filtered(stmt, kind=kind, city=city, client_id=client_id, technician_id=technician_id,
                     node_code=node_code, since=since, until=until)


def _filtered(stmt, *, kind=None, city=None, client_id=None, technician_id=None, node_code=None, since=None,
              until=None):
    if since is not None and until is not None and until <= since:
        raise invalid("until", "must be after since")
    for column, value in (
        (SlaBreach.kind, kind), (SlaBreach.city, city), (SlaBreach.client_id, client_id),
        (SlaBreach.technician_id, technician_id), (SlaBreach.node_code, node_code),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if since is not None:
        stmt = stmt.where(SlaBreach.detected_at >= since)
    if until is not None:
        stmt = stmt.where(SlaBreach.detected_at < until)
    return stmt


GROUPS = {
    "technician": SlaBreach.technician_id,
    "client": SlaBreach.client_id,
    "city": SlaBreach.city,
    "node_code": SlaBreach.node_code,
}


def summary(session: Session, group_by: str, **filters) -> dict:
    column = GROUPS[group_by]
    stmt = _filtered(select(column, SlaBreach.kind, func.count()).select_from(SlaBreach), **filters)
    rows = session.execute(stmt.group_by(column, SlaBreach.kind)).all()
    groups: dict = {}
    for key, kind, count in rows:
        g = groups.setdefault(key, {"key": None if key is None else str(key), "label": None, "count": 0, "by_kind": {}})
        g["count"] += count
        g["by_kind"][kind] = count
    _label(session, group_by, groups)
    ordered = sorted(groups.values(), key=lambda g: (-g["count"], g["key"] or ""))
    return {"group_by": group_by, "total": sum(g["count"] for g in ordered), "groups": ordered}


def _label(session: Session, group_by: str, groups: dict) -> None:
    model = {"technician": Technician, "client": Client}.get(group_by)
    ids = [k for k in groups if k is not None]
    if model is None or not ids:
        return
    for ident, name in session.execute(select(model.id, model.name).where(model.id.in_(ids))):
        groups[ident]["label"] = name


def job_sla(session: Session, job: Job, now: datetime) -> dict:
    """Every node and job-level SLA of one job with its state, and the job's overall status."""
    h = _History(session, job)
    nodes = []
    for n in h.nodes:
        if not tl.has_sla(n):
            continue
        state = tl.node_state(n, now, h.stop)
        if (BreachKind.node, n.id, n.code) in h.known:
            state = tl.BREACHED  # recorded before its due time moved: a miss stays a miss
        nodes.append({
            "code": n.code, "title_zh": n.title_zh, "title_en": n.title_en, "stage": n.stage,
            "anchor": n.sla_anchor, "minutes": n.sla_minutes, "due_at": n.due_at, "completed_at": n.completed_at,
            "state": state,
        })
    job_slas = []
    for sla in JOB_SLAS:
        r = tl.evaluate(sla, h.events, h.window_end(), now)
        job_slas.append({
            "code": sla.code, "title_zh": sla.title_zh, "title_en": sla.title_en, "anchor": sla.anchor,
            "minutes": sla.minutes, "anchor_at": r.anchor_at, "due_at": r.due_at, "done_at": r.done_at,
            "state": r.state,
        })
    return {
        "job_id": job.id, "job_status": job.status, "evaluated_at": now,
        "status": overall_status(nodes + job_slas, now), "nodes": nodes, "job": job_slas,
    }


def overall_status(items: list[dict], now: datetime) -> str:
    if any(i["state"] == tl.BREACHED for i in items):
        return "breached"
    soon = now + timedelta(minutes=AT_RISK_MINUTES)
    if any(i["state"] == tl.PENDING and i["due_at"] <= soon for i in items):
        return "at_risk"
    return "on_track"


def compliance(session: Session, technician_id: uuid.UUID) -> tuple[int, int]:
    """(SLAs met, SLAs decided) for a technician: node and job-level SLAs of its jobs that are over.

    Breached: every node or job breach recorded against the technician (who held the job when the
    deadline passed). Met: nodes of its jobs completed by their due time, and job-level SLAs it was
    holding the job for when they were met. Still-running clocks count for neither."""
    breached = session.scalar(
        select(func.count()).select_from(SlaBreach).where(
            SlaBreach.technician_id == technician_id, SlaBreach.kind.in_((BreachKind.node, BreachKind.job))
        )
    ) or 0
    met = session.scalar(
        select(func.count()).select_from(JobNode).join(Job, Job.id == JobNode.job_id).where(
            Job.technician_id == technician_id, JobNode.status == NodeStatus.done, JobNode.due_at.is_not(None),
            JobNode.completed_at <= JobNode.due_at,
        )
    ) or 0
    jobs = list(session.scalars(select(Job).where(Job.technician_id == technician_id)))
    if jobs:
        events: dict[uuid.UUID, list] = {j.id: [] for j in jobs}
        for e in session.scalars(
            select(JobEvent).where(JobEvent.job_id.in_(events)).order_by(JobEvent.job_id, JobEvent.seq)
        ):
            events[e.job_id].append(e)
        now = utcnow()
        for job in jobs:
            evs = events[job.id]
            window_end = tl.original_window_end(job, evs)
            for sla in JOB_SLAS:
                if not sla.technician_responsible:
                    continue
                r = tl.evaluate(sla, evs, window_end, now)
                met += r.state == tl.MET and r.technician_id == technician_id
    return met, met + breached
