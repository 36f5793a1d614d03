"""Dispatch runs: create (queued to a worker), read progress and plan, commit into offers."""

import uuid
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actors import Actor
from app.clients.models import DispatchMode
from app.config import get_settings
from app.errors import conflict, invalid, not_found
from app.events import bus
from app.jobs.models import Job, JobStatus
from app.models_base import utcnow
from app.planning import offers
from app.planning.models import DispatchRun, PlannedStop, RunStatus


def create_run(session: Session, local_date: date, time_limit: float, seed: int, actor: Actor) -> DispatchRun:
    today = utcnow().astimezone(ZoneInfo(get_settings().city_timezone)).date()
    if local_date < today:
        raise invalid("date", f"{local_date} is in the past (today in the city is {today})")
    if local_date > today + timedelta(days=30):
        raise invalid("date", "plan at most 30 days ahead")
    run = DispatchRun(local_date=local_date, time_limit_seconds=time_limit, seed=seed, created_by=actor.id,
                      message="queued")
    session.add(run)
    session.flush()
    return run


def get_run(session: Session, run_id: uuid.UUID) -> DispatchRun:
    run = session.get(DispatchRun, run_id)
    if run is None:
        raise not_found("dispatch run", run_id)
    return run


def list_runs(session: Session, limit: int = 50) -> list[DispatchRun]:
    return list(session.scalars(select(DispatchRun).order_by(DispatchRun.created_at.desc()).limit(limit)))


def commit_run(session: Session, run: DispatchRun, actor: Actor) -> dict:
    """Planned assignments become the planned technician's jobs (assign mode) or offers (grab mode). Jobs that changed
    since the plan was made are skipped and counted, never overwritten."""
    if run.status == RunStatus.committed:
        raise conflict("run-already-committed", f"dispatch run {run.id} was committed at {run.committed_at.isoformat()}")
    if run.status != RunStatus.succeeded:
        raise conflict("run-not-ready", f"dispatch run {run.id} is {run.status}; only a finished plan can be committed",
                       current_status=run.status)
    summary = {"assigned": 0, "offered": 0, "skipped_changed": 0, "kept_pinned": 0}
    stops = session.scalars(select(PlannedStop).where(PlannedStop.run_id == run.id)
                            .order_by(PlannedStop.technician_id, PlannedStop.position))
    for stop in stops:
        if stop.pinned:
            summary["kept_pinned"] += 1
            continue
        job = session.get(Job, stop.job_id)
        if job.status != JobStatus.pending:
            summary["skipped_changed"] += 1
            continue
        if offers.dispatch_mode(session, job) == DispatchMode.assign:
            offers.assign_planned(session, job, stop.technician_id, actor)
            summary["assigned"] += 1
            continue
        preferred = [stop.technician_id]
        nb = (stop.explanation or {}).get("next_best")
        if nb:
            preferred.append(uuid.UUID(nb["technician_id"]))
        if offers.make_offers(session, job, preferred, actor):
            summary["offered"] += 1
    run.status, run.committed_at, run.commit_summary = RunStatus.committed, utcnow(), summary
    session.flush()
    bus.publish(session, "dispatch_run.committed", actor, {"run_id": str(run.id), **summary})
    return summary
