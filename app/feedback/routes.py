"""HTTP routes: the consumer rates and complains through its tracking link; ops and technicians read
ratings and quality scores. Ticket routes are in ticket_routes.py."""

import uuid
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query

from app.auth import OpsDep, PrincipalDep, SessionDep, TechnicianDep
from app.errors import not_found
from app.feedback import ratings, service, tickets
from app.feedback.models import JobRating
from app.feedback.schemas import (
    CategoryOut,
    ComplaintIn,
    ConsumerComplaintOut,
    ConsumerRatingOut,
    QualityOut,
    RateableJobOut,
    RatingIn,
    RatingOut,
    RecomputeOut,
    TagOut,
)
from app.feedback.ticket_routes import router as tickets_router
from app.feedback.vocabulary import CATEGORIES, TAGS, TICKET_SLA
from app.orders.tracking import CONSUMER, order_for_token
from app.pagination import paginate
from app.schemas_base import Page
from app.technicians.models import Technician

router = APIRouter(prefix="/v1/feedback", tags=["feedback"])
consumer = APIRouter(prefix="/v1/track", tags=["consumers"])
jobs_router = APIRouter(prefix="/v1/jobs", tags=["feedback"])
technicians_router = APIRouter(prefix="/v1/technicians", tags=["feedback"])


# ---- the fixed vocabulary (public: the consumer's page shows it) ------------------------------------


@router.get("/tags", response_model=list[TagOut])
def list_tags():
    return [TagOut(code=w.code, zh=w.zh, en=w.en, sentiment=w.kind) for w in TAGS.values()]


@router.get("/complaint-categories", response_model=list[CategoryOut])
def list_categories():
    return [
        CategoryOut(
            code=w.code, zh=w.zh, en=w.en, severity=w.kind,
            first_response_hours=TICKET_SLA[w.kind].first_response.total_seconds() / 3600,
            resolution_hours=TICKET_SLA[w.kind].resolution.total_seconds() / 3600,
        )
        for w in CATEGORIES.values()
    ]


@router.post("/recompute", response_model=RecomputeOut)
def recompute_all(session: SessionDep, _: OpsDep):
    return RecomputeOut(recomputed=service.recompute_all(session))


# ---- the consumer, through its tracking token -----------------------------------------------------


@consumer.get("/{token}/ratings", response_model=list[RateableJobOut])
def my_rateable_jobs(token: str, session: SessionDep):
    return ratings.rateable_jobs(session, order_for_token(session, token))


@consumer.post("/{token}/jobs/{job_id}/rating", status_code=201, response_model=ConsumerRatingOut,
               responses={409: {"description": "job not completed, or already rated"}})
def rate_job(token: str, job_id: uuid.UUID, body: RatingIn, session: SessionDep):
    return ratings.rate(session, order_for_token(session, token), job_id, body)


@consumer.post("/{token}/complaints", status_code=201, response_model=ConsumerComplaintOut)
def file_complaint(token: str, body: ComplaintIn, session: SessionDep):
    ticket = tickets.file_complaint(session, order_for_token(session, token), body, CONSUMER)
    return ConsumerComplaintOut.of(ticket)


@consumer.get("/{token}/complaints", response_model=list[ConsumerComplaintOut])
def my_complaints(token: str, session: SessionDep):
    order = order_for_token(session, token)
    return [ConsumerComplaintOut.of(t) for t in tickets.complaints_of_order(session, order)]


# ---- reading ratings and quality --------------------------------------------------------------------


@jobs_router.get("/{job_id}/rating", response_model=RatingOut)
def job_rating(job_id: uuid.UUID, session: SessionDep, p: PrincipalDep):
    return ratings.rating_for_job(session, job_id, p)


Limit = Annotated[int, Query(ge=1, le=200)]


# "me" routes first, so "me" is not read as a technician id.
@technicians_router.get("/me/ratings", response_model=Page[RatingOut])
def my_ratings(session: SessionDep, p: TechnicianDep, cursor: str | None = None, limit: Limit = 50):
    return _ratings_page(session, p.technician_id, cursor, limit)


@technicians_router.get("/me/quality", response_model=QualityOut)
def my_quality(session: SessionDep, p: TechnicianDep):
    return _quality(session, p.technician_id)


@technicians_router.get("/{technician_id}/ratings", response_model=Page[RatingOut])
def technician_ratings(
    technician_id: uuid.UUID, session: SessionDep, _: OpsDep, cursor: str | None = None, limit: Limit = 50
):
    _technician(session, technician_id)
    return _ratings_page(session, technician_id, cursor, limit)


@technicians_router.get("/{technician_id}/quality", response_model=QualityOut)
def technician_quality(technician_id: uuid.UUID, session: SessionDep, _: OpsDep):
    return _quality(session, technician_id)


def _technician(session, technician_id: uuid.UUID) -> Technician:
    tech = session.get(Technician, technician_id)
    if tech is None:
        raise not_found("technician", technician_id)
    return tech


def _ratings_page(session, technician_id, cursor, limit) -> Page[RatingOut]:
    rows, next_cursor = paginate(session, ratings.ratings_stmt(technician_id), JobRating, cursor, limit)
    return Page[RatingOut](items=[RatingOut.model_validate(r) for r in rows], next_cursor=next_cursor)


def _quality(session, technician_id: uuid.UUID) -> QualityOut:
    tech = _technician(session, technician_id)
    b = service.quality_breakdown(session, technician_id)
    rating = b.component("rating")
    return QualityOut(
        technician_id=tech.id, score=b.score, stored_score=tech.quality_score, ratings=rating.total,
        average_stars=round(rating.good / rating.total, 2) if rating.total else None,
        components=[asdict(c) for c in b.components],
    )


# every router of this domain; app/main.py includes them all
routers = [router, consumer, jobs_router, technicians_router, tickets_router]
