import uuid
from typing import Literal

from app.schemas_base import LocalDatetime, Out

SlaState = Literal["pending", "met", "breached", "waived", "not_started", "not_applicable"]


class BreachOut(Out):
    id: uuid.UUID
    kind: str
    subject_id: uuid.UUID
    sla_code: str
    title_zh: str | None
    title_en: str | None
    due_at: LocalDatetime
    detected_at: LocalDatetime
    job_id: uuid.UUID | None
    technician_id: uuid.UUID | None
    client_id: uuid.UUID | None
    city: str | None
    node_code: str | None
    detail: str | None
    created_at: LocalDatetime


class SummaryGroup(Out):
    key: str | None  # technician or client id, city, node code; null: not attributed (e.g. nobody held the job)
    label: str | None  # the technician's or client's name
    count: int
    by_kind: dict[str, int]


class SummaryOut(Out):
    group_by: str
    total: int
    groups: list[SummaryGroup]


class SweepOut(Out):
    nodes: int
    jobs: int
    tickets: int


class NodeSlaOut(Out):
    code: str
    title_zh: str
    title_en: str
    stage: str
    anchor: str
    minutes: int
    due_at: LocalDatetime | None
    completed_at: LocalDatetime | None
    state: SlaState


class JobLevelSlaOut(Out):
    code: str
    title_zh: str
    title_en: str
    anchor: str
    minutes: int
    anchor_at: LocalDatetime | None
    due_at: LocalDatetime | None
    done_at: LocalDatetime | None
    state: SlaState


class JobSlaOut(Out):
    job_id: uuid.UUID
    job_status: str
    evaluated_at: LocalDatetime
    status: Literal["on_track", "at_risk", "breached"]
    nodes: list[NodeSlaOut]
    job: list[JobLevelSlaOut]
