"""The consumer's own changes on the tracking page: move the visit to another slot, or cancel it.

The rule (settings): free until `consumer_change_free_hours` before the visit starts, then at
`consumer_late_change_fee_cents` until `consumer_change_until_hours` before; after that, or once a
technician is on the way, only the service line can change it. A moved visit goes back to dispatch
(whoever held or was offered it is released), so it is planned again for the new time.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.config import Settings
from app.consumer import slots as slot_rules
from app.consumer.models import ConsumerChange
from app.errors import conflict, invalid
from app.geo import lonlat
from app.jobs import service as jobs
from app.jobs.lifecycle import TERMINAL
from app.jobs.models import Job, JobStatus
from app.models_base import utcnow
from app.orders import service as orders
from app.orders.models import Order, OrderStatus
from app.orders.tracking import CONSUMER

CHANGEABLE = frozenset({JobStatus.awaiting_goods, JobStatus.pending, JobStatus.offered, JobStatus.accepted,
                        JobStatus.scheduled, JobStatus.rescheduled})


@dataclass
class ChangeRule:
    allowed: bool
    fee_cents: int
    until: datetime | None  # changes possible until then
    free_until: datetime | None
    why_not: str | None  # code: order-closed | under-way | too-late


def _open_jobs(order: Order) -> list[Job]:
    return sorted((j for j in order.jobs if j.status not in TERMINAL), key=lambda j: j.sequence)


def rule_for(order: Order, settings: Settings, now: datetime | None = None) -> ChangeRule:
    now = now or utcnow()
    open_jobs = _open_jobs(order)
    if order.status != OrderStatus.open or not open_jobs:
        return ChangeRule(False, 0, None, None, "order-closed")
    if any(j.status not in CHANGEABLE for j in open_jobs):
        return ChangeRule(False, 0, None, None, "under-way")
    starts = min(j.window_start for j in open_jobs)
    until = starts - timedelta(hours=settings.consumer_change_until_hours)
    free_until = starts - timedelta(hours=settings.consumer_change_free_hours)
    if now > until:
        return ChangeRule(False, 0, until, free_until, "too-late")
    fee = 0 if now <= free_until else settings.consumer_late_change_fee_cents
    return ChangeRule(True, fee, until, free_until, None)


def _require(rule: ChangeRule, doing: str) -> None:
    if not rule.allowed:
        detail = {
            "order-closed": "the order is no longer open",
            "under-way": "a technician is already on the way or at work",
            "too-late": f"changes close at {rule.until.isoformat() if rule.until else '-'}; call the service line",
        }[rule.why_not]
        raise conflict(f"change-{rule.why_not}", f"cannot {doing}: {detail}", reason=rule.why_not)


def _record(session: Session, order: Order, kind: str, fee: int, start=None, end=None) -> ConsumerChange:
    first = min(j.window_start for j in _open_jobs(order))
    change = ConsumerChange(order_id=order.id, kind=kind, fee_cents=fee, from_start=first, to_start=start, to_end=end)
    session.add(change)
    session.flush()
    return change


def reschedule(session: Session, order: Order, start: datetime, end: datetime, settings: Settings) -> ConsumerChange:
    rule = rule_for(order, settings)
    _require(rule, "reschedule")
    open_jobs = _open_jobs(order)
    job = open_jobs[0]
    tz = ZoneInfo(settings.city_timezone)
    now = utcnow()
    day = slot_rules.day_slots(start.astimezone(tz).date(), tz, settings,
                               now + timedelta(minutes=settings.booking_lead_minutes))
    chosen = next((s for s in day if s.start == start and s.end == end), None)
    if chosen is None:
        raise invalid("start", "is not one of the bookable slots (GET /v1/booking-slots)", code="not-a-slot")
    skills = list(job.required_skills)
    lon, lat = lonlat(order.location)
    slot_rules.day_availability(session, lon, lat, skills, job.duration_minutes, [chosen], tz, settings)
    if not chosen.available:
        raise conflict("slot-full", "start: this slot is full; choose another", field="start")
    change = _record(session, order, "reschedule", rule.fee_cents, start, end)
    reason = "consumer moved the visit" + (f" (fee {rule.fee_cents / 100:.2f} CNY)" if rule.fee_cents else "")
    for j in open_jobs:
        if j.status in (JobStatus.offered, JobStatus.accepted, JobStatus.scheduled, JobStatus.rescheduled):
            jobs.unassign(session, j, CONSUMER, reason)
        if j.status == JobStatus.pending:
            jobs.act(session, j, "rebook", CONSUMER, reason=reason, window=(start, end))
    return change


def cancel(session: Session, order: Order, reason: str, settings: Settings) -> ConsumerChange:
    rule = rule_for(order, settings)
    _require(rule, "cancel")
    change = _record(session, order, "cancel", rule.fee_cents)
    fee = f" (fee {rule.fee_cents / 100:.2f} CNY)" if rule.fee_cents else ""
    orders.cancel(session, order, CONSUMER, f"consumer: {reason}{fee}")
    return change
