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


class JobLabelOut(Out):
    """What a person needs to recognise a job: where, what, when."""

    address: str
    category: str
    category_zh: str
    category_en: str
    service_type: str
    window_start: LocalDatetime
    window_end: LocalDatetime
    status: str
    order_ref: str | None = None


class StopOut(Out):
    job_id: uuid.UUID
    job: JobLabelOut | None = None
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
    technician_name: str | None = None
    stops: list[StopOut]


class UnassignedOut(Out):
    job_id: uuid.UUID
    job: JobLabelOut | None = None
    reason: str
    detail: str


class PlanOut(Out):
    run: RunOut
    routes: list[RouteOut]
    unassigned: list[UnassignedOut]


class MoveIn(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "technician_id": "0ad6c34e-8d3a-4c1e-9d6f-3f1f4b0b2a11", "start": "2026-12-03T10:00:00+08:00",
        "reason": "customer asked for the technician who installed it"}]})

    technician_id: uuid.UUID = Field(description="who should do the job")
    start: dt.datetime | None = Field(default=None, description="planned service start; omit to keep the best fit")
    reason: str | None = Field(default=None, max_length=500, description="why (required to save a move)")


class ViolationOut(Out):
    rule: str = Field(description="service_area, skill, certificate, window, overlap, shift, capacity, status, "
                                  "technician")
    message: str
    params: dict


class MoveCheckOut(Out):
    feasible: bool
    violations: list[ViolationOut]
    technician_id: uuid.UUID
    technician_name: str
    job_id: uuid.UUID
    start: LocalDatetime | None = Field(description="when the job would start there (None when it cannot)")
    end: LocalDatetime | None
    travel_seconds: float | None = Field(description="travel from the previous stop")


class PinIn(Body):
    technician_id: uuid.UUID | None = Field(default=None, description="default: who holds or is planned to do it")
    reason: str | None = Field(default=None, max_length=500)


class PinOut(Out):
    job_id: uuid.UUID
    technician_id: uuid.UUID
    technician_name: str | None = None
    reason: str | None
    created_by: str | None
    created_at: LocalDatetime
