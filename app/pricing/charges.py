"""Extra charges (增项收费) on a job: added by its technician from the job's price list (or as a custom item
ops must approve), confirmed or rejected by the consumer, and closed by the technician when done.

    custom:  awaiting_approval --approve (ops)--> awaiting_consumer
    listed:                                       awaiting_consumer --confirm (consumer)--> confirmed
    awaiting_approval | awaiting_consumer --reject (ops or consumer)--> rejected
    awaiting_approval | awaiting_consumer --withdraw (technician)--> withdrawn

Only confirmed charges reach the bill. Every move is a compare-and-set on the charge's status.
"""

import uuid

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.actors import Actor
from app.errors import ProblemError, conflict, invalid, not_found
from app.events import bus
from app.jobs.lifecycle import HELD
from app.jobs.models import Job
from app.models_base import utcnow
from app.pricing.models import PENDING, ChargeSheet, ChargeStatus, JobCharge, PriceItem
from app.pricing.schemas import ChargeIn
from app.pricing.service import extra_items, list_for_job

MAX_CHARGES_PER_JOB = 50

# action -> (statuses it may start from, status it leads to)
MOVES: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({ChargeStatus.awaiting_approval}), ChargeStatus.awaiting_consumer),
    "reject": (PENDING, ChargeStatus.rejected),
    "confirm": (frozenset({ChargeStatus.awaiting_consumer}), ChargeStatus.confirmed),
    "withdraw": (PENDING, ChargeStatus.withdrawn),
}
# Ops may reject a charge in either waiting state (e.g. after a consumer's call); the consumer only
# what was put to them.
CONSUMER_REJECTS = frozenset({ChargeStatus.awaiting_consumer})


def allowed_moves(status: str) -> list[str]:
    return sorted(a for a, (sources, _) in MOVES.items() if status in sources)


# --- the job and its sheet -----------------------------------------------------------------------------


def technicians_job(session: Session, job_id: uuid.UUID, technician_id: uuid.UUID) -> Job:
    """The job, if this technician holds it; anyone else's job is 404 so its existence does not leak."""
    job = session.get(Job, job_id)
    if job is None or job.technician_id != technician_id:
        raise not_found("job", job_id)
    return job


def _require_active(job: Job, doing: str) -> None:
    if job.status not in HELD:
        raise conflict(
            "job-not-active", f"cannot {doing}: job {job.id} is {job.status}", job_id=str(job.id),
            current_status=job.status, allowed_statuses=sorted(HELD),
        )


def sheet_for(session: Session, job: Job) -> ChargeSheet:
    sheet = session.get(ChargeSheet, job.id)
    if sheet is None:  # jobs created before pricing existed get theirs on first use
        try:
            with session.begin_nested():
                session.add(ChargeSheet(job_id=job.id))
        except IntegrityError:
            pass
        sheet = session.get(ChargeSheet, job.id)
    return sheet


def _closed(job: Job, sheet: ChargeSheet) -> ProblemError:
    return conflict(
        "charges-closed", f"the extra charges of job {job.id} were closed at {sheet.closed_at.isoformat()}",
        job_id=str(job.id), current_status="closed",
    )


def charges_of(session: Session, job_ids) -> list[JobCharge]:
    ids = list(job_ids)
    if not ids:
        return []
    return list(session.scalars(
        select(JobCharge).where(JobCharge.job_id.in_(ids)).order_by(JobCharge.created_at, JobCharge.id)
    ))


def charges_stmt(status: str | None = None):
    stmt = select(JobCharge)
    return stmt if status is None else stmt.where(JobCharge.status == status)


# --- adding ----------------------------------------------------------------------------------------------


def add_charge(session: Session, job: Job, body: ChargeIn, actor: Actor) -> JobCharge:
    _require_active(job, "add a charge")
    if (body.item_code is None) == (body.custom is None):
        raise invalid("item_code", "give either item_code (an item of the job's price list) or custom, not both",
                      code="charge-kind")
    charge = _listed(session, job, body) if body.custom is None else _custom(job, body)
    sheet = sheet_for(session, job)
    if sheet.closed_at is not None:
        raise _closed(job, sheet)
    if sheet.charge_count >= MAX_CHARGES_PER_JOB:
        raise conflict("too-many-charges", f"a job takes at most {MAX_CHARGES_PER_JOB} charges",
                       job_id=str(job.id))
    # The conditional update takes the sheet's row: adds to one job queue behind each other and behind a
    # close, so the per-job quantity below counts every charge committed before this one.
    bumped = session.execute(
        update(ChargeSheet)
        .where(ChargeSheet.job_id == job.id, ChargeSheet.closed_at.is_(None))
        .values(charge_count=ChargeSheet.charge_count + 1)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount != 1:
        session.refresh(sheet)
        raise _closed(job, sheet)
    if not charge.custom:
        _check_quantity(session, job, charge)  # a refusal rolls the bump back with the request
    charge.history = [_entry(actor, None, charge.status, None, utcnow())]
    session.add(charge)
    session.flush()
    _publish(session, charge, job, actor)
    return charge


# The event a charge's new status publishes (approve -> proposed to the consumer).
STATUS_EVENTS = {
    ChargeStatus.awaiting_approval: "charge.proposed", ChargeStatus.awaiting_consumer: "charge.proposed",
    ChargeStatus.confirmed: "charge.confirmed", ChargeStatus.rejected: "charge.refused",
    ChargeStatus.withdrawn: "charge.refused",
}


def _publish(session: Session, charge: JobCharge, job: Job, actor: Actor) -> None:
    bus.publish(session, STATUS_EVENTS[charge.status], actor, {
        "charge_id": str(charge.id), "name_zh": charge.name_zh, "name_en": charge.name_en,
        "amount_cents": charge.amount_cents, "status": charge.status,
    }, job=job)


def _listed(session: Session, job: Job, body: ChargeIn) -> JobCharge:
    code = body.item_code
    items = {i.code: i for i in extra_items(list_for_job(session, job))}
    item = items.get(code)
    if item is None:
        # Says nothing about other lists: the technician can see this job's items at price-items.
        raise invalid("item_code", f"{code!r} is not an extra on this job's price list "
                      f"(GET /v1/jobs/{job.id}/price-items lists them)", code="unknown-price-item")
    quantity = body.quantity or 1
    if quantity > item.max_quantity:
        raise _over_max(item.max_quantity, item.unit, code, 0)
    return JobCharge(
        id=uuid.uuid4(), job_id=job.id, technician_id=job.technician_id, price_item_id=item.id, custom=False,
        kind=item.kind, item_code=item.code, name_zh=item.name_zh, name_en=item.name_en, unit=item.unit,
        unit_price_cents=item.unit_price_cents, quantity=quantity, amount_cents=item.unit_price_cents * quantity,
        note=body.note, status=ChargeStatus.awaiting_consumer, shown_to_consumer_at=utcnow(),
    )


def _check_quantity(session: Session, job: Job, charge: JobCharge) -> None:
    """max_quantity holds per job, across charges: splitting 30 m of pipe into two charges does not pass."""
    item = session.get(PriceItem, charge.price_item_id)
    already = sum(session.scalars(
        select(JobCharge.quantity).where(
            JobCharge.job_id == job.id, JobCharge.item_code == charge.item_code, JobCharge.custom.is_(False),
            JobCharge.status.in_([*PENDING, ChargeStatus.confirmed]),
        )
    ))
    if already + charge.quantity > item.max_quantity:
        raise _over_max(item.max_quantity, item.unit, item.code, already)


def _over_max(max_quantity: int, unit: str, code: str, already: int) -> ProblemError:
    more = f" ({already} already on this job)" if already else ""
    return invalid("quantity", f"at most {max_quantity} {unit} of {code!r} per job{more}", code="quantity-over-max")


def _custom(job: Job, body: ChargeIn) -> JobCharge:
    if body.quantity is not None:
        raise invalid("quantity", "a custom charge carries its quantity inside custom", code="charge-kind")
    c = body.custom
    return JobCharge(
        id=uuid.uuid4(), job_id=job.id, technician_id=job.technician_id, price_item_id=None, custom=True,
        kind=c.kind, item_code=None, name_zh=c.name_zh, name_en=c.name_en or c.name_zh, unit=c.unit,
        unit_price_cents=c.unit_price_cents, quantity=c.quantity, amount_cents=c.unit_price_cents * c.quantity,
        note=body.note, reason=c.reason, status=ChargeStatus.awaiting_approval,
    )


# --- moving ------------------------------------------------------------------------------------------------


def get_charge(session: Session, charge_id: uuid.UUID) -> JobCharge:
    charge = session.get(JobCharge, charge_id)
    if charge is None:
        raise not_found("charge", charge_id)
    return charge


def move(session: Session, charge: JobCharge, action: str, actor: Actor, reason: str | None = None) -> JobCharge:
    sources, target = MOVES[action]
    if actor.type == "consumer" and action == "reject":
        sources = CONSUMER_REJECTS
    if charge.status not in sources:
        raise _illegal(charge, action)
    job = session.get(Job, charge.job_id)
    _require_active(job, f"{action} a charge")
    now = utcnow()
    values = {
        "status": target, "updated_at": now,
        "history": [*charge.history, _entry(actor, charge.status, target, reason, now)],
    }
    if target == ChargeStatus.awaiting_consumer:
        values["shown_to_consumer_at"] = now
    else:
        values.update(decided_at=now, decision_reason=reason)
    # Compare-and-set: a consumer confirming while the technician withdraws, exactly one wins.
    result = session.execute(
        update(JobCharge)
        .where(JobCharge.id == charge.id, JobCharge.status == charge.status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.expire(charge)
    session.refresh(charge)
    if result.rowcount != 1:
        raise _illegal(charge, action)
    _publish(session, charge, job, actor)
    return charge


def _illegal(charge: JobCharge, action: str) -> ProblemError:
    return conflict(
        "illegal-charge-transition", f"cannot {action} charge {charge.id}: it is {charge.status}",
        charge_id=str(charge.id), current_status=charge.status, allowed_actions=allowed_moves(charge.status),
    )


def _entry(actor: Actor, from_status, to_status, reason, at) -> dict:
    return {"at": at.isoformat(), "actor_type": actor.type, "actor_id": actor.id, "from": from_status,
            "to": to_status, "reason": reason}


# --- the consumer's view --------------------------------------------------------------------------------------


def consumer_charges(session: Session, order) -> list[JobCharge]:
    """The charges put to the consumer; a custom item ops has not approved (or refused) is not among them."""
    return [c for c in charges_of(session, (j.id for j in order.jobs)) if c.shown_to_consumer_at is not None]


def consumer_charge(session: Session, order, charge_id: uuid.UUID) -> JobCharge:
    charge = session.get(JobCharge, charge_id)
    if charge is None or charge.shown_to_consumer_at is None or charge.job_id not in {j.id for j in order.jobs}:
        raise not_found("charge", charge_id)
    return charge


# --- closing ------------------------------------------------------------------------------------------------


def close(session: Session, job: Job, actor: Actor) -> ChargeSheet:
    """The technician says "no more extras". Refused while any charge still waits for ops or the consumer."""
    _require_active(job, "close the charges")
    sheet = sheet_for(session, job)
    if sheet.closed_at is not None:
        raise _closed(job, sheet)
    _refuse_pending(session, job)
    result = session.execute(
        update(ChargeSheet)
        .where(ChargeSheet.job_id == job.id, ChargeSheet.closed_at.is_(None))
        .values(closed_at=utcnow(), closed_by_type=actor.type, closed_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    session.refresh(sheet)
    if result.rowcount != 1:
        raise _closed(job, sheet)
    # Looked at again once the sheet is ours: a charge added meanwhile committed before the close took
    # the row (and is seen here, refusing the close with the request's rollback) or finds it closed.
    _refuse_pending(session, job)
    bus.publish(session, "job.charges_settled", actor, {}, job=job)
    return sheet


def close_at_completion(session: Session, job: Job, actor: Actor) -> None:
    """A job that completes closes its sheet (the checklist usually had it closed already)."""
    sheet = sheet_for(session, job)
    if sheet.closed_at is None:
        sheet.closed_at, sheet.closed_by_type, sheet.closed_by_id = utcnow(), actor.type, actor.id
        session.flush()


def pending_for(session: Session, job: Job) -> list[JobCharge]:
    return [c for c in charges_of(session, [job.id]) if c.status in PENDING]


def _refuse_pending(session: Session, job: Job, doing: str = "close the charges") -> None:
    pending = pending_for(session, job)
    if pending:
        raise conflict(
            "charges-pending",
            f"cannot {doing}: job {job.id} has {len(pending)} charge(s) still waiting for ops or the consumer",
            job_id=str(job.id),
            pending=[{"id": str(c.id), "name_zh": c.name_zh, "name_en": c.name_en, "status": c.status,
                      "amount_cents": c.amount_cents} for c in pending],
        )


def refuse_completion_while_pending(session: Session, job: Job) -> None:
    _refuse_pending(session, job, "complete the job")


def lapse_pending(session: Session, job: Job, actor: Actor, reason: str) -> None:
    """A cancelled or failed job's open charges are withdrawn: nobody can confirm them any more."""
    now = utcnow()
    for c in pending_for(session, job):
        c.history = [*c.history, _entry(actor, c.status, ChargeStatus.withdrawn, reason, now)]
        c.status, c.decided_at, c.decision_reason = ChargeStatus.withdrawn, now, reason
        session.flush()
        _publish(session, c, job, actor)
    session.flush()
