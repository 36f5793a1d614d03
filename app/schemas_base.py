"""Pydantic bases: request bodies refuse unknown fields; responses are read from ORM objects."""

from datetime import datetime, timezone
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer

from app.config import get_settings


class Body(BaseModel):
    """A request body. Unknown fields are an error, so a role can never sneak in status, owner, price."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must include a time zone offset, e.g. 2026-11-23T09:00:00+08:00")
    return value.astimezone(timezone.utc)


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
def to_city_time(value: datetime) -> str:
    """Render a stored UTC instant in the city's time zone (ISO 8601 with its offset, e.g. +08:00)."""
    from zoneinfo import ZoneInfo


    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(ZoneInfo(get_settings().city_timezone)).isoformat()


# A datetime shown to people: stored in UTC, rendered in the city's local time.
LocalDatetime = Annotated[datetime, PlainSerializer(to_city_time, return_type=str)]
Longitude = Annotated[float, Field(ge=-180, le=180, description="WGS84 longitude")]
Latitude = Annotated[float, Field(ge=-90, le=90, description="WGS84 latitude")]
Phone = Annotated[str, Field(pattern=r"^\+?[0-9][0-9 \-]{5,19}$", description="phone number")]


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None
