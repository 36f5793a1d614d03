"""Request and response shapes for provider companies, technicians and candidate lists.

Shift times are local wall-clock times in the city's time zone ("08:00"–"18:00"); days off are
local dates. Everything else with a time is an aware datetime, stored in UTC.
"""

import re
import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from app.schemas_base import AwareDatetime, Body, Latitude, Longitude, Out, Phone

_HHMM = re.compile(r"^([01][0-9]|2[0-4]):([0-5][0-9])$")


def minutes_from_hhmm(value: str) -> int:
    m = _HHMM.match(value)
    if not m or (m.group(1) == "24" and m.group(2) != "00"):
        raise ValueError(f"{value!r} is not a local time HH:MM between 00:00 and 24:00")
    return int(m.group(1)) * 60 + int(m.group(2))


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# ---- provider companies ----------------------------------------------------------------------


class ProviderCreate(Body):
    name: str = Field(min_length=1, max_length=200)
    phone: Phone | None = None
    payout_share_bp: int = Field(default=7000, ge=0, le=10000, description="technician's share, basis points")


class ProviderOut(Out):
    id: uuid.UUID
    name: str
    phone: str | None
    payout_share_bp: int
    created_at: datetime


# ---- technicians: input ------------------------------------------------------------------------


class CertificateIn(Body):
    name: str = Field(min_length=1, max_length=100)
    number: str = Field(min_length=1, max_length=100)
    valid_from: date | None = None
    valid_until: date | None = None

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class SkillIn(Body):
    skill: str = Field(min_length=1, max_length=40, description="a skill code from /v1/catalogue/skills")
    certificate: CertificateIn | None = None


class ShiftIn(Body):
    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")
    start: str = Field(examples=["08:00"], description="local time HH:MM")
    end: str = Field(examples=["18:00"], description="local time HH:MM (24:00 allowed)")

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, v: str) -> str:
        minutes_from_hhmm(v)
        return v

    @model_validator(mode="after")
    def _ordered(self):
        if minutes_from_hhmm(self.end) <= minutes_from_hhmm(self.start):
            raise ValueError("end must be after start (split a shift that crosses midnight into two)")
        return self

    @property
    def start_minute(self) -> int:
        return minutes_from_hhmm(self.start)

    @property
    def end_minute(self) -> int:
        return minutes_from_hhmm(self.end)


class DayOffIn(Body):
    day: date = Field(description="local date")
    reason: str | None = Field(default=None, max_length=200)


class LonLat(Body):
    lon: Longitude
    lat: Latitude


GeoJSONArea = Annotated[
    dict[str, Any],
    Field(description='GeoJSON Polygon or MultiPolygon, e.g. {"type": "Polygon", "coordinates": [[[lon, lat], ...]]}'),
]
DayOffItem = DayOffIn | date
Password = Annotated[str, Field(min_length=8, max_length=200)]


class TechnicianCreate(Body):
    name: str = Field(min_length=1, max_length=100)
    phone: Phone
    provider_id: uuid.UUID | None = None
    home_base: LonLat
    service_area: GeoJSONArea
    skills: list[SkillIn] = Field(default_factory=list, max_length=50)
    shifts: list[ShiftIn] = Field(default_factory=list, max_length=50)
    days_off: list[DayOffItem] = Field(default_factory=list, max_length=400)
    max_jobs_per_day: int = Field(default=8, ge=1, le=50)
    password: Password | None = Field(default=None, description="creates a technician login; username = phone")


class TechnicianUpdate(Body):
    """PATCH: only the fields sent change; skills, shifts and days_off replace the whole list."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    phone: Phone | None = None
    provider_id: uuid.UUID | None = None
    home_base: LonLat | None = None
    service_area: GeoJSONArea | None = None
    skills: list[SkillIn] | None = Field(default=None, max_length=50)
    shifts: list[ShiftIn] | None = Field(default=None, max_length=50)
    days_off: list[DayOffItem] | None = Field(default=None, max_length=400)
    max_jobs_per_day: int | None = Field(default=None, ge=1, le=50)
    active: bool | None = None
    password: Password | None = Field(default=None, description="sets or resets the technician's login")

    @field_validator(
        "name", "phone", "home_base", "service_area", "skills", "shifts", "days_off", "max_jobs_per_day",
        "active", "password",
    )
    @classmethod
    def _not_null(cls, v):
        # Only an explicit null reaches here (defaults are not validated): these cannot be cleared.
        if v is None:
            raise ValueError("cannot be null")
        return v


class DutyIn(Body):
    on_duty: bool


class LocationIn(Body):
    lon: Longitude
    lat: Latitude
    at: AwareDatetime | None = Field(default=None, description="when the position was taken; default now")


# ---- technicians: output -----------------------------------------------------------------------


class CertificateOut(Out):
    name: str | None
    number: str | None
    valid_from: date | None
    valid_until: date | None
    status: Literal["valid", "expired", "not_yet_valid"]


class SkillOut(Out):
    skill: str
    certificate: CertificateOut | None
    valid_now: bool = Field(description="whether the skill counts today (no certificate, or a valid one)")


class ShiftOut(Out):
    weekday: int
    start: str
    end: str


class DayOffOut(Out):
    day: date
    reason: str | None


class PointOut(Out):
    lon: float
    lat: float


class TechnicianOut(Out):
    id: uuid.UUID
    name: str
    phone: str
    provider_id: uuid.UUID | None
    home_base: PointOut
    service_area: dict[str, Any]
    skills: list[SkillOut]
    shifts: list[ShiftOut]
    days_off: list[DayOffOut]
    max_jobs_per_day: int
    on_duty: bool
    active: bool
    last_location: PointOut | None
    last_location_at: datetime | None
    has_login: bool
    created_at: datetime


class TechnicianPage(Out):
    items: list[TechnicianOut]
    next_cursor: str | None = None


class CandidateOut(Out):
    technician_id: uuid.UUID
    name: str
    phone: str
    provider_id: uuid.UUID | None
    on_duty: bool
    home_base: PointOut
    distance_m: float = Field(description="great-circle distance from home base to the job, metres")


class CandidateList(Out):
    job_id: uuid.UUID
    items: list[CandidateOut]


class CoverageService(Out):
    service_type: str
    covered: bool
    technicians: int = Field(description="active technicians whose area and skills cover this service here")


class CoverageOut(Out):
    lon: float
    lat: float
    category: str
    covered: bool = Field(description="true if at least one of the services is covered")
    services: list[CoverageService]
    service_hours: str | None = Field(description="visit windows must meet these local hours; null: any hour")
    timezone: str
