"""Orders: intake (one at a time or in batches), access control, listing, cancellation, goods arrival.

Services only flush; the request's session commits or rolls back. An order is written together with
its jobs or not at all.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, make_transient_to_detached, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.actors import Actor
from app.catalogue.service import entry_for
from app.config import get_settings
from app.errors import ProblemError, conflict, forbidden, invalid, not_found
from app.events import bus
from app.geo import lonlat, point
from app.jobs.lifecycle import TERMINAL
from app.jobs.models import Job, JobStatus
from app.jobs.service import (
    cancel_jobs_of_order,
    create_jobs_for_order,
    release_after_goods,
)
from app.models_base import utcnow
from app.orders.models import (
    Order,
    OrderAppliance,
    OrderChannel,
    OrderStatus,
    OrderWindow,
    ServiceType,
)
from app.orders.schemas import OrderCreate, local
from app.pagination import paginate
from app.security import new_secret, sha256
from app.technicians import coverage

# Clock skew we tolerate on "when did the goods arrive".
FUTURE_SKEW = timedelta(minutes=5)


@dataclass
class NewOrder:
    order: Order
    jobs: list[Job]
    tracking_token: str


def tracking_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/track/{token}"


# --- intake ---------------------------------------------------------------------------------------------


def _check_catalogue(session: Session, data: OrderCreate) -> None:
    """Refuse unknown categories before anything is written (jobs are derived after the insert)."""
    kinds = (
        (ServiceType.delivery, ServiceType.install)
        if data.service_type == ServiceType.delivery_install
        else (data.service_type,)
    )
    for i, a in enumerate(data.appliances):
        for kind in kinds:
            entry_for(session, a.category, kind, f"appliances[{i}].category")  # cached: no round trip


def _check_serviceable(session: Session, data: OrderCreate) -> None:
    """Refuse at once what no technician could ever do: outside the service hours or the covered area."""
    hours = coverage.service_hours()
    if hours is not None:
        tz = ZoneInfo(get_settings().city_timezone)
        for i, w in enumerate(data.windows):
            if not coverage.window_meets_hours(w.start, w.end, hours, tz):
                raise invalid(
                    f"windows[{i}]", f"lies outside the service hours {hours} ({tz.key})", code="outside-service-hours"
                )
    if not get_settings().require_coverage:
        return
    kinds = (
        (ServiceType.delivery, ServiceType.install)
        if data.service_type == ServiceType.delivery_install
        else (data.service_type,)
    )
    lon, lat = data.location.lon, data.location.lat
    for i, a in enumerate(data.appliances):
        for kind in kinds:
            skills = coverage.skills_for(session, a.category, kind, f"appliances[{i}].category")
            if not coverage.covering_technicians(session, lon, lat, skills):
                raise invalid(
                    "location",
                    f"no service point covers {a.category} {kind} at ({lon}, {lat}): no active technician's "
                    "service area includes this address with the skills it needs",
                    code="not-covered",
                )


def _check_rework(session: Session, job_id: uuid.UUID, client_id: uuid.UUID | None) -> None:
    job = session.get(Job, job_id)
    # One answer for "missing", "someone else's" and "not completed", so ids of others do not leak.
    if job is None or job.status != JobStatus.completed or client_id is None or job.order.client_id != client_id:
        raise invalid(
            "rework_of_job_id",
            f"must reference a completed job of one of your orders; {job_id} is not one",
            code="invalid-rework-link",
        )


def _existing_by_external_id(session: Session, client_id: uuid.UUID, external_id: str) -> uuid.UUID | None:
    return session.scalar(
        select(Order.id).where(Order.client_id == client_id, Order.external_order_id == external_id)
    )


def _duplicate(external_id: str, existing_id: uuid.UUID) -> ProblemError:
    return conflict(
        "duplicate-external-order-id",
        f"external_order_id {external_id!r} already used by order {existing_id}",
        field="external_order_id",
        existing_order_id=str(existing_id),
    )


def create_order(
    session: Session,
    data: OrderCreate,
    actor: Actor,
    *,
    client_id: uuid.UUID | None,
    channel: str = OrderChannel.api,
) -> NewOrder:
    _check_catalogue(session, data)
    _check_serviceable(session, data)
    if data.rework_of_job_id is not None:
        _check_rework(session, data.rework_of_job_id, client_id)
    external_id = data.external_order_id

    token = new_secret("trk")
    order = Order(
        id=uuid.uuid4(),
        client_id=client_id,
        channel=channel,
        city=data.city,
        external_order_id=external_id,
        service_type=data.service_type,
        status=OrderStatus.open,
        urgency=data.urgency,
        contact_name=data.contact.name,
        contact_phone=data.contact.phone,
        address=data.address,
        location=point(data.location.lon, data.location.lat),
        notes=data.notes,
        problem_description=data.problem_description,
        rework_of_job_id=data.rework_of_job_id,
        goods_arrived_at=None,
        tracking_token_hash=sha256(token),
        cancelled_at=None,
        completed_at=None,
        cancel_reason=None,
        created_at=utcnow(),
    )
    if not _insert_order_row(session, order):
        # The external id is taken (by an earlier order, or a concurrent request that committed first).
        existing = _existing_by_external_id(session, client_id, external_id)
        if existing is None:  # defensive: the conflict's row was gone again by the time we looked
            raise conflict("order-contended", "the order could not be written; retry the request")
        raise _duplicate(external_id, existing)
    appliances = [
        OrderAppliance(
            id=uuid.uuid4(), order_id=order.id, position=i, category=a.category, brand=a.brand, model=a.model,
            serial=a.serial, purchase_date=a.purchase_date, quantity=a.quantity,
        )
        for i, a in enumerate(data.appliances)
    ]
    windows = [
        OrderWindow(id=uuid.uuid4(), order_id=order.id, start=w.start, end=w.end)
        for w in sorted(data.windows, key=lambda w: w.start)
    ]
    # The order's row is written; its lines and windows go with the jobs' flush. Known as loaded, so
    # nothing reads back what was just written.
    set_committed_value(order, "appliances", appliances)
    set_committed_value(order, "windows", windows)
    set_committed_value(order, "jobs", [])
    session.add_all(appliances + windows)
    _created(session, order, actor)
    jobs = create_jobs_for_order(session, order, actor)
    set_committed_value(order, "jobs", jobs)
    return NewOrder(order, jobs, token)


def _insert_order_row(session: Session, order: Order) -> bool:
    """INSERT ... ON CONFLICT (client, external id) DO NOTHING, then the object joins the session as
    persistent: one statement where a duplicate check, a savepoint and the insert were four."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    table = Order.__table__
    values = {c.name: getattr(order, c.key) for c in table.columns}
    stmt = insert(table).values(values).returning(table.c.id)
    if order.client_id is not None and order.external_order_id is not None:
        stmt = stmt.on_conflict_do_nothing(index_elements=["client_id", "external_order_id"])
    if session.execute(stmt).scalar() is None:
        return False
    make_transient_to_detached(order)
    session.add(order)
    return True


def _created(session: Session, order: Order, actor: Actor) -> None:
    bus.publish(session, "order.created", actor, {
        "service_type": order.service_type, "urgency": order.urgency, "channel": order.channel, "city": order.city,
    }, order=order)


# --- access -----------------------------------------------------------------------------------------------


def _with_children(stmt: Select) -> Select:
    return stmt.options(selectinload(Order.appliances), selectinload(Order.windows), selectinload(Order.jobs))


def _require_reader(principal) -> None:
    if principal.kind != "client" and not principal.is_ops:
        raise forbidden("orders are for the client that posted them and for ops staff")


def visible_order(session: Session, order_id: uuid.UUID, principal) -> Order:
    """The order if the caller may see it; someone else's order is a 404, so its existence does not leak."""
    _require_reader(principal)
    order = session.scalar(_with_children(select(Order).where(Order.id == order_id)))
    if order is None or (principal.kind == "client" and order.client_id != principal.id):
        raise not_found("order", order_id)
    return order


def list_orders(
    session: Session,
    principal,
    *,
    status: str | None = None,
    service_type: str | None = None,
    external_order_id: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    client_id: uuid.UUID | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[Order], str | None]:
    _require_reader(principal)
    stmt = _with_children(select(Order))
    if principal.kind == "client":
        if client_id is not None and client_id != principal.id:
            raise forbidden("clients list only their own orders; client_id is a filter for ops")
        stmt = stmt.where(Order.client_id == principal.id)
    elif client_id is not None:
        stmt = stmt.where(Order.client_id == client_id)
    if status:
        stmt = stmt.where(Order.status == status)
    if service_type:
        stmt = stmt.where(Order.service_type == service_type)
    if external_order_id:
        stmt = stmt.where(Order.external_order_id == external_order_id)
    if created_after:
        stmt = stmt.where(Order.created_at >= created_after)
    if created_before:
        stmt = stmt.where(Order.created_at < created_before)
    return paginate(session, stmt, Order, cursor, limit)


def jobs_of(session: Session, order: Order) -> list[Job]:
    return list(session.scalars(select(Job).where(Job.order_id == order.id).order_by(Job.sequence)))


# --- changes -------------------------------------------------------------------------------------------------


def _require_open(order: Order, action: str) -> None:
    if order.status != OrderStatus.open:
        raise conflict(
            "order-not-open", f"cannot {action} order {order.id}: it is {order.status}", current_status=order.status
        )


def _require_writer(principal) -> None:
    if principal.kind != "client" and not principal.is_ops:
        raise forbidden("only the client that posted the order or ops staff can change it")


def cancel_order(session: Session, order_id: uuid.UUID, principal, actor: Actor, reason: str) -> Order:
    _require_writer(principal)
    return cancel(session, visible_order(session, order_id, principal), actor, reason)


def cancel(session: Session, order: Order, actor: Actor, reason: str) -> Order:
    """Cancel an order the caller may change (a client, ops, or the consumer through its tracking link)."""
    _require_open(order, "cancel")
    # Raises 409 naming the job if any job is already under way; the whole request then rolls back.
    cancel_jobs_of_order(session, order, actor, reason)
    order.status = OrderStatus.cancelled
    order.cancelled_at = utcnow()
    order.cancel_reason = reason
    session.flush()
    bus.publish(session, "order.cancelled", actor, {"reason": reason}, order=order)
    return order


def close_if_done(session: Session, order_id: uuid.UUID, at: datetime, actor: Actor) -> Order | None:
    """An order is completed once none of its jobs is still in play and at least one was completed
    (a failed visit alone leaves the order open for ops to follow up)."""
    order = session.get(Order, order_id)
    if order is None or order.status != OrderStatus.open:
        return None
    statuses = set(session.scalars(select(Job.status).where(Job.order_id == order_id)))
    if statuses <= TERMINAL and JobStatus.completed in statuses and JobStatus.failed not in statuses:
        order.status = OrderStatus.completed
        order.completed_at = at
        session.flush()
        bus.publish(session, "order.completed", actor, {"status": order.status}, order=order)
        return order
    return None


def mark_goods_arrived(
    session: Session, order_id: uuid.UUID, principal, actor: Actor, at: datetime | None
) -> Order:
    _require_writer(principal)
    order = visible_order(session, order_id, principal)
    if order.service_type != ServiceType.delivery_install:
        raise conflict(
            "not-delivery-install",
            f"order {order.id} is a {order.service_type} order; goods arrival applies to delivery_install orders",
            field="service_type",
        )
    _require_open(order, "mark goods arrived on")
    now = utcnow()
    at = at or now
    if at > now + FUTURE_SKEW:
        raise invalid("at", "goods cannot arrive in the future")
    release_after_goods(session, order, at, actor)
    return order


# --- rendering ------------------------------------------------------------------------------------------------


def render_job(job: Job, tz: ZoneInfo) -> dict:
    return {
        "id": str(job.id),
        "service_type": job.service_type,
        "category": job.category,
        "status": job.status,
        "required_skills": list(job.required_skills),
        "duration_minutes": job.duration_minutes,
        "depends_on_job_id": str(job.depends_on_job_id) if job.depends_on_job_id else None,
        "window_start": local(job.window_start, tz).isoformat(),
        "window_end": local(job.window_end, tz).isoformat(),
    }


def _iso(dt: datetime | None, tz: ZoneInfo) -> str | None:
    return None if dt is None else local(dt, tz).isoformat()


def render_order(order: Order, jobs: list[Job], tz: ZoneInfo) -> dict:
    """The order as JSON, every time in the city's time zone (what OrderOut documents)."""
    lon, lat = lonlat(order.location)
    return {
        "id": str(order.id),
        "client_id": str(order.client_id) if order.client_id else None,
        "channel": order.channel,
        "city": order.city,
        "external_order_id": order.external_order_id,
        "service_type": order.service_type,
        "status": order.status,
        "urgency": order.urgency,
        "contact": {"name": order.contact_name, "phone": order.contact_phone},
        "address": order.address,
        "location": {"lon": lon, "lat": lat},
        "appliances": [
            {
                "category": a.category, "brand": a.brand, "model": a.model, "serial": a.serial,
                "purchase_date": a.purchase_date.isoformat() if a.purchase_date else None, "quantity": a.quantity,
            }
            for a in order.appliances
        ],
        "windows": [{"start": _iso(w.start, tz), "end": _iso(w.end, tz)} for w in order.windows],
        "notes": order.notes,
        "problem_description": order.problem_description,
        "rework_of_job_id": str(order.rework_of_job_id) if order.rework_of_job_id else None,
        "goods_arrived_at": _iso(order.goods_arrived_at, tz),
        "cancelled_at": _iso(order.cancelled_at, tz),
        "completed_at": _iso(order.completed_at, tz),
        "cancel_reason": order.cancel_reason,
        "created_at": _iso(order.created_at, tz),
        "jobs": [render_job(j, tz) for j in sorted(jobs, key=lambda j: j.sequence)],
    }


def render_created(new: NewOrder, tz: ZoneInfo, base_url: str) -> dict:
    body = render_order(new.order, new.jobs, tz)
    body["tracking_token"] = new.tracking_token
    body["tracking_url"] = tracking_url(base_url, new.tracking_token)
    return body
