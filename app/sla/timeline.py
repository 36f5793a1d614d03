"""Reading SLAs off a job's history: pure functions over its events and nodes, with an explicit `now`.

Nothing here touches the database, so every rule can be checked with made-up timestamps.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.checklists.models import NodeStatus
from app.sla.definitions import ANCHOR_ACTIONS, OUTCOME_ACTIONS, STOP_ACTIONS, JobSla

# States of one SLA. not_started: its anchor has not happened yet; waived: no longer owed (ops waived
# the node, or the job was cancelled or failed before the deadline); not_applicable: the thing it
# measures happened without its anchor (e.g. ops assigned a job that was never offered).
PENDING, MET, BREACHED, WAIVED, NOT_STARTED, NOT_APPLICABLE = (
    "pending", "met", "breached", "waived", "not_started", "not_applicable",
)


def _holder_change(e) -> tuple[bool, uuid.UUID | None]:
    """(changes the holder?, new holder) for one job event."""
    if e.action == "accept":
        return True, _uuid(e.actor_id)
    if e.action in ("assign", "reassign"):
        return True, _uuid((e.data or {}).get("technician_id"))
    if e.action == "unassign":
        return True, None
    return False, None


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def holder_at(events, at: datetime | None) -> uuid.UUID | None:
    """The technician holding the job at `at` (who answers for a deadline that passed then)."""
    holder = None
    if at is None:
        return None
    for e in events:
        if e.at > at:
            break
        changes, who = _holder_change(e)
        if changes:
            holder = who
    return holder


def stopped_at(events) -> datetime | None:
    for e in events:
        if e.action in STOP_ACTIONS:
            return e.at
    return None


def anchor_times(job, events, nodes) -> dict[str, datetime | None]:
    """When each node anchor happened for this job, as things stand now."""
    t: dict[str, datetime | None] = {
        "job_created": job.created_at, "window_start": job.window_start, "window_end": job.window_end,
        "offered": None, "accepted": None, "arrived": None, "started": None, "completed": None,
    }
    for e in events:
        if e.action in ANCHOR_ACTIONS["offered"]:
            t["offered"] = t["offered"] or e.at  # the first offer: re-offers do not restart a clock
        elif e.action in ANCHOR_ACTIONS["accepted"]:
            t["accepted"] = e.at  # the current holder's acceptance: a new technician starts afresh
        elif e.action == "unassign":
            t["accepted"] = None  # nobody holds the job: its clock waits for the next technician
        for anchor in ("arrived", "started", "completed"):
            if e.action in ANCHOR_ACTIONS[anchor]:
                t[anchor] = e.at
    for n in nodes:
        if n.status in (NodeStatus.done, NodeStatus.waived) and n.completed_at is not None:
            t[f"node:{n.code}"] = n.completed_at
    return t


def has_sla(node) -> bool:
    return bool(node.sla_anchor) and node.sla_minutes is not None


def node_due(node, anchors: dict[str, datetime | None]) -> datetime | None:
    if not has_sla(node):
        return None
    at = anchors.get(node.sla_anchor)
    return at + timedelta(minutes=node.sla_minutes) if at is not None else None


def node_state(node, now: datetime, stop: datetime | None) -> str:
    if node.status == NodeStatus.waived:
        return WAIVED
    if node.status == NodeStatus.done:
        late = node.due_at is not None and node.completed_at is not None and node.completed_at > node.due_at
        return BREACHED if late else MET
    if node.due_at is None:
        return NOT_STARTED
    if stop is not None:
        return BREACHED if node.due_at < stop else WAIVED
    return BREACHED if now > node.due_at else PENDING


@dataclass
class JobSlaResult:
    sla: JobSla
    state: str
    anchor_at: datetime | None = None
    due_at: datetime | None = None
    done_at: datetime | None = None  # when what it measures happened
    detected_at: datetime | None = None  # for a breach: the moment it became known
    technician_id: uuid.UUID | None = None  # who answers for it (breached: holder at the deadline)


def _window_end(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value[1])
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def evaluate(sla: JobSla, events, original_window_end: datetime, now: datetime) -> JobSlaResult:
    """Walk the job's events in order and decide one job-level SLA."""
    step = timedelta(minutes=sla.minutes)
    r = JobSlaResult(sla, NOT_STARTED)

    def start(at: datetime, anchor_at: datetime) -> None:
        r.anchor_at, r.due_at = anchor_at, at + step

    def breach(detected: datetime, done: datetime | None = None) -> JobSlaResult:
        r.state, r.detected_at, r.done_at = BREACHED, detected, done
        r.technician_id = holder_at(events, r.due_at) if sla.technician_responsible else None
        return r

    for e in events:
        if sla.anchor == "window_end" and e.action == "create":
            start(original_window_end, original_window_end)
            continue
        if e.action in OUTCOME_ACTIONS[sla.outcome]:
            if r.due_at is None:
                r.state, r.done_at = NOT_APPLICABLE, e.at
                return r
            if e.at > r.due_at:
                return breach(e.at, e.at)
            r.state, r.done_at = MET, e.at
            r.technician_id = holder_at(events, e.at) if sla.technician_responsible else None
            return r
        if e.action in STOP_ACTIONS:
            if r.due_at is None:
                r.state = NOT_APPLICABLE
                return r
            if e.at > r.due_at:
                return breach(e.at)
            r.state = WAIVED
            return r
        moves = _moves_anchor(sla, e, r.anchor_at is not None)
        if moves is not None:
            # A deadline already missed stays missed, whatever moves the goalposts afterwards.
            if r.due_at is not None and e.at > r.due_at:
                return breach(e.at)
            if moves == "clear":
                r.anchor_at = r.due_at = None
            else:
                start(moves, e.at if sla.anchor != "window_end" else moves)
    if r.due_at is None:
        return r
    if now > r.due_at:
        return breach(now)
    r.state = PENDING
    return r


def _moves_anchor(sla: JobSla, e, started: bool):
    """None if `e` leaves this SLA's clock alone; "clear" if it stops it; else the new base time."""
    if sla.anchor == "window_end":
        if e.action in ("reschedule", "rebook"):
            return _window_end((e.data or {}).get("window"))
        return None
    if sla.anchor == "accepted" and e.action == "unassign":
        return "clear"
    if e.action in ANCHOR_ACTIONS[sla.anchor]:
        if sla.anchor == "offered" and started:
            return None  # only the first offer starts the clock
        return e.at
    return None


def original_window_end(job, events) -> datetime:
    """The window the job was created with: the order's first window once it has been rescheduled."""
    if any(e.action in ("reschedule", "rebook") for e in events) and job.order.windows:
        return job.order.windows[0].end
    return job.window_end
