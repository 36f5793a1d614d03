"""Request and response shapes for jobs, their offers, assignments and lifecycle transitions."""

import uuid
from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from app.geo import lonlat
from app.jobs.permissions import allowed_actions_for
from app.schemas_base import AwareDatetime, Body, LocalDatetime, Out


class JobOut(Out):
    id: uuid.UUID
    order_id: uuid.UUID
    sequence: int
    service_type: str
    category: str
    status: str
    required_skills: list[str]
    duration_minutes: int
    priority: int
    lon: float
    lat: float
    window_start: LocalDatetime
    window_end: LocalDatetime
    earliest_start: LocalDatetime | None
    depends_on_job_id: uuid.UUID | None
    technician_id: uuid.UUID | None
    scheduled_start: LocalDatetime | None
    version: int
    created_at: LocalDatetime
    updated_at: LocalDatetime
    allowed_actions: list[str]

    @classmethod
    def of(cls, job, principal=None, session=None) -> "JobOut":
        """`principal`: whose allowed_actions to list (None: every action the status permits)."""
        lon, lat = lonlat(job.location)
        return cls.model_validate(
            {**{k: getattr(job, k) for k in cls.model_fields if hasattr(job, k)},
             "lon": lon, "lat": lat, "allowed_actions": allowed_actions_for(session, job, principal)}
        )


class JobEventOut(Out):
    seq: int
    at: LocalDatetime
    actor_type: str
    actor_id: str | None
    action: str
    from_status: str | None
    to_status: str
    reason: str | None
    data: dict | None


class OfferOut(Out):
    id: uuid.UUID
    job_id: uuid.UUID
    technician_id: uuid.UUID
    status: str
    expires_at: LocalDatetime | None
    responded_at: LocalDatetime | None
    created_at: LocalDatetime


class OfferCreate(Body):
    technician_ids: list[uuid.UUID] = Field(min_length=1, max_length=50)
    expires_in_minutes: int | None = Field(default=15, ge=1, le=24 * 60)


class DeclineIn(Body):
    reason: str | None = Field(default=None, max_length=500)


class AssignIn(Body):
    technician_id: uuid.UUID
    reason: str = Field(min_length=1, max_length=500)


class UnassignIn(Body):
    reason: str = Field(min_length=1, max_length=500)


class WindowIn(Body):
    start: AwareDatetime
    end: AwareDatetime

    @model_validator(mode="after")
    def _order(self):
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class TransitionIn(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"action": "schedule", "scheduled_start": "2026-12-03T10:00:00+08:00"},
    ]})

    action: Literal["schedule", "reschedule", "depart", "arrive", "start", "complete", "fail", "cancel"]
    reason: str | None = Field(default=None, max_length=500)
    scheduled_start: AwareDatetime | None = None
    window: WindowIn | None = None
