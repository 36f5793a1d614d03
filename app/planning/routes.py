import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.actors import Actor
from app.auth import OpsDep, PrincipalDep, SessionDep, TechnicianDep
from app.errors import forbidden
from app.jobs.schemas import DeclineIn, JobOut
from app.jobs.service import get_job, illegal, visible_job
from app.planning import moves, offers, pins, realtime, service, views
from app.planning.names import technician_names
from app.planning.queue import enqueue_run
from app.planning.schemas import MoveCheckOut, MoveIn, PinIn, PinOut, PlanOut, RunCreate, RunOut, ViolationOut

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
    """The run's routes and unassigned jobs, with technicians' names and jobs' addresses beside the ids."""
    if not p.is_ops:
        if p.technician_id is None:
            raise forbidden("plans are for ops staff and, for their own route, technicians")
        technician_id = p.technician_id
    return views.plan_view(session, service.get_run(session, run_id), technician_id, with_unassigned=p.is_ops)


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

    return views.named_ranking(session, realtime.rank_for_job(session, get_job(session, job_id), k))


def _check_out(check) -> MoveCheckOut:
    return MoveCheckOut(
        feasible=check.feasible, violations=[ViolationOut(rule=v.rule, message=v.message, params=v.params)
                                             for v in check.violations],
        technician_id=check.technician_id, technician_name=check.technician_name, job_id=check.job_id,
        start=check.start, end=check.end, travel_seconds=check.travel_seconds)


@router.post("/jobs/{job_id}/move-check", response_model=MoveCheckOut)
def move_check(job_id: uuid.UUID, body: MoveIn, session: SessionDep, _: OpsDep):
    """Could this job go to that technician (at that start)? Every rule it would break, checked with the
    optimizer's own rules (skills and certificates, service area, window, overlap, shift, capacity).
    Nothing is saved."""
    return _check_out(moves.check_move(session, get_job(session, job_id), body.technician_id, body.start))


@router.post("/jobs/{job_id}/move", response_model=MoveCheckOut)
def move_job(job_id: uuid.UUID, body: MoveIn, session: SessionDep, p: OpsDep):
    """Give the job to the technician (at the start, if given) with a reason, which goes into the job's
    event log. Refused with 409 and every broken rule when the move check fails; nothing is saved then."""
    job, check = moves.move_job(session, get_job(session, job_id), body.technician_id, body.start, body.reason,
                                Actor.of(p))
    return _check_out(check)


@router.put("/jobs/{job_id}/pin", response_model=PinOut)
def pin_job(job_id: uuid.UUID, body: PinIn, session: SessionDep, p: OpsDep):
    """Keep the job with a technician: the next dispatch run plans it there."""
    row = pins.pin(session, get_job(session, job_id), Actor.of(p), body.technician_id, body.reason)
    out = PinOut.model_validate(row)
    out.technician_name = technician_names(session, [row.technician_id]).get(str(row.technician_id))
    return out


@router.delete("/jobs/{job_id}/pin", status_code=204)
def unpin_job(job_id: uuid.UUID, session: SessionDep, _: OpsDep):
    pins.unpin(session, get_job(session, job_id))


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
