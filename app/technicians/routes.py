"""HTTP routes: provider companies and technicians (ops), technician self-service, job candidates."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from app.actors import Actor
from app.auth import OpsDep, PrincipalDep, SessionDep, TechnicianDep
from app.errors import forbidden, not_found
from app.geo import lonlat
from app.jobs.models import Job
from app.orders.models import ServiceType
from app.technicians import coverage, service
from app.technicians.candidates import candidates_for_job
from app.technicians.schemas import (
    CandidateList,
    CoverageOut,
    DutyIn,
    LocationIn,
    ProviderCreate,
    ProviderOut,
    TechnicianCreate,
    TechnicianOut,
    TechnicianPage,
    TechnicianUpdate,
)

providers_router = APIRouter(prefix="/v1/providers", tags=["technicians"])
router = APIRouter(prefix="/v1/technicians", tags=["technicians"])
candidates_router = APIRouter(prefix="/v1/jobs", tags=["technicians"])
coverage_router = APIRouter(prefix="/v1", tags=["coverage"])


@coverage_router.get("/coverage", response_model=CoverageOut)
def get_coverage(
    session: SessionDep,
    _: PrincipalDep,
    lon: Annotated[float, Query(ge=-180, le=180, description="WGS84 longitude", examples=[120.165])],
    lat: Annotated[float, Query(ge=-90, le=90, description="WGS84 latitude", examples=[30.284])],
    category: Annotated[str, Query(min_length=1, max_length=40, description="catalogue category code")],
    service_type: ServiceType | None = None,
):
    """Would an order here be accepted? The same check intake makes, per service of the category."""
    return coverage.answer(session, lon, lat, category, service_type)


def _out(session, tech) -> dict:
    return service.technicians_out(session, [tech])[0]


# ---- provider companies (ops) ---------------------------------------------------------------------


@providers_router.post("", status_code=201, response_model=ProviderOut)
def create_provider(body: ProviderCreate, session: SessionDep, _: OpsDep):
    return service.create_provider(session, body)


@providers_router.get("", response_model=list[ProviderOut])
def list_providers(session: SessionDep, _: OpsDep):
    return service.list_providers(session)


@providers_router.get("/{provider_id}", response_model=ProviderOut)
def get_provider(provider_id: uuid.UUID, session: SessionDep, _: OpsDep):
    return service.get_provider(session, provider_id)


# ---- technician self-service (declared before /{technician_id} so "me" is not read as an id) ----------


@router.get("/me", response_model=TechnicianOut)
def my_profile(session: SessionDep, p: TechnicianDep):
    return _out(session, service.get_technician(session, p.technician_id))


@router.post("/me/duty", response_model=TechnicianOut)
def set_my_duty(body: DutyIn, session: SessionDep, p: TechnicianDep):
    tech = service.set_duty(session, service.get_technician(session, p.technician_id), body.on_duty)
    return _out(session, tech)


@router.post("/me/location", response_model=TechnicianOut)
def report_my_location(body: LocationIn, session: SessionDep, p: TechnicianDep):
    tech = service.report_location(session, service.get_technician(session, p.technician_id), body)
    return _out(session, tech)


# ---- technicians (ops) --------------------------------------------------------------------------------


@router.post("", status_code=201, response_model=TechnicianOut)
def create_technician(body: TechnicianCreate, session: SessionDep, _: OpsDep):
    return _out(session, service.create_technician(session, body))


@router.get("", response_model=TechnicianPage)
def list_technicians(
    session: SessionDep,
    _: OpsDep,
    provider_id: uuid.UUID | None = None,
    skill: str | None = None,
    active: bool | None = None,
    on_duty: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
):
    rows, next_cursor = service.list_technicians(
        session, provider_id=provider_id, skill=skill, active=active, on_duty=on_duty, limit=limit, cursor=cursor
    )
    return {"items": service.technicians_out(session, rows), "next_cursor": next_cursor}


@router.get("/{technician_id}", response_model=TechnicianOut)
def get_technician(technician_id: uuid.UUID, session: SessionDep, p: PrincipalDep):
    # Ops read anyone; a technician reads only themself (and learns nothing about other ids).
    if not p.is_ops and p.technician_id != technician_id:
        raise forbidden("a technician can read only their own profile (GET /v1/technicians/me)")
    return _out(session, service.get_technician(session, technician_id))


@router.patch("/{technician_id}", response_model=TechnicianOut)
def update_technician(technician_id: uuid.UUID, body: TechnicianUpdate, session: SessionDep, p: OpsDep):
    return _out(session, service.update_technician(session, technician_id, body, Actor.of(p)))


@router.post("/{technician_id}/deactivate", response_model=TechnicianOut)
def deactivate_technician(technician_id: uuid.UUID, session: SessionDep, p: OpsDep):
    """Off-boarding: the login stops working, and jobs not yet under way go back to dispatch."""
    return _out(session, service.deactivate_technician(session, technician_id, Actor.of(p)))


# ---- candidates for a job (ops) -----------------------------------------------------------------------


@candidates_router.get("/{job_id}/candidates", response_model=CandidateList)
def job_candidates(
    job_id: uuid.UUID, session: SessionDep, _: OpsDep, limit: Annotated[int, Query(ge=1, le=100)] = 20
):
    job = session.get(Job, job_id)
    if job is None:
        raise not_found("job", job_id)
    items = []
    for tech, distance in candidates_for_job(session, job, limit):
        lon, lat = lonlat(tech.home_base)
        items.append(
            {
                "technician_id": tech.id,
                "name": tech.name,
                "phone": tech.phone,
                "provider_id": tech.provider_id,
                "on_duty": tech.on_duty,
                "home_base": {"lon": lon, "lat": lat},
                "distance_m": round(distance, 1),
            }
        )
    return {"job_id": job.id, "items": items}
