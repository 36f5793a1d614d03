"""Rework (返修): a repair of the same product soon after a completed job redoes that job.

"Same product" is the same serial and category on an order line (a serial is what survives from one
order to the next; orders without one are linked only when a brand names the job in a rework
order). The job being redone is the latest completed visit that worked on the appliance itself -
an install (hoses that leak), a repair, a maintenance, a rework or a relocation - within
settings.rework_days before the new order was created. It counts against that job's technician.
"""

from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.config import get_settings
from app.jobs.models import Job, JobEvent, JobStatus
from app.orders.models import Order, OrderAppliance, ServiceType
from app.warranty.decisions import appliance_for
from app.warranty.models import ReworkLink

REDOABLE = (ServiceType.install, ServiceType.repair, ServiceType.maintenance, ServiceType.rework,
            ServiceType.relocation)
LINKED_KINDS = {ServiceType.repair, ServiceType.rework}


def _completed_at(session: Session, job: Job) -> datetime:
    at = session.scalar(select(func.max(JobEvent.at)).where(JobEvent.job_id == job.id, JobEvent.action == "complete"))
    return at or job.updated_at


def _latest_on_same_product(session: Session, order: Order, job: Job, since: datetime) -> tuple[Job, datetime] | None:
    appliance = appliance_for(order, job)
    if appliance is None or not appliance.serial:
        return None
    rows = session.execute(
        select(Job, Order.service_type, OrderAppliance.position, JobEvent.at)
        .join(Order, Order.id == Job.order_id)
        .join(OrderAppliance, OrderAppliance.order_id == Job.order_id)
        .join(JobEvent, and_(JobEvent.job_id == Job.id, JobEvent.action == "complete"))
        .where(
            OrderAppliance.serial == appliance.serial,
            OrderAppliance.category == job.category,
            Job.category == job.category,
            Job.status == JobStatus.completed,
            Job.service_type.in_(REDOABLE),
            Job.order_id != order.id,
            JobEvent.at >= since,
            JobEvent.at <= order.created_at,
        )
        .order_by(JobEvent.at.desc())
    )
    for prior, service_type, position, at in rows:
        # The serial is on the order; make sure this job is the one that worked on that line.
        if prior.sequence - (1 if service_type == ServiceType.delivery_install else 0) == position:
            return prior, at
    return None


def link_rework(session: Session, order: Order, job: Job) -> ReworkLink | None:
    if job.service_type not in LINKED_KINDS:
        return None
    since = order.created_at - timedelta(days=get_settings().rework_days)
    found = None
    if order.rework_of_job_id is not None:
        original = session.get(Job, order.rework_of_job_id)
        if original is not None and original.status == JobStatus.completed:
            at = _completed_at(session, original)
            found = (original, at) if at >= since else None
    if found is None:
        found = _latest_on_same_product(session, order, job, since)
    if found is None:
        return None
    original, at = found
    link = ReworkLink(
        job_id=job.id, original_job_id=original.id, original_technician_id=original.technician_id,
        original_completed_at=at, days_after=max(0, (order.created_at - at).days),
    )
    session.add(link)
    return link
