"""The shared input rules applied to query strings and path values, for every route at once.

Bodies get the same rules from `schemas_base.Body`. Here a dependency of the whole app refuses
unknown query parameters (a misspelt filter would otherwise be ignored and return everything), text
with control characters, and integers beyond a column, each as a 422 naming the parameter.
"""

import types
import typing

from fastapi import Request
from fastapi.dependencies.models import Dependant

from app.errors import invalid
from app.schemas_base import int_problem, text_problem


def _annotation_is_int(annotation) -> bool:
    if annotation is int:
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, tuple, set, typing.Annotated):
        return any(_annotation_is_int(a) for a in typing.get_args(annotation))
    return False


def _collect_query_params(dependant: Dependant) -> dict[str, bool]:
    """Query parameter name -> whether it is an integer, over the route and all its dependencies."""
    out: dict[str, bool] = {}
    stack = [dependant]
    while stack:
        d = stack.pop()
        for field in d.query_params:
            out[field.alias] = _annotation_is_int(field.field_info.annotation)
        stack.extend(d.dependencies)
    return out


def check_request_inputs(request: Request) -> None:
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = getattr(route, "_shifu_query_params", None)
    if known is None:  # computed once per route, on its first request
        known = route._shifu_query_params = _collect_query_params(dependant)
    for name, value in request.query_params.multi_items():
        if name not in known:
            accepted = ", ".join(sorted(known)) or "none"
            raise invalid(name, f"unknown query parameter (this endpoint accepts: {accepted})", "unknown-parameter")
        if (why := text_problem(value) or text_problem(name)) is not None:
            raise invalid(name, why)
        if known[name] and value.strip().lstrip("+-").isdigit() and (why := int_problem(int(value))) is not None:
            raise invalid(name, why)
    for name, value in request.path_params.items():
        if isinstance(value, str) and (why := text_problem(value)) is not None:
            raise invalid(name, why)
