"""Batch import: up to settings.batch_max_orders orders in one request, each row on its own.

Each row is validated and written inside its own savepoint, so a bad row is rolled back alone and
reported with its index, the offending field (relative to the row) and what is wrong; good rows are
kept. Duplicates of external_order_id - within the batch or against earlier orders - are rejected
per row like any other error.
"""

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.actors import Actor
from app.errors import ProblemError, _loc_to_field
from app.orders import service
from app.orders.schemas import OrderCreate


def _validation_error(exc: ValidationError) -> dict:
    err = exc.errors(include_url=False)[0]
    field = _loc_to_field(tuple(err.get("loc", ()))) or None
    msg = "unknown field (not accepted in this request)" if err["type"] == "extra_forbidden" else err["msg"]
    more = len(exc.errors()) - 1
    detail = f"{field}: {msg}" if field else msg
    if more:
        detail += f" (and {more} more)"
    return {"field": field, "detail": detail, "code": "validation-error"}


def too_large(count: int, limit: int) -> ProblemError:
    return ProblemError(
        413, "batch-too-large", f"orders: a batch holds at most {limit} orders; this one has {count}",
        title="Batch too large", field="orders", limit=limit, count=count,
    )


def import_batch(
    session: Session,
    rows: list[Any],
    actor: Actor,
    *,
    client_id: uuid.UUID,
    limit: int,
    tz: ZoneInfo,
    base_url: str,
) -> dict:
    if len(rows) > limit:
        raise too_large(len(rows), limit)
    results: list[dict] = []
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            results.append(_rejected(index, row, {"field": None, "detail": "each order must be a JSON object",
                                                  "code": "validation-error"}))
            continue
        try:
            data = OrderCreate.model_validate(row)
        except ValidationError as exc:
            results.append(_rejected(index, row, _validation_error(exc)))
            continue
        try:
            with session.begin_nested():
                new = service.create_order(session, data, actor, client_id=client_id)
        except ProblemError as exc:
            results.append(_rejected(index, row, {"field": exc.field, "detail": exc.detail, "code": exc.code}))
            continue
        results.append({
            "index": index,
            "status": "created",
            "order_id": str(new.order.id),
            "external_order_id": new.order.external_order_id,
            "tracking_url": service.tracking_url(base_url, new.tracking_token),
            "job_ids": [str(j.id) for j in new.jobs],
            "error": None,
        })
    created = sum(1 for r in results if r["status"] == "created")
    return {"created": created, "rejected": len(results) - created, "results": results}


def _rejected(index: int, row: Any, error: dict) -> dict:
    external = row.get("external_order_id") if isinstance(row, dict) else None
    return {
        "index": index,
        "status": "rejected",
        "order_id": None,
        "external_order_id": external if isinstance(external, str) else None,
        "tracking_url": None,
        "job_ids": None,
        "error": error,
    }
