import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.auth import OpsDep, PrincipalDep, SessionDep
from app.jobs.service import visible_job
from app.models_base import utcnow
from app.pagination import paginate
from app.schemas_base import AwareDatetime, Page
from app.sla import service
from app.sla.models import SlaBreach
from app.sla.schemas import BreachOut, JobSlaOut, SummaryOut, SweepOut

router = APIRouter(prefix="/v1/sla", tags=["sla"])
jobs_router = APIRouter(prefix="/v1/jobs", tags=["sla"])

Kind = Literal["node", "job", "ticket"]
Code = Annotated[str | None, Query(min_length=1, max_length=80)]


@router.post("/sweep", response_model=SweepOut)
def sweep(session: SessionDep, _: OpsDep):
    return service.sweep(session, utcnow())


@router.get("/breaches", response_model=Page[BreachOut])
def list_breaches(
    session: SessionDep,
    p: PrincipalDep,
    kind: Kind | None = None,
    city: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
    client_id: uuid.UUID | None = None,
    technician_id: uuid.UUID | None = None,
    node_code: Code = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    stmt = service.breaches_stmt(
        p, kind=kind, city=city, client_id=client_id, technician_id=technician_id, node_code=node_code,
        since=since, until=until,
    )
    rows, next_cursor = paginate(session, stmt, SlaBreach, cursor, limit)
    return Page[BreachOut](items=[BreachOut.model_validate(b) for b in rows], next_cursor=next_cursor)


@router.get("/summary", response_model=SummaryOut)
def breach_summary(
    session: SessionDep,
    _: OpsDep,
    group_by: Literal["technician", "client", "city", "node_code"],
    kind: Kind | None = None,
    city: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
    client_id: uuid.UUID | None = None,
    technician_id: uuid.UUID | None = None,
    node_code: Code = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
):
    return service.summary(
        session, group_by, kind=kind, city=city, client_id=client_id, technician_id=technician_id,
        node_code=node_code, since=since, until=until,
    )


@jobs_router.get("/{job_id}/sla", response_model=JobSlaOut)
def job_sla(job_id: uuid.UUID, session: SessionDep, p: PrincipalDep):
    return service.job_sla(session, visible_job(session, job_id, p), utcnow())


# every router of this domain; app/main.py includes them all
routers = [router, jobs_router]
