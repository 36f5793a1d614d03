"""Errors raised by the dispatch library, and the one-line rendering of validation failures."""
from __future__ import annotations

from pydantic import ValidationError


class DispatchError(Exception):
    """Base class for every error this library raises on purpose."""


class ProblemError(DispatchError, ValueError):
    """A problem (or plan) file or object is invalid; the message names the bad field."""


class TravelError(DispatchError, RuntimeError):
    """A travel model could not produce its matrices (e.g. the OSRM service is unreachable)."""


def field_path(loc: tuple) -> str:
    """('jobs', 3, 'windows', 0, 'end') -> 'jobs[3].windows[0].end'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out:
            out += f".{part}"
        else:
            out = str(part)
    return out


def one_line(error: ValidationError) -> str:
    """Render a pydantic ValidationError as a single line naming the first bad field.

    Model-level validators in this package already put the field path at the start of their
    message (e.g. "jobs[3].pinned_technician: unknown technician 'T9'"), so the location is only
    prefixed when pydantic knows it.
    """
    errors = error.errors(include_url=False)
    first = errors[0]
    msg = str(first.get("msg", "invalid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    path = field_path(tuple(first.get("loc", ())))
    text = f"{path}: {msg}" if path else msg
    if len(errors) > 1:
        text += f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})"
    return text.replace("\n", " ")
