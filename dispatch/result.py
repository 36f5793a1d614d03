"""The plan a solve returns: routes with times, totals, unassigned reasons and explanations.

Times are seconds from the problem's epoch (floats: planar instances have fractional travel
times). Distances are metres for geographic travel models and plain units for planar ones
(``Totals.distance_unit``). ``Result.to_dict()`` is the plan file format; ``plan_schema()`` its
JSON Schema.
"""
from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ProblemError, one_line


class UnassignedReason(str, Enum):
    """Why a job is not in the plan (a fixed list; the service shows these to ops)."""

    NO_SKILLED_TECHNICIAN_COVERS_ADDRESS = "NO_SKILLED_TECHNICIAN_COVERS_ADDRESS"
    NO_TECHNICIAN_FREE_IN_WINDOW = "NO_TECHNICIAN_FREE_IN_WINDOW"
    CERTIFICATE_EXPIRED = "CERTIFICATE_EXPIRED"
    OUTSIDE_EVERY_SERVICE_AREA = "OUTSIDE_EVERY_SERVICE_AREA"
    CAPACITY_EXHAUSTED = "CAPACITY_EXHAUSTED"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Stop(_Frozen):
    """One job on a route. ``lateness`` > 0 only when the problem allows late starts."""

    job_id: str
    arrival: float
    start: float
    end: float
    lateness: float = 0.0
    wait: float = Field(0.0, description="idle time before the start (after travel and any break)")
    travel_seconds: float = Field(..., description="travel time from the previous stop")
    travel_distance: float = Field(..., description="distance from the previous stop")


class BreakTime(_Frozen):
    """When a technician's break is planned."""

    start: float
    end: float


class Route(_Frozen):
    """A technician's day. An idle technician has no stops and no travel.

    Times are just in time: ``departure`` is the latest that keeps every window and the day's end,
    so ``waiting_seconds`` is only the idle time a later departure could not remove.
    """

    technician_id: str
    stops: tuple[Stop, ...]
    departure: float
    return_time: float
    travel_seconds: float
    travel_distance: float
    service_seconds: float
    work_seconds: float = Field(..., description="travel + service")
    load: int
    utilisation: float = Field(..., description="work_seconds / shift length")
    waiting_seconds: float = Field(0.0, description="idle time between departure and return (not travel, service or a break)")
    breaks: tuple[BreakTime, ...] = ()

    @property
    def job_ids(self) -> list[str]:
        return [s.job_id for s in self.stops]


class Unassigned(_Frozen):
    reason: UnassignedReason
    detail: str


class NextBest(_Frozen):
    """The cheapest other technician for a job, given the rest of the plan."""

    technician_id: str
    extra_cost: float = Field(..., description="objective cost of inserting the job there instead")
    extra_travel_seconds: float
    extra_distance: float


class Explanation(_Frozen):
    """Why this technician got this job."""

    technician_id: str
    travel_seconds: float = Field(..., description="travel from the previous stop")
    travel_distance: float
    window_fit: str
    skills: tuple[str, ...]
    insertion_cost: float = Field(..., description="objective cost this job adds to its route")
    next_best: NextBest | None = None
    text: str


class Totals(_Frozen):
    jobs: int
    assigned: int
    unassigned: int
    technicians_used: int
    travel_distance: float
    distance_unit: str
    travel_km: float | None = Field(None, description="travel_distance / 1000 for geographic problems")
    travel_seconds: float
    travel_minutes: float
    on_time_share: float = Field(..., description="assigned jobs starting inside a window / assigned jobs")
    lateness_seconds: float
    objective: float = Field(..., description="objective recomputed from the real (unscaled) travel data")
    utilisation: dict[str, float]


class SolverInfo(_Frozen):
    status: str
    seconds: float
    seed: int
    time_limit_seconds: float
    objective_metric: str
    workers: int
    strategy: str
    solver_objective: int | None = Field(None, description="OR-Tools' scaled objective of the kept search")


class Result(_Frozen):
    routes: tuple[Route, ...]
    unassigned: dict[str, Unassigned]
    explanations: dict[str, Explanation] = Field(default_factory=dict)
    totals: Totals
    solver: SolverInfo

    def route_of(self, technician_id: str) -> Route:
        for r in self.routes:
            if r.technician_id == technician_id:
                return r
        raise KeyError(technician_id)

    def assignment(self) -> dict[str, str]:
        """job id -> technician id for every assigned job."""
        return {s.job_id: r.technician_id for r in self.routes for s in r.stops}

    def sequences(self) -> dict[str, list[str]]:
        """technician id -> job ids in visiting order (every technician, idle ones too)."""
        return {r.technician_id: r.job_ids for r in self.routes}

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_dict(cls, data: Any) -> "Result":
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ProblemError(one_line(exc)) from None


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of the plan file format, generated from these models."""
    schema = Result.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Shifu dispatch plan"
    return schema
