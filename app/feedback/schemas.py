"""Request and response shapes for ratings, complaints, tickets and the quality score."""

import uuid

from pydantic import Field, field_validator

from app.feedback.lifecycle import allowed_actions, is_overdue
from app.feedback.vocabulary import CATEGORIES, CONTRADICTIONS, TAGS, ComplaintCategory, Tag
from app.schemas_base import Body, LocalDatetime, Out

# ---- vocabulary ---------------------------------------------------------------------------------


class TagOut(Out):
    code: str
    zh: str
    en: str
    sentiment: str  # positive | negative


class CategoryOut(Out):
    code: str
    zh: str
    en: str
    severity: str
    first_response_hours: float
    resolution_hours: float


# ---- ratings ------------------------------------------------------------------------------------


class RatingIn(Body):
    stars: int = Field(ge=1, le=5, description="1 (worst) to 5 (best)")
    tags: list[Tag] = Field(default_factory=list, max_length=len(TAGS), description="codes from GET /v1/feedback/tags")
    comment: str | None = Field(default=None, max_length=500)

    @field_validator("tags")
    @classmethod
    def _consistent(cls, tags: list[Tag]) -> list[str]:
        unique = list(dict.fromkeys(str(t) for t in tags))
        for a, b in CONTRADICTIONS:
            if a in unique and b in unique:
                raise ValueError(f"'{a}' and '{b}' contradict each other; choose one")
        return unique

    @field_validator("comment")
    @classmethod
    def _blank_is_none(cls, comment: str | None) -> str | None:
        return comment or None


class RatingOut(Out):
    id: uuid.UUID
    job_id: uuid.UUID
    order_id: uuid.UUID
    technician_id: uuid.UUID | None
    stars: int
    tags: list[str]
    comment: str | None
    created_at: LocalDatetime


class ConsumerRatingOut(Out):
    """What the consumer sees of its own rating: no internal ids but the job's."""

    job_id: uuid.UUID
    stars: int
    tags: list[str]
    comment: str | None
    created_at: LocalDatetime


class RateableJobOut(Out):
    """A visit of the tracked order, and whether the consumer can rate it now."""

    job_id: uuid.UUID
    service_type: str
    category: str
    status: str
    technician_name: str | None
    can_rate: bool
    rating: ConsumerRatingOut | None


# ---- complaints and tickets ---------------------------------------------------------------------


class ComplaintIn(Body):
    job_id: uuid.UUID | None = Field(default=None, description="the visit complained about, if any")
    category: ComplaintCategory
    description: str = Field(min_length=1, max_length=2000)


class ConsumerComplaintOut(Out):
    id: uuid.UUID
    job_id: uuid.UUID | None
    category: str
    category_zh: str
    category_en: str
    status: str
    created_at: LocalDatetime
    first_response_due_at: LocalDatetime
    resolution_due_at: LocalDatetime
    first_response_at: LocalDatetime | None
    resolved_at: LocalDatetime | None
    resolution: str | None
    refund_cents: int | None

    @classmethod
    def of(cls, t) -> "ConsumerComplaintOut":
        word = CATEGORIES[t.category]
        return cls.model_validate({**_fields(cls, t), "category_zh": word.zh, "category_en": word.en})


class TicketEventOut(Out):
    seq: int
    at: LocalDatetime
    actor_type: str
    actor_id: str | None
    action: str
    from_status: str | None
    to_status: str
    text: str | None


class TicketSummaryOut(Out):
    id: uuid.UUID
    order_id: uuid.UUID
    job_id: uuid.UUID | None
    technician_id: uuid.UUID | None
    client_id: uuid.UUID | None
    city: str
    category: str
    severity: str
    description: str
    status: str
    assignee_id: uuid.UUID | None
    created_at: LocalDatetime
    first_response_due_at: LocalDatetime
    resolution_due_at: LocalDatetime
    first_response_at: LocalDatetime | None
    resolved_at: LocalDatetime | None
    resolution: str | None
    upheld: bool | None
    refund_cents: int | None
    overdue: bool
    allowed_actions: list[str]

    @classmethod
    def of(cls, t, now):
        data = {**_fields(cls, t), "overdue": is_overdue(t, now), "allowed_actions": allowed_actions(t.status)}
        if "timeline" in cls.model_fields:
            data["timeline"] = t.events
        return cls.model_validate(data)


class TicketOut(TicketSummaryOut):
    timeline: list[TicketEventOut]


class AcknowledgeIn(Body):
    assignee_id: uuid.UUID | None = Field(default=None, description="ops user handling it; default: the caller")
    note: str | None = Field(default=None, max_length=2000)


class NoteIn(Body):
    text: str = Field(min_length=1, max_length=2000)


class ResolveIn(Body):
    resolution: str = Field(min_length=1, max_length=2000)
    upheld: bool = Field(default=True, description="the complaint was justified; counts against the technician")
    refund_cents: int | None = Field(default=None, ge=0, le=100_000_000)


class RejectIn(Body):
    reason: str = Field(min_length=1, max_length=2000)


# ---- quality ------------------------------------------------------------------------------------


class QualityComponentOut(Out):
    name: str
    value: float
    weight: float
    good: int
    total: int
    posterior: float
    prior: dict


class QualityOut(Out):
    technician_id: uuid.UUID
    score: float  # computed now from the current record
    stored_score: float  # what dispatch reads (Technician.quality_score)
    ratings: int
    average_stars: float | None
    components: list[QualityComponentOut]


class RecomputeOut(Out):
    recomputed: int


def _fields(cls, obj) -> dict:
    return {k: getattr(obj, k) for k in cls.model_fields if hasattr(obj, k)}
