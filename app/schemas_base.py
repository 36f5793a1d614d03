"""Pydantic bases and the input rules every request shares: text without control characters, integers
that fit their column, dates within the years the platform deals in; responses are read from ORM objects."""

import re
from datetime import date, datetime, timezone
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

# C0 controls other than tab, newline and carriage return, DEL, and lone surrogates: PostgreSQL refuses
# NUL and surrogates cannot be encoded, and none of them is text a person typed.
_FORBIDDEN_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# A plain INTEGER column on PostgreSQL; fields that hold more (cents in BIGINT) declare their own bound.
INT32_MAX = 2**31 - 1
# Appliances, orders and visits of this platform fall in these years; anything outside is a typo or
# a probe (and before 1901 the city's zone has second-level offsets that break rendering).
MIN_YEAR, MAX_YEAR = 1970, 2100


def text_problem(value: str) -> str | None:
    """Why `value` is not acceptable text, or None."""
    m = _FORBIDDEN_CHARS.search(value)
    if m is None:
        return None
    return f"contains a control character (U+{ord(m.group()):04X}) at position {m.start()}"


def instant_problem(value: date) -> str | None:
    """Why a date or datetime is outside the years this platform accepts, or None."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return f"year {value.year} is outside {MIN_YEAR}-{MAX_YEAR}"
    return None


def int_problem(value: int) -> str | None:
    if not -INT32_MAX - 1 <= value <= INT32_MAX:
        return f"{value} is out of range (at most {INT32_MAX} in magnitude)"
    return None


def _has_upper_bound(metadata: list) -> bool:
    return any(getattr(m, "le", None) is not None or getattr(m, "lt", None) is not None for m in metadata)


def _check(value: Any, bounded_ints: bool) -> str | None:
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if bounded_ints else int_problem(value)
    if isinstance(value, date):  # datetime is a date
        return instant_problem(value)
    if isinstance(value, dict):
        for k, v in value.items():
            if (why := _check(k, False) or _check(v, bounded_ints)) is not None:
                return why
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            if (why := _check(v, bounded_ints)) is not None:
                return why
    return None

from app.config import get_settings


class Body(BaseModel):
    """A request body. Unknown fields are an error, so a role can never sneak in status, owner, price.

    Every field also obeys the shared input rules (text, integer and date bounds), so no value a
    client sends can reach the database only to be refused there with a 500."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _shared_input_rules(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name) if info.field_name else None
        bounded = field is not None and _has_upper_bound(field.metadata)
        if (why := _check(value, bounded)) is not None:
            raise PydanticCustomError("invalid_input", why)
        return value


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must include a time zone offset, e.g. 2026-11-23T09:00:00+08:00")
    if (why := instant_problem(value)) is not None:
        raise ValueError(why)
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
Longitude = Annotated[float, Field(ge=-180, le=180, description="WGS84 longitude", examples=[120.165])]
Latitude = Annotated[float, Field(ge=-90, le=90, description="WGS84 latitude", examples=[30.284])]
Phone = Annotated[str, Field(pattern=r"^\+?[0-9][0-9 \-]{5,19}$", description="phone number", examples=["13800001111"])]


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None
