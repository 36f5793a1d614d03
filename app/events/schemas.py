"""What the events API returns: the envelope every consumer receives, pages of them, the type catalogue."""

from typing import Any

from pydantic import BaseModel


class ActorOut(BaseModel):
    type: str
    id: str | None


class SubjectOut(BaseModel):
    order_id: str | None
    external_order_id: str | None
    job_id: str | None
    technician_id: str | None


class EventOut(BaseModel):
    id: str
    type: str
    version: int
    cursor: str
    occurred_at: str
    actor: ActorOut
    subject: SubjectOut
    data: dict[str, Any]


class EventPage(BaseModel):
    items: list[EventOut]
    # Pass it back as `after` to continue; it is the last item's cursor, or the one you sent if nothing new.
    next_cursor: str


class EventTypeOut(BaseModel):
    type: str
    version: int
    description: str
    payload_schema: dict[str, Any]
