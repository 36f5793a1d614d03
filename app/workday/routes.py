"""HTTP routes of the technician app (/v1/tech): the home screen, one job, and working it — a
transition or a checklist node with all its evidence — each answered with the updated job, and safe to
replay from the phone's offline queue (the Idempotency-Key is recorded with the change it made)."""

import json
import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy import select

from app.actors import Actor
from app.auth import SessionDep, TechnicianDep
from app.checklists import access, checklist
from app.checklists.models import JobNode
from app.checklists.routes import _given, _upload
from app.checklists.schemas import CompleteIn
from app.errors import invalid
from app.jobs import service as jobs
from app.jobs.models import JobEvent
from app.jobs.schemas import TransitionIn
from app.technicians.models import Technician
from app.workday import service as workday

router = APIRouter(prefix="/v1/tech", tags=["technician app"])

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=255)]
REPLAYED = {"Idempotent-Replayed": "true"}


def _here(lon: float | None, lat: float | None):
    return (lon, lat) if lon is not None and lat is not None else None


@router.get("/home")
def home(request: Request, session: SessionDep, p: TechnicianDep,
         lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
         lat: Annotated[float | None, Query(ge=-90, le=90)] = None):
    tech = session.get(Technician, p.technician_id)
    return workday.home(session, tech, p, request.app.state.settings, _here(lon, lat))


@router.get("/jobs/{job_id}")
def job(job_id: uuid.UUID, request: Request, session: SessionDep, p: TechnicianDep):
    return _detail(request, session, p, jobs.visible_job(session, job_id, p))


@router.post("/jobs/{job_id}/actions")
def act(job_id: uuid.UUID, body: TransitionIn, request: Request, session: SessionDep, p: TechnicianDep,
        idempotency_key: IdempotencyKey = None):
    job = jobs.visible_job(session, job_id, p)
    if idempotency_key and _event_with_key(session, job, idempotency_key):
        return JSONResponse(_detail(request, session, p, job), headers=REPLAYED)
    _transition(session, job, p, body, idempotency_key)
    return _detail(request, session, p, job)


@router.post("/jobs/{job_id}/nodes/{node_code}")
def submit_node(
    job_id: uuid.UUID, node_code: str, request: Request, session: SessionDep, p: TechnicianDep,
    files: Annotated[list[UploadFile] | None, File(description="photos: JPEG, PNG or WebP")] = None,
    signature: Annotated[UploadFile | None, File(description="the consumer's signature image")] = None,
    fields: Annotated[str, Form(description='JSON: {"reading", "text", "checkbox", "checkin": {lon, lat}, '
                                              '"then": {transition body}}')] = "{}",
    idempotency_key: IdempotencyKey = None,
):
    """Upload the node's photos and signature, complete it with its values, and optionally run one
    transition after it (confirm the appointment + schedule, check in + arrive, sign + complete), all
    in one transaction: a refusal anywhere leaves nothing written."""
    job = access.workable_job(session, job_id, p)
    if idempotency_key and _node_with_key(session, job, node_code, idempotency_key):
        return JSONResponse(_detail(request, session, p, job), headers=REPLAYED)
    try:
        raw = json.loads(fields or "{}")
    except ValueError:
        raise invalid("fields", "must be a JSON object") from None
    if not isinstance(raw, dict):
        raise invalid("fields", "must be a JSON object")
    then = raw.pop("then", None)
    body = CompleteIn.model_validate(raw)
    then_body = TransitionIn.model_validate(then) if then else None
    if files:
        _upload(request, session, job, node_code, files, "photo", "technician")
    if signature is not None:
        _upload(request, session, job, node_code, [signature], "signature", "technician")
    node = checklist.complete(session, job, node_code, _given(body), Actor.of(p), by="technician")
    if idempotency_key:
        node.values = {**(node.values or {}), "request_key": idempotency_key}
    if then_body is not None:
        _transition(session, job, p, then_body, idempotency_key)
    session.flush()
    return _detail(request, session, p, job)


def _transition(session, job, p, body: TransitionIn, key: str | None) -> None:
    jobs.check_can_act(job, p, body.action)
    window = (body.window.start, body.window.end) if body.window else None
    jobs.act(session, job, body.action, Actor.of(p), reason=body.reason, scheduled_start=body.scheduled_start,
             window=window, request_key=key)


def _event_with_key(session, job, key: str) -> bool:
    datas = session.scalars(select(JobEvent.data).where(JobEvent.job_id == job.id))
    return any((d or {}).get("request_key") == key for d in datas)


def _node_with_key(session, job, code: str, key: str) -> bool:
    values = session.scalar(select(JobNode.values).where(JobNode.job_id == job.id, JobNode.code == code))
    return (values or {}).get("request_key") == key


def _detail(request: Request, session, p, job) -> dict:
    session.flush()
    session.refresh(job)
    tech = session.get(Technician, p.technician_id)
    return workday.job_detail(session, job, tech, p, request.app.state.settings)


routers = [router]
