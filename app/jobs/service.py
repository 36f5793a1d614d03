"""Jobs: created from orders, moved through the lifecycle, offered to and accepted by technicians."""

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.actors import SYSTEM, Actor
from app.catalogue.service import entry_for
from app.errors import ProblemError, conflict, forbidden, invalid, not_found
from app.events import bus
from app.events.catalog import JOB_ACTION_EVENTS
from app.jobs.lifecycle import (
    HELD,
    OPS_ACTIONS,
    REASON_REQUIRED,
    TECHNICIAN_ACTIONS,
    TERMINAL,
    TRANSITIONS,
    allowed_actions,
)
from app.jobs.models import Job, JobEvent, JobOffer, JobStatus, OfferStatus
from app.models_base import utcnow
from app.orders.models import Order, ServiceType, Urgency
from app.technicians.models import Technician

PRIORITY = {Urgency.normal: 1, Urgency.urgent: 5, Urgency.emergency: 10}


# --- creation ------------------------------------------------------------------------------------


def create_jobs_for_order(session: Session, order: Order, actor: Actor) -> list[Job]:
    """Turn an order into jobs (工单): one per appliance line, and for delivery+install one delivery
    for the whole order plus an install per appliance that waits for the goods to arrive."""
    first = order.windows[0]
    priority = PRIORITY.get(order.urgency, 1)
    now = utcnow()
    jobs: list[Job] = []

    def new_job(service_type: str, category: str, minutes: int, cents: int, skills, *,
                depends_on_job_id: uuid.UUID | None = None, status: str = JobStatus.pending) -> Job:
        # Every column given (ids too, so an install can name its delivery before anything is
        # written): the order's jobs go to the database as one multi-row INSERT at the next flush.
        job = Job(
            id=uuid.uuid4(), order_id=order.id, sequence=len(jobs), service_type=service_type, category=category,
            status=status, required_skills=sorted(set(skills)), duration_minutes=minutes, base_price_cents=cents,
            priority=priority, location=order.location, window_start=first.start, window_end=first.end,
            earliest_start=None, depends_on_job_id=depends_on_job_id, technician_id=None, scheduled_start=None,
            version=1, created_at=now, updated_at=now,
        )
        session.add(job)
        jobs.append(job)
        return job

    if order.service_type == ServiceType.delivery_install:
        minutes = cents = 0
        for i, a in enumerate(order.appliances):
            e = entry_for(session, a.category, ServiceType.delivery, f"appliances[{i}].category")
            minutes += e.duration_minutes * a.quantity
            cents += e.base_price_cents * a.quantity
        delivery = new_job(ServiceType.delivery, order.appliances[0].category, minutes, cents, ["delivery"])
        for i, a in enumerate(order.appliances):
            e = entry_for(session, a.category, ServiceType.install, f"appliances[{i}].category")
            new_job(
                ServiceType.install, a.category, e.duration_minutes * a.quantity, e.base_price_cents * a.quantity,
                e.skills, depends_on_job_id=delivery.id, status=JobStatus.awaiting_goods,
            )
    else:
        for i, a in enumerate(order.appliances):
            e = entry_for(session, a.category, order.service_type, f"appliances[{i}].category")
            new_job(order.service_type, a.category, e.duration_minutes * a.quantity, e.base_price_cents * a.quantity, e.skills)
    for job in jobs:  # a new job's first event: no need to ask the log for the next number
        _append_event(session, job, actor, "create", None, job.status, data={"order_id": str(order.id)}, seq=1,
                      flush=False, at=now)
    # One flush for the order's lines, windows, jobs, their first events and the order's event.
    session.flush()
    # One publish for the order's jobs: the checklist, bill, SLA clocks and warranty are built together.
    bus.publish_many(session, "job.created", actor, [
        {"job": j, "order": order, "data": {
            "status": j.status, "from_status": None, "reason": None, "service_type": j.service_type,
            "category": j.category, "window_start": _iso(j.window_start), "window_end": _iso(j.window_end)}}
        for j in jobs
    ])
    return jobs


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat().replace("+00:00", "Z") if dt is not None else None


def release_after_goods(session: Session, order: Order, at: datetime, actor: Actor) -> list[Job]:
    """Goods are at the consumer: installs waiting on them become plannable from that moment."""
    if order.goods_arrived_at is None:
        order.goods_arrived_at = at
    released = []
    for job in session.scalars(
        select(Job).where(Job.order_id == order.id, Job.status == JobStatus.awaiting_goods)
    ):
        transition(session, job, "release", actor, fields={"earliest_start": at})
        released.append(job)
    session.flush()
    return released


def cancel_jobs_of_order(session: Session, order: Order, actor: Actor, reason: str) -> None:
    for job in session.scalars(select(Job).where(Job.order_id == order.id)):
        if job.status in TERMINAL:
            continue
        if job.status not in TRANSITIONS["cancel"][0]:
            raise conflict(
                "job-not-cancellable",
                f"job {job.id} is {job.status}; the order can no longer be cancelled",
                job_id=str(job.id), current_status=job.status,
            )
        transition(session, job, "cancel", actor, reason=reason)
        _close_open_offers(session, job, OfferStatus.withdrawn)


# --- the transition primitive ----------------------------------------------------------------------


def transition(
    session: Session,
    job: Job,
    action: str,
    actor: Actor,
    *,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
    to_status: str | None = None,
    audience: list | None = None,
) -> Job:
    """The one way a job changes status. `audience` names technicians besides the job's own who must
    hear of it (the published event's payload is completed from `data` and the job, see _event_fields)."""
    sources, target = TRANSITIONS[action]
    target = to_status or target
    if job.status not in sources:
        raise illegal(job, action)
    if action in REASON_REQUIRED and not reason:
        raise invalid("reason", f"a reason is required to {action} a job")
    bus.check(f"job.{action}", session, job, actor)
    from_status = job.status
    audience = list(audience or ())
    if from_status == JobStatus.offered:  # those still holding an offer learn that it is gone
        audience += session.scalars(
            select(JobOffer.technician_id).where(JobOffer.job_id == job.id, JobOffer.status == OfferStatus.open)
        )
    values = {"status": target, "version": job.version + 1, "updated_at": utcnow(), **(fields or {})}
    # Compare-and-set on the version: of two concurrent writers exactly one matches.
    result = session.execute(
        update(Job)
        .where(Job.id == job.id, Job.version == job.version)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.expire(job)
        session.refresh(job)
        raise illegal(job, action, lost_race=True)
    session.expire(job)
    session.refresh(job)
    _append_event(session, job, actor, action, from_status, target, reason=reason, data=data)
    bus.publish(session, JOB_ACTION_EVENTS[action], actor,
                {"status": job.status, "from_status": from_status, "reason": reason,
                 **_event_fields(action, job, data or {})},
                job=job, audience=audience)
    return job


def _event_fields(action: str, job: Job, data: dict[str, Any]) -> dict[str, Any]:
    """The type-specific part of a transition's event (app/events/catalog.py documents each)."""
    if action == "offer":
        return {"technician_ids": data["technician_ids"], "expires_at": data.get("expires_at")}
    if action == "decline":
        return {"technician_id": data["technician_id"]}
    if action in ("reassign", "unassign"):
        return {"previous_technician_id": data.get("previous_technician_id")}
    if action == "schedule":
        return {"scheduled_start": _iso(job.scheduled_start)}
    if action in ("reschedule", "rebook"):
        return {"window_start": _iso(job.window_start), "window_end": _iso(job.window_end)}
    return {}


def illegal(job: Job, action: str, lost_race: bool = False) -> ProblemError:
    why = "another change was made to it first" if lost_race else f"it is {job.status}"
    return conflict(
        "illegal-transition",
        f"cannot {action} job {job.id}: {why}",
        job_id=str(job.id),
        action=action,
        current_status=job.status,
        allowed_actions=allowed_actions(job.status),
    )


def _append_event(session, job, actor: Actor, action, from_status, to_status, reason=None, data=None,
                  seq: int | None = None, flush: bool = True, at: datetime | None = None):
    if seq is None:
        seq = (session.scalar(select(func.max(JobEvent.seq)).where(JobEvent.job_id == job.id)) or 0) + 1
    session.add(
        JobEvent(
            id=uuid.uuid4(), job_id=job.id, seq=seq, at=at or utcnow(), actor_type=actor.type, actor_id=actor.id,
            action=action, from_status=from_status, to_status=to_status, reason=reason, data=data,
        )
    )
    if flush:
        session.flush()


# --- access ----------------------------------------------------------------------------------------


def get_job(session: Session, job_id: uuid.UUID) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise not_found("job", job_id)
    return job


def visible_job(session: Session, job_id: uuid.UUID, principal) -> Job:
    """A job the caller may see; others' jobs are 404 so their existence does not leak."""
    job = get_job(session, job_id)
    if principal.is_ops:
        return job
    if principal.kind == "client":
        if job.order.client_id == principal.id:
            return job
    elif principal.technician_id is not None:
        if job.technician_id == principal.technician_id or _has_offer(session, job, principal.technician_id):
            return job
    raise not_found("job", job_id)


def _has_offer(session, job: Job, technician_id: uuid.UUID) -> bool:
    return (
        session.scalar(
            select(JobOffer.id).where(JobOffer.job_id == job.id, JobOffer.technician_id == technician_id)
        )
        is not None
    )


def list_jobs_stmt(principal, *, status=None, technician_id=None, client_id=None, since=None, until=None):
    stmt = select(Job)
    if principal.kind == "client":
        stmt = stmt.join(Order, Order.id == Job.order_id).where(Order.client_id == principal.id)
    elif principal.technician_id is not None:
        offered = select(JobOffer.job_id).where(JobOffer.technician_id == principal.technician_id)
        stmt = stmt.where((Job.technician_id == principal.technician_id) | Job.id.in_(offered))
    elif client_id is not None:
        stmt = stmt.join(Order, Order.id == Job.order_id).where(Order.client_id == client_id)
    if status:
        stmt = stmt.where(Job.status.in_(status))
    if technician_id and principal.is_ops:
        stmt = stmt.where(Job.technician_id == technician_id)
    if since:
        stmt = stmt.where(Job.window_end >= since)
    if until:
        stmt = stmt.where(Job.window_start < until)
    return stmt


def events(session: Session, job: Job) -> list[JobEvent]:
    return list(session.scalars(select(JobEvent).where(JobEvent.job_id == job.id).order_by(JobEvent.seq)))


# --- offers and assignment ---------------------------------------------------------------------------


def _technician(session: Session, technician_id: uuid.UUID, field: str = "technician_id") -> Technician:
    tech = session.get(Technician, technician_id)
    if tech is None or not tech.active:
        raise invalid(field, f"technician {technician_id} does not exist or is inactive", code="unknown-technician")
    return tech


def offer(
    session: Session, job: Job, technician_ids: list[uuid.UUID], actor: Actor, expires_in: timedelta | None,
    now: datetime | None = None,
) -> list[JobOffer]:
    if not technician_ids:
        raise invalid("technician_ids", "offer the job to at least one technician")
    for i, tid in enumerate(technician_ids):
        _technician(session, tid, f"technician_ids[{i}]")
    expires_at = (now or utcnow()) + expires_in if expires_in else None
    ids = [str(t) for t in technician_ids]
    transition(session, job, "offer", actor, data={"technician_ids": ids, "expires_at": _iso(expires_at)},
               audience=ids)
    offers = []
    existing = {o.technician_id: o for o in session.scalars(select(JobOffer).where(JobOffer.job_id == job.id))}
    for tid in technician_ids:
        o = existing.get(tid)
        if o is None:
            o = JobOffer(job_id=job.id, technician_id=tid)
            session.add(o)
        o.status, o.expires_at, o.responded_at = OfferStatus.open, expires_at, None
        offers.append(o)
    session.flush()
    return offers


def _open_offer(session: Session, job: Job, technician_id: uuid.UUID) -> JobOffer:
    o = session.scalar(
        select(JobOffer).where(
            JobOffer.job_id == job.id, JobOffer.technician_id == technician_id, JobOffer.status == OfferStatus.open
        )
    )
    if o is None:
        raise conflict(
            "no-open-offer", f"job {job.id} has no open offer for you", job_id=str(job.id), current_status=job.status
        )
    if o.expires_at is not None and o.expires_at <= utcnow():
        raise conflict("offer-expired", f"your offer for job {job.id} expired at {o.expires_at.isoformat()}")
    return o


def _close_open_offers(session: Session, job: Job, status: str, except_id: uuid.UUID | None = None) -> None:
    stmt = update(JobOffer).where(JobOffer.job_id == job.id, JobOffer.status == OfferStatus.open)
    if except_id is not None:
        stmt = stmt.where(JobOffer.id != except_id)
    session.execute(stmt.values(status=status, responded_at=utcnow()).execution_options(synchronize_session=False))


def accept(session: Session, job: Job, technician_id: uuid.UUID, actor: Actor) -> Job:
    if job.status != JobStatus.offered:
        raise illegal(job, "accept")
    o = _open_offer(session, job, technician_id)
    transition(session, job, "accept", actor, fields={"technician_id": technician_id})
    o.status, o.responded_at = OfferStatus.accepted, utcnow()
    _close_open_offers(session, job, OfferStatus.withdrawn, except_id=o.id)
    session.flush()
    return job


def decline(session: Session, job: Job, technician_id: uuid.UUID, actor: Actor, reason: str | None) -> Job:
    o = _open_offer(session, job, technician_id)
    o.status, o.responded_at = OfferStatus.declined, utcnow()
    session.flush()
    still_open = session.scalar(
        select(func.count()).select_from(JobOffer).where(JobOffer.job_id == job.id, JobOffer.status == OfferStatus.open)
    )
    target = JobStatus.offered if still_open else JobStatus.pending
    # Dispatch hears job.declined and, when no offer is left, decides who is asked next.
    transition(session, job, "decline", actor, reason=reason, to_status=target,
               data={"technician_id": str(technician_id)}, audience=[technician_id])
    return job


def assign(session: Session, job: Job, technician_id: uuid.UUID, actor: Actor, reason: str,
           scheduled_start: datetime | None = None) -> Job:
    """Give the job to a technician (or another one); `scheduled_start` is the planned start, if chosen."""
    _technician(session, technician_id)
    action = "reassign" if job.status in HELD else "assign"
    if action == "reassign" and job.technician_id == technician_id:
        raise conflict("already-assigned", f"job {job.id} is already with technician {technician_id}")
    previous = job.technician_id
    prev = str(previous) if previous else None
    data = {"technician_id": str(technician_id), "previous_technician_id": prev}
    fields: dict[str, Any] = {"technician_id": technician_id}
    if scheduled_start is not None:
        fields["scheduled_start"] = scheduled_start
        data["planned_start"] = _iso(scheduled_start)
    transition(
        session, job, action, actor, reason=reason, fields=fields, data=data,
        audience=[previous],
    )
    _close_open_offers(session, job, OfferStatus.withdrawn)
    return job


def unassign(session: Session, job: Job, actor: Actor, reason: str) -> Job:
    previous = job.technician_id
    prev = str(previous) if previous else None
    transition(
        session, job, "unassign", actor, reason=reason,
        fields={"technician_id": None, "scheduled_start": None},
        data={"previous_technician_id": prev}, audience=[previous],
    )
    _close_open_offers(session, job, OfferStatus.withdrawn)
    return job


def act(
    session: Session,
    job: Job,
    action: str,
    actor: Actor,
    *,
    reason: str | None = None,
    scheduled_start: datetime | None = None,
    window: tuple[datetime, datetime] | None = None,
    request_key: str | None = None,
) -> Job:
    """The technician's (and ops') day-of-service actions: schedule, depart, arrive, start, complete, ...
    `request_key`: the Idempotency-Key it came with, kept in the event so a replay can find it."""
    fields: dict[str, Any] = {}
    data: dict[str, Any] = {"request_key": request_key} if request_key else {}
    if action == "schedule":
        if scheduled_start is None:
            raise invalid("scheduled_start", "required to schedule a job")
        if job.status in TRANSITIONS["schedule"][0] and not (job.window_start <= scheduled_start <= job.window_end):
            raise invalid(
                "scheduled_start",
                f"must lie inside the job's window {job.window_start.isoformat()} .. {job.window_end.isoformat()}",
            )
        fields["scheduled_start"] = scheduled_start
        data["scheduled_start"] = scheduled_start.isoformat()
    if action in ("reschedule", "rebook"):
        if window is None:
            raise invalid("window", "a new window is required to reschedule")
        fields.update(window_start=window[0], window_end=window[1], scheduled_start=None)
        data["window"] = [window[0].isoformat(), window[1].isoformat()]
    transition(session, job, action, actor, reason=reason, fields=fields, data=data or None)
    if action == "complete" and job.service_type == "delivery":
        _release_dependants(session, job, actor)
    return job


def _release_dependants(session: Session, delivery: Job, actor: Actor) -> None:
    order = session.get(Order, delivery.order_id)
    release_after_goods(session, order, utcnow(), SYSTEM if actor is None else actor)


def check_can_act(job: Job, principal, action: str) -> None:
    if principal.is_ops:
        if action not in OPS_ACTIONS:
            raise invalid("action", f"unknown action {action!r}; use one of {sorted(OPS_ACTIONS)}")
        return
    if principal.technician_id is None:
        raise forbidden("only the assigned technician or ops staff can act on a job")
    if action not in TECHNICIAN_ACTIONS:
        raise invalid("action", f"unknown action {action!r}; use one of {sorted(TECHNICIAN_ACTIONS)}")
    if job.technician_id != principal.technician_id:
        raise forbidden("this job is not assigned to you")
