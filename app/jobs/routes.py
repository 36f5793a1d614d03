"""The jobs API: lists and reads by role, offers, accept and decline, assignment and transitions."""

import uuid
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from app.actors import Actor
from app.auth import OpsDep, PrincipalDep, SessionDep, TechnicianDep
from app.jobs import service
from app.jobs.schemas import (
    AssignIn, DeclineIn, JobEventOut, JobOut, OfferCreate, OfferOut, TransitionIn, UnassignIn,
)
from app.pagination import paginate
from app.jobs.models import Job, JobStatus
from app.schemas_base import AwareDatetime, Page

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


@router.get("", response_model=Page[JobOut])
def list_jobs(
    session: SessionDep,
    p: PrincipalDep,
    status: Annotated[list[JobStatus] | None, Query()] = None,
    technician_id: uuid.UUID | None = None,
    client_id: uuid.UUID | None = None,
    window_from: AwareDatetime | None = None,
    window_to: AwareDatetime | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    stmt = service.list_jobs_stmt(
        p, status=status, technician_id=technician_id, client_id=client_id, since=window_from, until=window_to
    )
    rows, next_cursor = paginate(session, stmt, Job, cursor, limit)
    return Page[JobOut](items=[JobOut.of(j, p, session) for j in rows], next_cursor=next_cursor)


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: uuid.UUID, session: SessionDep, p: PrincipalDep):
    return JobOut.of(service.visible_job(session, job_id, p), p, session)


@router.get("/{job_id}/events", response_model=list[JobEventOut])
def job_events(job_id: uuid.UUID, session: SessionDep, p: PrincipalDep):
    return service.events(session, service.visible_job(session, job_id, p))


@router.get("/{job_id}/offers", response_model=list[OfferOut])
def job_offers(job_id: uuid.UUID, session: SessionDep, _: OpsDep):
    return service.get_job(session, job_id).offers


@router.post("/{job_id}/offers", status_code=201, response_model=list[OfferOut])
def offer_job(job_id: uuid.UUID, body: OfferCreate, session: SessionDep, p: OpsDep):
    job = service.get_job(session, job_id)
    expires = timedelta(minutes=body.expires_in_minutes) if body.expires_in_minutes else None
    return service.offer(session, job, body.technician_ids, Actor.of(p), expires)


@router.post("/{job_id}/accept", response_model=JobOut)
def accept_job(job_id: uuid.UUID, session: SessionDep, p: TechnicianDep):
    job = service.visible_job(session, job_id, p)
    return JobOut.of(service.accept(session, job, p.technician_id, Actor.of(p)), p, session)


@router.post("/{job_id}/decline", response_model=JobOut)
def decline_job(job_id: uuid.UUID, body: DeclineIn, session: SessionDep, p: TechnicianDep):
    job = service.visible_job(session, job_id, p)
    return JobOut.of(service.decline(session, job, p.technician_id, Actor.of(p), body.reason), p, session)


@router.post("/{job_id}/assign", response_model=JobOut)
def assign_job(job_id: uuid.UUID, body: AssignIn, session: SessionDep, p: OpsDep):
    job = service.get_job(session, job_id)
    return JobOut.of(service.assign(session, job, body.technician_id, Actor.of(p), body.reason), p, session)


@router.post("/{job_id}/unassign", response_model=JobOut)
def unassign_job(job_id: uuid.UUID, body: UnassignIn, session: SessionDep, p: OpsDep):
    job = service.get_job(session, job_id)
    return JobOut.of(service.unassign(session, job, Actor.of(p), body.reason), p, session)


@router.post("/{job_id}/transitions", response_model=JobOut)
def transition_job(job_id: uuid.UUID, body: TransitionIn, session: SessionDep, p: PrincipalDep):
    job = service.visible_job(session, job_id, p)
    service.check_can_act(job, p, body.action)
    window = (body.window.start, body.window.end) if body.window else None
    job = service.act(
        session, job, body.action, Actor.of(p), reason=body.reason, scheduled_start=body.scheduled_start, window=window
    )
    return JobOut.of(job, p, session)
