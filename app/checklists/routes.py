import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile

from app.actors import Actor
from app.auth import ClientDep, OpsDep, PrincipalDep, SessionDep
from app.checklists import access, checklist, client_nodes, photos, service
from app.checklists.evidence import Given
from app.checklists.schemas import (
    ChecklistOut,
    ClientNodeIn,
    ClientNodeOut,
    CompleteIn,
    ConsumerNodeOut,
    JobNodeOut,
    PhotoOut,
    TemplateOut,
    TemplateSummaryOut,
    WaiveIn,
)
from app.checklists.storage import storage_for
from app.errors import not_found
from app.jobs.service import get_job
from app.orders.tracking import CONSUMER, order_for_token

router = APIRouter(tags=["checklists"])


# --- templates and a brand's own nodes -----------------------------------------------------------------


@router.get("/v1/templates", response_model=list[TemplateSummaryOut])
def list_templates(session: SessionDep, _: PrincipalDep, service_type: str | None = None, category: str | None = None):
    return [
        TemplateSummaryOut.model_validate({**_template_fields(t), "node_count": n})
        for t, n in service.list_templates(session, service_type, category)
    ]


@router.get("/v1/templates/{code}", response_model=TemplateOut)
def get_template(code: str, session: SessionDep, _: PrincipalDep, version: Annotated[int | None, Query(ge=1)] = None):
    t = service.get_template(session, code, version)
    return TemplateOut.model_validate({**_template_fields(t), "node_count": len(t.nodes), "nodes": t.nodes})


def _template_fields(t) -> dict:
    return {k: getattr(t, k) for k in TemplateSummaryOut.model_fields if k != "node_count"}


@router.post("/v1/templates/{code}/client-nodes", status_code=201, response_model=ClientNodeOut)
def add_client_node(code: str, body: ClientNodeIn, session: SessionDep, p: ClientDep):
    return client_nodes.add(session, p.id, code, body.model_dump())


@router.get("/v1/templates/{code}/client-nodes", response_model=list[ClientNodeOut])
def list_client_nodes(code: str, session: SessionDep, p: ClientDep, include_inactive: bool = False):
    return client_nodes.list_for(session, p.id, code, include_inactive)


@router.delete("/v1/templates/{code}/client-nodes/{node_code}", status_code=204)
def deactivate_client_node(code: str, node_code: str, session: SessionDep, p: ClientDep):
    client_nodes.deactivate(session, p.id, code, node_code)
    return Response(status_code=204)


# --- a job's checklist ----------------------------------------------------------------------------------


@router.get("/v1/jobs/{job_id}/checklist", response_model=ChecklistOut)
def get_checklist(job_id: uuid.UUID, session: SessionDep, p: PrincipalDep):
    return checklist.view(session, access.readable_job(session, job_id, p))


@router.post("/v1/jobs/{job_id}/checklist/{node_code}/photos", status_code=201, response_model=list[PhotoOut])
def upload_photos(
    job_id: uuid.UUID, node_code: str, request: Request, session: SessionDep, p: PrincipalDep,
    files: Annotated[list[UploadFile], File(description="JPEG, PNG or WebP images")],
    kind: Annotated[str, Form()] = "photo",
):
    job = access.workable_job(session, job_id, p)
    return _upload(request, session, job, node_code, files, kind, "technician")


@router.post("/v1/jobs/{job_id}/checklist/{node_code}/complete", response_model=JobNodeOut)
def complete_node(job_id: uuid.UUID, node_code: str, body: CompleteIn, session: SessionDep, p: PrincipalDep):
    job = access.workable_job(session, job_id, p)
    checklist.complete(session, job, node_code, _given(body), Actor.of(p), by="technician")
    return _node_out(session, job, node_code)


@router.post("/v1/jobs/{job_id}/checklist/{node_code}/waive", response_model=JobNodeOut)
def waive_node(job_id: uuid.UUID, node_code: str, body: WaiveIn, session: SessionDep, p: OpsDep):
    job = get_job(session, job_id)
    checklist.waive(session, job, node_code, body.reason, Actor.of(p))
    return _node_out(session, job, node_code)


@router.get("/v1/photos/{photo_id}", response_class=Response, responses={200: {"content": {"image/jpeg": {}}}})
def get_photo(photo_id: uuid.UUID, request: Request, session: SessionDep, p: PrincipalDep):
    photo = photos.photo_for(session, photo_id, p)
    try:
        data = storage_for(request.app).get(photo.storage_key)
    except KeyError:
        raise not_found("photo file", photo_id) from None
    # Content-addressed: the bytes behind an id never change.
    return Response(data, media_type=photo.content_type, headers={"Cache-Control": "private, max-age=86400"})


# --- the consumer, through the tracking token ---------------------------------------------------------


@router.get("/v1/track/{token}/checklist", response_model=list[ConsumerNodeOut])
def consumer_checklist(token: str, session: SessionDep):
    order = order_for_token(session, token)
    sequence = {j.id: j.sequence for j in order.jobs}
    nodes = checklist.consumer_nodes(session, list(order.jobs))
    return sorted(nodes, key=lambda n: (sequence[n.job_id], n.position))


@router.post("/v1/track/{token}/checklist/{job_id}/{node_code}", response_model=ConsumerNodeOut)
def consumer_complete(token: str, job_id: uuid.UUID, node_code: str, body: CompleteIn, session: SessionDep):
    job = access.consumer_job(session, token, job_id)
    return checklist.complete(session, job, node_code, _given(body), CONSUMER, by="consumer")


@router.post("/v1/track/{token}/checklist/{job_id}/{node_code}/photos", status_code=201, response_model=list[PhotoOut])
def consumer_upload(
    token: str, job_id: uuid.UUID, node_code: str, request: Request, session: SessionDep,
    files: Annotated[list[UploadFile], File(description="JPEG, PNG or WebP images")],
    kind: Annotated[str, Form()] = "photo",
):
    job = access.consumer_job(session, token, job_id)
    return _upload(request, session, job, node_code, files, kind, "consumer")


# --- helpers -------------------------------------------------------------------------------------------


def _given(body: CompleteIn) -> Given:
    return Given(
        reading=body.reading, text=body.text, checkbox=body.checkbox,
        checkin=(body.checkin.lon, body.checkin.lat) if body.checkin else None,
    )


def _upload(request: Request, session, job, node_code, files: list[UploadFile], kind, by) -> list[dict]:
    max_bytes = request.app.state.settings.photo_max_bytes
    # Read no more than one byte past the limit: a huge upload is refused without holding it in memory.
    uploads = [
        photos.Upload(f.filename, f.file.read(max_bytes + 1), f.size or 0) for f in files
    ]
    stored = photos.upload(
        session, job, node_code, uploads, kind, by=by, storage=storage_for(request.app), max_bytes=max_bytes
    )
    return [
        {"id": ph.id, "node_code": node_code, "kind": ph.kind, "content_type": ph.content_type,
         "size_bytes": ph.size_bytes, "sha256": ph.sha256, "uploaded_at": ph.uploaded_at, "url": f"/v1/photos/{ph.id}"}
        for ph in stored
    ]


def _node_out(session, job, node_code: str) -> dict:
    view = checklist.view(session, job)
    return next(n for n in view["nodes"] if n["code"] == node_code)


# every router of this domain; app/main.py includes them all
routers = [router]
