import uuid
from typing import Any

from pydantic import Field

from app.schemas_base import Body, Latitude, LocalDatetime, Longitude, Out


# --- templates ------------------------------------------------------------------------------------------


class NodeOut(Out):
    code: str
    position: int
    stage: str
    title_zh: str
    title_en: str
    completed_by: str
    mandatory: bool
    depends_on: list[str]
    evidence: dict[str, Any]
    sla_anchor: str | None
    sla_minutes: int | None


class TemplateSummaryOut(Out):
    code: str
    service_type: str
    category: str
    version: int
    title_zh: str
    title_en: str
    content_hash: str
    current: bool
    created_at: LocalDatetime
    node_count: int


class TemplateOut(TemplateSummaryOut):
    nodes: list[NodeOut]


class ClientNodeIn(Body):
    """A brand's own node. `position` places it among the standard nodes (see their positions in
    GET /v1/templates/{code}); without it the node comes after all of them."""

    code: str = Field(min_length=1, max_length=80)
    stage: str = Field(min_length=1, max_length=40)
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    completed_by: str = "technician"
    mandatory: bool = True
    depends_on: list[str] = Field(default_factory=list, max_length=50)
    evidence: dict[str, Any] = Field(default_factory=dict)
    sla_anchor: str | None = Field(default=None, max_length=80)
    sla_minutes: int | None = Field(default=None, ge=-10_000_000, le=10_000_000)
    position: int | None = Field(default=None, ge=0, le=1_000_000)


class ClientNodeOut(NodeOut):
    id: uuid.UUID
    template_code: str
    active: bool
    created_at: LocalDatetime


# --- a job's checklist -----------------------------------------------------------------------------------


class PhotoOut(Out):
    id: uuid.UUID
    node_code: str
    kind: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_at: LocalDatetime
    url: str


class JobNodeOut(NodeOut):
    source: str
    status: str
    due_at: LocalDatetime | None
    completed_at: LocalDatetime | None
    completed_by_type: str | None
    values: dict[str, Any] | None
    waive_reason: str | None
    photos: list[PhotoOut]


class TemplateRef(Out):
    code: str
    version: int
    title_zh: str
    title_en: str


class ChecklistSummary(Out):
    nodes: int
    open: int
    open_mandatory: int
    done: int
    waived: int


class ChecklistOut(Out):
    job_id: uuid.UUID
    job_status: str
    template: TemplateRef | None
    summary: ChecklistSummary
    nodes: list[JobNodeOut]


class CheckinIn(Body):
    lon: Longitude
    lat: Latitude


class CompleteIn(Body):
    reading: float | None = Field(default=None, allow_inf_nan=False)
    text: str | None = Field(default=None, max_length=4000)
    checkbox: bool | None = None
    checkin: CheckinIn | None = None


class WaiveIn(Body):
    reason: str = Field(min_length=1, max_length=1000)


class ConsumerNodeOut(Out):
    job_id: uuid.UUID
    code: str
    stage: str
    title_zh: str
    title_en: str
    mandatory: bool
    evidence: dict[str, Any]
    status: str
    completed_at: LocalDatetime | None
