"""HTTP routes for ops working complaint tickets."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from app.actors import Actor
from app.auth import OpsDep, SessionDep
from app.feedback import tickets
from app.feedback.models import ComplaintTicket, TicketStatus
from app.feedback.schemas import AcknowledgeIn, NoteIn, RejectIn, ResolveIn, TicketOut, TicketSummaryOut
from app.feedback.vocabulary import ComplaintCategory
from app.models_base import utcnow
from app.pagination import paginate
from app.schemas_base import Page

router = APIRouter(prefix="/v1/tickets", tags=["tickets"])


@router.get("", response_model=Page[TicketSummaryOut])
def list_tickets(
    session: SessionDep,
    _: OpsDep,
    status: Annotated[list[TicketStatus] | None, Query()] = None,
    category: Annotated[list[ComplaintCategory] | None, Query()] = None,
    technician_id: uuid.UUID | None = None,
    client_id: uuid.UUID | None = None,
    overdue: bool | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    now = utcnow()
    stmt = tickets.list_stmt(
        status=status, technician_id=technician_id, client_id=client_id, category=category, overdue=overdue, now=now
    )
    rows, next_cursor = paginate(session, stmt, ComplaintTicket, cursor, limit)
    return Page[TicketSummaryOut](items=[TicketSummaryOut.of(t, now) for t in rows], next_cursor=next_cursor)


@router.get("/{ticket_id}", response_model=TicketOut)
def get_ticket(ticket_id: uuid.UUID, session: SessionDep, _: OpsDep):
    return TicketOut.of(tickets.get_ticket(session, ticket_id), utcnow())


@router.post("/{ticket_id}/acknowledge", response_model=TicketOut)
def acknowledge(ticket_id: uuid.UUID, session: SessionDep, p: OpsDep, body: AcknowledgeIn | None = None):
    ticket = tickets.acknowledge(session, ticket_id, body or AcknowledgeIn(), Actor.of(p), p.id)
    return TicketOut.of(ticket, utcnow())


@router.post("/{ticket_id}/notes", response_model=TicketOut)
def add_note(ticket_id: uuid.UUID, body: NoteIn, session: SessionDep, p: OpsDep):
    return TicketOut.of(tickets.add_note(session, ticket_id, body.text, Actor.of(p)), utcnow())


@router.post("/{ticket_id}/resolve", response_model=TicketOut)
def resolve(ticket_id: uuid.UUID, body: ResolveIn, session: SessionDep, p: OpsDep):
    return TicketOut.of(tickets.resolve(session, ticket_id, body, Actor.of(p)), utcnow())


@router.post("/{ticket_id}/reject", response_model=TicketOut)
def reject(ticket_id: uuid.UUID, body: RejectIn, session: SessionDep, p: OpsDep):
    return TicketOut.of(tickets.reject(session, ticket_id, body.reason, Actor.of(p), p.id), utcnow())
