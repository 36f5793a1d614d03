"""Problem data in the trade's words: technicians, jobs, a travel model and objective weights.

All classes are immutable pydantic models validated on construction. Times are integer seconds
from the problem's epoch (``ProblemData.epoch``, an ISO datetime, is informational: the solver
only sees the integers). For geographic travel models ``Location.x`` is the longitude and ``y``
the latitude, in degrees.

``ProblemData.from_dict`` / ``from_json`` raise :class:`~dispatch.errors.ProblemError` with one
line naming the bad field, e.g. ``jobs[3].windows[0]: end 100 before start 200``.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import ProblemError, one_line
from .travel import GreatCircleTravel, TravelModel

Ring = tuple[tuple[float, float], ...]
"""A closed or open ring of (x, y) points; at least three distinct points."""
Polygon = tuple[Ring, ...]
"""A polygon as GeoJSON writes it: the exterior ring, then any holes."""
MultiPolygon = tuple[Polygon, ...]
"""A service area: one or more polygons (the ``coordinates`` of a GeoJSON MultiPolygon)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Location(_Frozen):
    """A point: planar (x, y), or longitude x and latitude y in degrees for geographic travel."""

    x: float
    y: float


class TimeWindow(_Frozen):
    """An allowed interval for the *start* of a job's service, in seconds from the epoch."""

    start: int
    end: int

    @model_validator(mode="after")
    def _ordered(self) -> "TimeWindow":
        if self.end < self.start:
            raise ValueError(f"end {self.end} before start {self.start}")
        return self


class Shift(_Frozen):
    """The part of the planning day a technician works: leaves no earlier than ``start`` and is
    back at the end location no later than ``end``."""

    start: int
    end: int

    @model_validator(mode="after")
    def _ordered(self) -> "Shift":
        if self.end < self.start:
            raise ValueError(f"end {self.end} before start {self.start}")
        return self


class Skill(_Frozen):
    """A skill or certificate a technician holds, valid from/until a time (None = open-ended).

    In JSON a plain string ``"aircon"`` is shorthand for ``{"code": "aircon"}``.
    """

    code: str = Field(..., min_length=1)
    valid_from: int | None = None
    valid_until: int | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "Skill":
        if self.valid_from is not None and self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError(f"valid_until {self.valid_until} before valid_from {self.valid_from}")
        return self

    def valid_during(self, start: float, end: float) -> bool:
        """True when the skill is valid over the whole interval [start, end]."""
        if self.valid_from is not None and self.valid_from > start:
            return False
        if self.valid_until is not None and self.valid_until < end:
            return False
        return True


class Break(_Frozen):
    """A pause of ``duration`` seconds that must start between ``earliest`` and ``latest``.

    A lunch break is e.g. 30 minutes starting between 11:30 and 13:00; the gap of a split shift is a
    break whose start is fixed (``earliest == latest``) and whose duration is the gap. No travel and
    no service happen during a break; it may be taken at a job's address, on the way (drive, pause,
    drive on), at the base before leaving or after coming back.
    """

    earliest: int
    latest: int
    duration: int = Field(..., ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> "Break":
        if self.latest < self.earliest:
            raise ValueError(f"latest {self.latest} before earliest {self.earliest}")
        return self


def _check_area(area: MultiPolygon | None) -> MultiPolygon | None:
    if area is None:
        return None
    if len(area) == 0:
        raise ValueError("needs at least one polygon (use null for 'everywhere')")
    for p, polygon in enumerate(area):
        if len(polygon) == 0:
            raise ValueError(f"polygon [{p}] has no rings")
        for r, ring in enumerate(polygon):
            if len(set(ring)) < 3:
                raise ValueError(f"polygon [{p}] ring [{r}] needs at least 3 distinct points")
    return area


class Technician(_Frozen):
    """A technician's planning day.

    ``start`` is the home base or current position; ``end`` (default: same as ``start``) is where
    the day ends. ``service_area`` is a MultiPolygon in the problem's coordinates, or None for
    "goes anywhere". ``capacity`` limits the summed ``load`` of the jobs on the route (delivery
    crews); None = unlimited. ``max_work_seconds`` limits travel + service time. ``quality`` in
    [0, 1] is the technician's quality score (ratings, rework rate); with
    ``Weights.quality_per_job`` the plan prefers better technicians. ``breaks`` (sorted) are
    pauses inside the shift: a lunch break, or the gap of a split shift (see :class:`Break`).
    """

    id: str = Field(..., min_length=1)
    shift: Shift
    start: Location
    end: Location | None = None
    skills: tuple[Skill, ...] = ()
    service_area: MultiPolygon | None = None
    max_jobs: int | None = Field(None, ge=0)
    max_work_seconds: int | None = Field(None, ge=0)
    capacity: int | None = Field(None, ge=0)
    quality: float = Field(1.0, ge=0.0, le=1.0)
    breaks: tuple[Break, ...] = ()

    @field_validator("skills", mode="before")
    @classmethod
    def _skill_shorthand(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [{"code": v} if isinstance(v, str) else v for v in value]
        return value

    @field_validator("service_area")
    @classmethod
    def _area(cls, value: MultiPolygon | None) -> MultiPolygon | None:
        return _check_area(value)

    @model_validator(mode="after")
    def _breaks_in_shift(self) -> "Technician":
        prev = None
        for i, b in enumerate(self.breaks):
            if b.earliest < self.shift.start or b.latest + b.duration > self.shift.end:
                raise ValueError(f"breaks[{i}]: {b.earliest}..{b.latest} + {b.duration} s is not inside the shift {self.shift.start}..{self.shift.end}")
            # Taken in list order; windows sorted both ways make that order always possible.
            if prev is not None and (b.earliest < prev.earliest or b.latest < prev.latest):
                raise ValueError(f"breaks[{i}]: not after breaks[{i - 1}]; sort breaks by their window")
            prev = b
        return self

    @property
    def end_location(self) -> Location:
        return self.end if self.end is not None else self.start

    def skill_codes(self) -> frozenset[str]:
        return frozenset(s.code for s in self.skills)


class Job(_Frozen):
    """One visit by one technician.

    ``windows`` are the allowed intervals for the start of service (empty = any time in the
    technician's shift); they must be sorted and must not overlap. ``priority`` >= 0: higher is
    more important, and the penalty for leaving the job out grows with it. A job with
    ``pinned_technician`` (accepted or under way) stays with that technician; pinned jobs of one
    technician with a ``pinned_sequence`` keep that relative order; a ``started`` job is in
    progress and is the technician's first stop (its ``service_seconds`` is the remaining time,
    and its windows no longer apply).
    """

    id: str = Field(..., min_length=1)
    location: Location
    service_seconds: int = Field(0, ge=0)
    windows: tuple[TimeWindow, ...] = ()
    required_skills: tuple[str, ...] = ()
    load: int = Field(0, ge=0)
    priority: int = Field(0, ge=0)
    earliest_start: int | None = None
    pinned_technician: str | None = None
    pinned_sequence: int | None = Field(None, ge=0)
    started: bool = False

    @field_validator("windows")
    @classmethod
    def _sorted_windows(cls, value: tuple[TimeWindow, ...]) -> tuple[TimeWindow, ...]:
        for i in range(1, len(value)):
            if value[i].start <= value[i - 1].end:
                raise ValueError(f"window [{i}] starts at {value[i].start}, not after window [{i - 1}] ends ({value[i - 1].end}); sort and merge windows")
        return value

    @model_validator(mode="after")
    def _pins(self) -> "Job":
        if self.pinned_technician is None and (self.pinned_sequence is not None or self.started):
            raise ValueError("pinned_technician: required when pinned_sequence or started is set")
        if self.earliest_start is not None and self.windows and self.earliest_start > self.windows[-1].end:
            raise ValueError(f"earliest_start: {self.earliest_start} is after the last window ends ({self.windows[-1].end})")
        return self


class Weights(_Frozen):
    """Objective weights, in cost units: seconds of travel for the ``travel_time`` objective,
    metres (or planar units) for ``distance``.

    - ``unassigned_penalty``: cost of leaving a job out, multiplied by (1 + priority).
    - ``max_lateness_seconds``: 0 = windows are hard; otherwise a job may start up to this long
      after its window ends, at ``lateness_per_second`` per second late.
    - ``quality_per_job``: cost per job x (1 - technician quality): prefers better technicians.
    - ``balance_per_second``: cost per second of the longest working day (travel + service):
      spreads work across technicians.
    """

    unassigned_penalty: float = Field(100_000.0, ge=0)
    max_lateness_seconds: int = Field(0, ge=0)
    lateness_per_second: float = Field(10.0, ge=0)
    quality_per_job: float = Field(0.0, ge=0)
    balance_per_second: float = Field(0.0, ge=0)


class ProblemData(_Frozen):
    """Everything one solve needs: technicians, jobs, the travel model and objective weights."""

    technicians: tuple[Technician, ...]
    jobs: tuple[Job, ...]
    travel: TravelModel = Field(default_factory=GreatCircleTravel)
    epoch: str | None = Field(None, description="ISO 8601 datetime that time 0 stands for")
    weights: Weights = Field(default_factory=Weights)

    @field_validator("epoch")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                datetime.fromisoformat(value)
            except ValueError:
                raise ValueError(f"not an ISO 8601 datetime: {value!r}") from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "ProblemData":
        tech_ids: dict[str, int] = {}
        for i, t in enumerate(self.technicians):
            if t.id in tech_ids:
                raise ValueError(f"technicians[{i}].id: duplicate {t.id!r} (also technicians[{tech_ids[t.id]}])")
            tech_ids[t.id] = i
        job_ids: dict[str, int] = {}
        started: dict[str, int] = {}
        for i, j in enumerate(self.jobs):
            if j.id in job_ids:
                raise ValueError(f"jobs[{i}].id: duplicate {j.id!r} (also jobs[{job_ids[j.id]}])")
            job_ids[j.id] = i
            if j.pinned_technician is not None and j.pinned_technician not in tech_ids:
                raise ValueError(f"jobs[{i}].pinned_technician: unknown technician {j.pinned_technician!r}")
            if j.started:
                if j.pinned_technician in started:
                    raise ValueError(f"jobs[{i}].started: technician {j.pinned_technician!r} already has started job jobs[{started[j.pinned_technician]}]")
                started[j.pinned_technician] = i
        if self.travel.geographic:
            for name, items in (("technicians", self.technicians), ("jobs", self.jobs)):
                for i, item in enumerate(items):
                    locs = [("location", item.location)] if name == "jobs" else [("start", item.start), ("end", item.end)]
                    for field, loc in locs:
                        if loc is None:
                            continue
                        if not -180.0 <= loc.x <= 180.0:
                            raise ValueError(f"{name}[{i}].{field}.x: longitude {loc.x} outside -180..180")
                        if not -90.0 <= loc.y <= 90.0:
                            raise ValueError(f"{name}[{i}].{field}.y: latitude {loc.y} outside -90..90")
        return self

    # -- JSON round trip -------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Any) -> "ProblemData":
        """Build and validate from plain JSON data; raises ProblemError naming the bad field."""
        if not isinstance(data, dict):
            raise ProblemError(f"problem: expected a JSON object, got {type(data).__name__}")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ProblemError(one_line(exc)) from None

    @classmethod
    def from_json(cls, text: str | bytes) -> "ProblemData":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProblemError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; ``ProblemData.from_dict(p.to_dict()) == p``."""
        return self.model_dump(mode="json")

    def technician_index(self) -> dict[str, int]:
        return {t.id: i for i, t in enumerate(self.technicians)}

    def job_index(self) -> dict[str, int]:
        return {j.id: i for i, j in enumerate(self.jobs)}

    def replace(self, **changes: Any) -> "ProblemData":
        """A validated copy with some fields replaced (technicians, jobs, travel, ...)."""
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update(changes)
        try:
            return type(self).model_validate(data)
        except ValidationError as exc:
            raise ProblemError(one_line(exc)) from None


def problem_schema() -> dict[str, Any]:
    """The JSON Schema of the problem file format, generated from these models."""
    schema = ProblemData.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Shifu dispatch problem"
    return schema
