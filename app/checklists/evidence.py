"""What a node's evidence spec asks for, checked against what was given. Pure: no database, no writes.

Every refusal is a 422 naming the field the caller has to fix.
"""

from dataclasses import dataclass
from typing import Any

from app.errors import ProblemError, invalid
from app.geo import haversine_m

# The photo types accepted, by their first bytes; the declared content type is not trusted.
JPEG, PNG, WEBP = "image/jpeg", "image/png", "image/webp"
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp"}


def sniff_image(data: bytes) -> str | None:
    if data[:3] == b"\xff\xd8\xff":
        return JPEG
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    return None


@dataclass(frozen=True)
class Given:
    """What the caller sent to complete a node, plus the photos already on it."""

    reading: float | None = None
    text: str | None = None
    checkbox: bool | None = None
    checkin: tuple[float, float] | None = None  # lon, lat
    photos: int = 0
    signatures: int = 0


def _num(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def check(evidence: dict, given: Given, job_lonlat: tuple[float, float] | None) -> dict:
    """The values to record on the node, or a ProblemError for the first thing missing or wrong."""
    values: dict[str, Any] = {}
    _refuse_unasked(evidence, given)

    photos = evidence.get("photos")
    if photos:
        least, most = photos.get("min", 1), photos.get("max")
        if given.photos < least:
            raise invalid(
                "photos", f"this node needs at least {least} photo(s), {given.photos} uploaded; "
                "upload them to the node's photos endpoint first", code="photos-missing",
            )
        if most is not None and given.photos > most:
            raise invalid("photos", f"this node takes at most {most} photo(s), {given.photos} uploaded")

    if evidence.get("signature") and given.signatures < 1:
        raise invalid(
            "signature", "this node needs the consumer's signature: upload it as kind=signature first",
            code="signature-missing",
        )

    reading = evidence.get("reading")
    if reading:
        values["reading"] = _check_reading(reading, given.reading)
        if reading.get("unit"):
            values["unit"] = reading["unit"]

    text = evidence.get("text")
    if text:
        least = text.get("min_length", 1) if isinstance(text, dict) else 1
        got = (given.text or "").strip()
        if len(got) < max(least, 1):
            raise invalid("text", f"a note of at least {max(least, 1)} character(s) is required", code="text-too-short")
        values["text"] = got

    if evidence.get("checkbox"):
        if given.checkbox is not True:
            raise invalid("checkbox", "must be ticked (true) to complete this node", code="checkbox-required")
        values["checkbox"] = True

    checkin = evidence.get("checkin")
    if checkin:
        values["checkin"] = _check_checkin(checkin, given.checkin, job_lonlat)
    return values


def _refuse_unasked(evidence: dict, given: Given) -> None:
    # Something the node does not ask for is a client mistake; recording it would look like proof.
    asked = {
        "reading": given.reading is not None, "text": given.text is not None,
        "checkbox": given.checkbox is not None, "checkin": given.checkin is not None,
    }
    for field, sent in asked.items():
        if sent and not evidence.get(field):
            raise invalid(field, f"this node does not take {'a ' if field != 'text' else ''}{field}", code="not-asked")


def _check_reading(spec: dict, value: float | None) -> float:
    low, high, unit = spec.get("min"), spec.get("max"), spec.get("unit") or ""
    shown = f"{_num(low) if low is not None else '-∞'}..{_num(high) if high is not None else '∞'} {unit}".strip()
    if value is None:
        raise ProblemError(
            422, "reading-missing", f"reading: a reading is required (allowed range {shown})",
            title="Invalid request", field="reading", min=low, max=high, unit=unit or None,
        )
    if (low is not None and value < low) or (high is not None and value > high):
        raise ProblemError(
            422, "reading-out-of-range",
            f"reading: {_num(value)} {unit} is outside the allowed range {shown}".replace("  ", " "),
            title="Invalid request", field="reading", min=low, max=high, unit=unit or None, value=value,
        )
    return value


def _check_checkin(spec: dict, where: tuple[float, float] | None, job_lonlat) -> dict:
    radius = spec.get("radius_m", 300)
    if where is None:
        raise invalid("checkin", f"a check-in {{lon, lat}} within {_num(radius)} m of the job is required",
                      code="checkin-missing")
    distance = haversine_m(where[0], where[1], job_lonlat[0], job_lonlat[1])
    if distance > radius:
        raise ProblemError(
            422, "checkin-too-far",
            f"checkin: you are {distance:.0f} m from the job's address; check in within {_num(radius)} m",
            title="Invalid request", field="checkin", distance_m=round(distance), radius_m=radius,
        )
    return {"lon": where[0], "lat": where[1], "distance_m": round(distance, 1)}
