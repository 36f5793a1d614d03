import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.actors import Actor
from app.auth import OpsDep, PrincipalDep, SessionDep, TechnicianDep
from app.errors import forbidden
from app.jobs.schemas import DeclineIn, JobOut
from app.jobs.service import get_job, illegal, visible_job
from app.planning import offers, realtime, service
from app.planning.queue import enqueue_run
from app.planning.schemas import PlanOut, RouteOut, RunCreate, RunOut, StopOut, UnassignedOut

router = APIRouter(prefix="/v1/dispatch", tags=["dispatch"])


@router.post("/runs", status_code=202, response_model=RunOut)
def create_run(body: RunCreate, request: Request, session: SessionDep, p: OpsDep):
    run = service.create_run(session, body.date, body.time_limit_seconds, body.seed, Actor.of(p))
    # The worker must see the run row, so it is committed before the run is queued.
    session.commit()
    enqueue_run(str(run.id), request.app.state.settings)
    return run


@router.get("/runs", response_model=list[RunOut])
def list_runs(session: SessionDep, _: OpsDep):
    return service.list_runs(session)


@router.get("/runs/{run_id}", response_model=RunOut)
def get_run(run_id: uuid.UUID, session: SessionDep, _: OpsDep):
    return service.get_run(session, run_id)


@router.get("/runs/{run_id}/plan", response_model=PlanOut)
def get_plan(run_id: uuid.UUID, session: SessionDep, p: PrincipalDep, technician_id: uuid.UUID | None = None):
    if not p.is_ops:
        if p.technician_id is None:
            raise forbidden("plans are for ops staff and, for their own route, technicians")
        technician_id = p.technician_id
    run = service.get_run(session, run_id)
    routes: dict[uuid.UUID, list] = {}
    for s in run.stops:
        if technician_id is None or s.technician_id == technician_id:
            routes.setdefault(s.technician_id, []).append(StopOut.model_validate(s))
    return PlanOut(
        run=RunOut.model_validate(run),
        routes=[RouteOut(technician_id=t, stops=stops) for t, stops in routes.items()],
        unassigned=[UnassignedOut.model_validate(u) for u in run.unassigned] if p.is_ops else [],
    )


@router.post("/runs/{run_id}/commit", response_model=RunOut)
def commit_run(run_id: uuid.UUID, session: SessionDep, p: OpsDep):
    run = service.get_run(session, run_id)
    service.commit_run(session, run, Actor.of(p))
    return run


@router.post("/sweep")
def sweep_offers(session: SessionDep, _: OpsDep):
    return offers.expire_offers(session)


@router.get("/queue", response_model=list[JobOut])
def ops_queue(session: SessionDep, _: OpsDep, limit: Annotated[int, Query(ge=1, le=500)] = 100):
    return [JobOut.of(j) for j in session.scalars(offers.ops_queue_stmt().limit(limit))]


@router.get("/jobs/{job_id}/ranking")
def rank_job(job_id: uuid.UUID, session: SessionDep, _: OpsDep, k: Annotated[int, Query(ge=1, le=20)] = 5):
    """Who could take this job now, cheapest insertion into their current route first (no offer made)."""

    return realtime.rank_for_job(session, get_job(session, job_id), k)


@router.post("/jobs/{job_id}/offer-now")
def offer_job_now(job_id: uuid.UUID, session: SessionDep, p: OpsDep):
    """Real-time mode: rank and offer a pending job immediately (assign: the best; grab: the top k)."""

    job = get_job(session, job_id)
    if job.status != "pending":
        raise illegal(job, "offer")
    return {"offered": realtime.offer_now(session, job, Actor.of(p))}


@router.post("/jobs/{job_id}/give-back", response_model=JobOut)
def give_back_job(job_id: uuid.UUID, body: DeclineIn, session: SessionDep, p: TechnicianDep):
    """Assign mode (派单): the planned technician declines the job it was given, with a reason, before
    the offer deadline; dispatch re-offers it."""
    job = visible_job(session, job_id, p)
    return JobOut.of(offers.give_back(session, job, p.technician_id, Actor.of(p), body.reason), p, session)
