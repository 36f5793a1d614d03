"""Request and response shapes for dispatch runs and their plans."""

import uuid
import datetime as dt

from pydantic import ConfigDict, Field

from app.schemas_base import Body, LocalDatetime, Out


class RunCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"date": "2026-12-03", "time_limit_seconds": 10, "seed": 0}]})

    date: dt.date = Field(description="the local day to plan, in the city's time zone")
    time_limit_seconds: float = Field(default=10, gt=0, le=600)
    seed: int = Field(default=0, ge=0)


class RunOut(Out):
    id: uuid.UUID
    local_date: dt.date
    status: str
    progress: int
    message: str
    time_limit_seconds: float
    seed: int
    problem_stats: dict | None
    totals: dict | None
    commit_summary: dict | None
    created_at: LocalDatetime
    started_at: LocalDatetime | None
    finished_at: LocalDatetime | None
    committed_at: LocalDatetime | None


class StopOut(Out):
    job_id: uuid.UUID
    position: int
    pinned: bool
    arrival: LocalDatetime
    start: LocalDatetime
    end: LocalDatetime
    travel_seconds: float
    travel_distance_m: float
    explanation: dict | None


class RouteOut(Out):
    technician_id: uuid.UUID
    stops: list[StopOut]


class UnassignedOut(Out):
    job_id: uuid.UUID
    reason: str
    detail: str


class PlanOut(Out):
    run: RunOut
    routes: list[RouteOut]
    unassigned: list[UnassignedOut]
