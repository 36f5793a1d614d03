"""Consumers without an account: booking a repair or maintenance visit, and following it by token.

A tracking token is a bearer capability for exactly one order. Only its SHA-256 is stored; the token
itself is shown once, in the response that created the order.
"""

from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.actors import Actor
from app.errors import ProblemError, not_found
from app.jobs.models import JobEvent
from app.orders import service
from app.orders.models import Order, OrderChannel, ServiceType, Urgency
from app.orders.schemas import Appliance, ConsumerBooking, Contact, OrderCreate, local
from app.security import sha256
from app.technicians.models import Technician

CONSUMER = Actor("consumer", None)


def book(session: Session, booking: ConsumerBooking) -> service.NewOrder:
    # Already validated as a booking; the order schema adds nothing, so no second validation.
    data = OrderCreate.model_construct(
        service_type=ServiceType(booking.service_type),
        appliances=[Appliance.model_construct(**booking.appliance.model_dump())],
        contact=Contact.model_construct(name=booking.name, phone=booking.phone),
        address=booking.address,
        location=booking.location,
        windows=booking.windows,
        urgency=Urgency.normal,
        notes=booking.notes,
        problem_description=booking.problem_description,
        external_order_id=None,
        city="hangzhou",
        rework_of_job_id=None,
    )
    try:
        return service.create_order(session, data, CONSUMER, client_id=None, channel=OrderChannel.consumer)
    except ProblemError as exc:
        # The booking has one `appliance`, not a list: name the field as the consumer sent it.
        if exc.field and exc.field.startswith(_ORDER_APPLIANCE):
            exc.field = "appliance" + exc.field[len(_ORDER_APPLIANCE):]
            exc.detail = exc.detail.replace(_ORDER_APPLIANCE, "appliance", 1)
        raise


_ORDER_APPLIANCE = "appliances[0]"


def order_for_token(session: Session, token: str) -> Order:
    order = None
    if token and len(token) <= 200:
        order = session.scalar(
            select(Order)
            .where(Order.tracking_token_hash == sha256(token))
            .options(selectinload(Order.windows), selectinload(Order.jobs))
        )
    if order is None:
        # Deliberately says nothing about whether the token was ever valid.
        raise not_found("tracked order")
    return order


def tracking_view(session: Session, order: Order, tz: ZoneInfo) -> dict:
    jobs = sorted(order.jobs, key=lambda j: j.sequence)
    tech_ids = {j.technician_id for j in jobs if j.technician_id}
    names = {
        tid: name
        for tid, name in (
            session.execute(select(Technician.id, Technician.name).where(Technician.id.in_(tech_ids)))
            if tech_ids
            else ()
        )
    }
    by_id = {j.id: j for j in jobs}
    events = session.scalars(
        select(JobEvent).where(JobEvent.job_id.in_(by_id)).order_by(JobEvent.at, JobEvent.seq)
    ) if by_id else []

    def iso(dt):
        return None if dt is None else local(dt, tz).isoformat()

    return {
        "order_id": str(order.id),
        "service_type": order.service_type,
        "status": order.status,
        "address": order.address,
        "windows": [{"start": iso(w.start), "end": iso(w.end)} for w in order.windows],
        "jobs": [
            {
                "id": str(j.id),
                "service_type": j.service_type,
                "category": j.category,
                "status": j.status,
                "technician_name": names.get(j.technician_id),
                "window_start": iso(j.window_start),
                "window_end": iso(j.window_end),
                "scheduled_start": iso(j.scheduled_start),
            }
            for j in jobs
        ],
        # Who did it and why stay internal: the consumer sees what happened and when.
        "timeline": [
            {"at": iso(e.at), "service_type": by_id[e.job_id].service_type, "action": e.action, "status": e.to_status}
            for e in events
        ],
    }
