"""Real-time mode: a new urgent job is ranked and offered at once, without waiting for a run.

SQL narrows the city to technicians who could take the job at all (area, skills, shift, via the
spatial index); the dispatch library then prices inserting the job into each one's current route.
"""

import uuid
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.actors import SYSTEM, Actor
from app.config import get_settings
from app.jobs import service as jobs
from app.jobs.models import Job, JobStatus
from app.models_base import utcnow
from app.planning.expiry import offer_deadline
from app.planning.offers import offers_per_round
from app.planning.translate import day_context, job_for_offer, realtime_problem
from app.schemas_base import to_city_time
from app.technicians.candidates import candidates_for_job
from dispatch.offers import Offer, rank_technicians

URGENT_PRIORITY = 5
PREFILTER = 40


def rank_for_job(session: Session, job: Job, k: int) -> list[dict]:
    settings = get_settings()
    candidates = candidates_for_job(session, job, limit=PREFILTER)
    if not candidates:
        return []
    local_day = job.window_start.astimezone(ZoneInfo(settings.city_timezone)).date()
    ctx = day_context(local_day, settings.city_timezone)
    problem = realtime_problem(session, ctx, {t.id for t, _ in candidates}, settings.city_speed_kmh)
    if not problem.technicians:
        return []
    ranked = rank_technicians(problem, job_for_offer(job, ctx), k=k)
    return [_with_instants(o, ctx) for o in ranked]


def _with_instants(o: Offer, ctx) -> dict:
    return {
        "technician_id": o.technician_id,
        "eta": to_city_time(ctx.instant(o.eta)),
        "arrival": to_city_time(ctx.instant(o.arrival)),
        "extra_travel_seconds": round(o.extra_travel_seconds, 1),
        "extra_distance_m": round(o.extra_distance, 1),
        "insert_position": o.insert_position,
        "extra_cost": round(o.extra_cost, 2),
    }


def offer_now(session: Session, job: Job, actor: Actor = SYSTEM) -> list[dict]:
    """Rank and offer a pending job immediately (assign mode: the best one; grab: the top k)."""
    if job.status != JobStatus.pending:
        return []
    settings = get_settings()
    ranked = rank_for_job(session, job, offers_per_round(session, job))
    if ranked:
        now = utcnow()
        jobs.offer(session, job, [uuid.UUID(r["technician_id"]) for r in ranked], actor,
                   offer_deadline(job.window_start, now, settings) - now, now=now)
    return ranked


def offer_if_urgent(session: Session, created: list[Job], actor: Actor = SYSTEM) -> None:
    for job in created:
        if job.priority >= URGENT_PRIORITY and job.status == JobStatus.pending:
            offer_now(session, job, actor)
