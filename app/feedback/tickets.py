"""Complaints: the consumer files one through the tracking link, ops work it as a ticket with its own
SLA (vocabulary.TICKET_SLA; the moves are in lifecycle.py). A complaint resolved as upheld counts
against the technician of the job it is about.
"""

import uuid

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.actors import Actor
from app.errors import conflict, invalid, not_found
from app.events import bus
from app.feedback.lifecycle import MOVES, allowed_actions
from app.feedback.models import ComplaintTicket, TicketEvent, TicketStatus
from app.feedback.schemas import AcknowledgeIn, ComplaintIn, ResolveIn
from app.feedback.service import recompute_quality
from app.feedback.vocabulary import CATEGORIES, TICKET_SLA
from app.jobs.models import Job
from app.models_base import utcnow
from app.orders.models import Order
from app.users.models import Role, User

# A tracking link is a bearer capability with no account behind it: cap what one link can open.
MAX_OPEN_PER_ORDER = 5


# --- the consumer ----------------------------------------------------------------------------------


def file_complaint(session: Session, order: Order, body: ComplaintIn, actor: Actor) -> ComplaintTicket:
    job = None
    if body.job_id is not None:
        job = next((j for j in order.jobs if j.id == body.job_id), None)
        if job is None:
            raise invalid("job_id", f"{body.job_id} is not a visit of this order", code="unknown-job")
    still_open = session.scalar(
        select(func.count()).select_from(ComplaintTicket).where(
            ComplaintTicket.order_id == order.id, ComplaintTicket.resolved_at.is_(None)
        )
    )
    if still_open >= MAX_OPEN_PER_ORDER:
        raise conflict(
            "too-many-open-complaints",
            f"this order already has {still_open} open complaints; ops will answer them first",
            open_complaints=still_open,
        )
    word = CATEGORIES[body.category]
    sla = TICKET_SLA[word.kind]
    now = utcnow()
    ticket = ComplaintTicket(
        order_id=order.id, job_id=job.id if job else None, technician_id=job.technician_id if job else None,
        client_id=order.client_id, city=order.city, category=str(body.category), severity=str(word.kind),
        description=body.description, status=TicketStatus.open, created_at=now,
        first_response_due_at=now + sla.first_response, resolution_due_at=now + sla.resolution,
    )
    session.add(ticket)
    session.flush()
    _append(session, ticket, actor, "file", None, body.description, seq=1)
    bus.publish(session, "complaint.opened", actor,
                {"ticket_id": str(ticket.id), "category": ticket.category, "severity": ticket.severity},
                job=job, order=order)
    return ticket


def complaints_of_order(session: Session, order: Order) -> list[ComplaintTicket]:
    return list(session.scalars(
        select(ComplaintTicket).where(ComplaintTicket.order_id == order.id)
        .order_by(ComplaintTicket.created_at, ComplaintTicket.id)
    ))


# --- ops -------------------------------------------------------------------------------------------


def get_ticket(session: Session, ticket_id: uuid.UUID, *, lock: bool = False) -> ComplaintTicket:
    stmt = select(ComplaintTicket).where(ComplaintTicket.id == ticket_id).options(selectinload(ComplaintTicket.events))
    if lock:
        # One writer at a time per ticket: its status check and its timeline numbering stay consistent.
        stmt = stmt.with_for_update(of=ComplaintTicket).execution_options(populate_existing=True)
    ticket = session.scalar(stmt)
    if ticket is None:
        raise not_found("ticket", ticket_id)
    return ticket


def list_stmt(*, status=None, technician_id=None, client_id=None, category=None, overdue=None, now=None):
    T = ComplaintTicket
    stmt = select(T)
    if status:
        stmt = stmt.where(T.status.in_(status))
    if technician_id:
        stmt = stmt.where(T.technician_id == technician_id)
    if client_id:
        stmt = stmt.where(T.client_id == client_id)
    if category:
        stmt = stmt.where(T.category.in_(category))
    if overdue is not None:
        late = or_(
            and_(T.first_response_at.is_(None), T.first_response_due_at < now),
            and_(T.resolved_at.is_(None), T.resolution_due_at < now),
        )
        stmt = stmt.where(late if overdue else ~late)
    return stmt


def acknowledge(
    session: Session, ticket_id: uuid.UUID, body: AcknowledgeIn, actor: Actor, caller_id
) -> ComplaintTicket:
    assignee_id = body.assignee_id or caller_id
    if body.assignee_id is not None:
        user = session.get(User, body.assignee_id)
        if user is None or not user.active or user.role not in (Role.admin, Role.dispatcher):
            raise invalid("assignee_id", f"{body.assignee_id} is not an active ops user", code="unknown-assignee")
    ticket = get_ticket(session, ticket_id, lock=True)
    _check(ticket, "acknowledge")
    ticket.assignee_id = assignee_id
    ticket.first_response_at = utcnow()
    return _move(session, ticket, "acknowledge", actor, body.note)


def add_note(session: Session, ticket_id: uuid.UUID, text: str, actor: Actor) -> ComplaintTicket:
    ticket = get_ticket(session, ticket_id, lock=True)
    _append(session, ticket, actor, "note", ticket.status, text)
    return _reloaded(session, ticket)


def resolve(session: Session, ticket_id: uuid.UUID, body: ResolveIn, actor: Actor) -> ComplaintTicket:
    if body.refund_cents and not body.upheld:
        raise invalid("refund_cents", "a refund needs the complaint to be upheld", code="refund-not-upheld")
    ticket = get_ticket(session, ticket_id, lock=True)
    _check(ticket, "resolve")
    ticket.resolved_at = utcnow()
    ticket.resolution, ticket.upheld, ticket.refund_cents = body.resolution, body.upheld, body.refund_cents
    _move(session, ticket, "resolve", actor, body.resolution)
    if body.upheld and ticket.technician_id is not None:
        recompute_quality(session, ticket.technician_id)
    bus.publish(session, "complaint.resolved", actor,
                {"ticket_id": str(ticket.id), "upheld": ticket.upheld, "refund_cents": ticket.refund_cents},
                job=session.get(Job, ticket.job_id) if ticket.job_id else None, order=session.get(Order, ticket.order_id))
    return ticket


def reject(session: Session, ticket_id: uuid.UUID, reason: str, actor: Actor, caller_id) -> ComplaintTicket:
    ticket = get_ticket(session, ticket_id, lock=True)
    _check(ticket, "reject")
    now = utcnow()
    if ticket.first_response_at is None:  # rejecting straight away is also the first answer
        ticket.first_response_at = now
        ticket.assignee_id = ticket.assignee_id or caller_id
    ticket.resolved_at, ticket.resolution, ticket.upheld = now, reason, False
    return _move(session, ticket, "reject", actor, reason)


def _check(ticket: ComplaintTicket, action: str) -> None:
    sources, _ = MOVES[action]
    if ticket.status not in sources:
        raise conflict(
            "illegal-ticket-transition", f"cannot {action} ticket {ticket.id}: it is {ticket.status}",
            ticket_id=str(ticket.id), action=action, current_status=ticket.status,
            allowed_actions=allowed_actions(ticket.status),
        )


def _move(session: Session, ticket: ComplaintTicket, action: str, actor: Actor, text: str | None) -> ComplaintTicket:
    from_status = ticket.status
    ticket.status = MOVES[action][1]
    _append(session, ticket, actor, action, from_status, text)
    return _reloaded(session, ticket)


def _append(session, ticket, actor: Actor, action: str, from_status, text, seq: int | None = None) -> None:
    if seq is None:
        seq = (session.scalar(select(func.max(TicketEvent.seq)).where(TicketEvent.ticket_id == ticket.id)) or 0) + 1
    session.add(TicketEvent(
        ticket_id=ticket.id, seq=seq, actor_type=actor.type, actor_id=actor.id, action=action,
        from_status=from_status, to_status=ticket.status, text=text,
    ))
    session.flush()


def _reloaded(session: Session, ticket: ComplaintTicket) -> ComplaintTicket:
    session.refresh(ticket, attribute_names=["events"])
    return ticket
