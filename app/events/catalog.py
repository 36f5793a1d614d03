"""Every event type Shifu publishes, with its payload's JSON Schema (the contract brands code against).

A payload is small and versioned: a field is never removed or changes meaning within a version. The
subject (order, external_order_id, job, technician) sits beside the payload on every event, so it is
not repeated here. `check_payload` refuses a payload that does not match its type (a programming
error, caught by the tests), and the README's table is generated from this module.
"""

from typing import Any

S, I, B, T, N = "string", "integer", "boolean", "date-time", "number"
_NULLABLE = "?"  # a suffix on a type: the field may be null

# The job lifecycle's actions (app/jobs/lifecycle.py) and the event each one publishes.
JOB_ACTION_EVENTS = {
    "create": "job.created", "release": "job.released", "offer": "job.offered", "accept": "job.accepted",
    "decline": "job.declined", "expire_offers": "job.offers_expired", "assign": "job.assigned",
    "reassign": "job.reassigned", "unassign": "job.unassigned", "schedule": "job.scheduled",
    "reschedule": "job.rescheduled", "rebook": "job.rescheduled", "depart": "job.en_route", "arrive": "job.arrived",
    "start": "job.started",
    "complete": "job.completed", "fail": "job.failed", "cancel": "job.cancelled",
}

_JOB = {"status": S, "from_status": S + _NULLABLE, "reason": S + _NULLABLE}

# type -> (description, {field: type}, required fields). Every field listed is always present.
TYPES: dict[str, tuple[str, dict[str, str]]] = {
    "order.created": ("An order was accepted (API, batch, booking).", {
        "service_type": S, "urgency": S, "channel": S, "city": S}),
    "order.cancelled": ("The order and its open jobs were cancelled.", {"reason": S + _NULLABLE}),
    "order.completed": ("The order is done: none of its jobs is still in play and its work was completed.", {
        "status": S}),
    "job.created": ("A job (工单) was created from an order.", {
        **_JOB, "service_type": S, "category": S, "window_start": T, "window_end": T}),
    "job.released": ("The goods arrived: an install waiting on its delivery can be planned.", _JOB),
    "job.offered": ("The job was offered to technicians (audience lists them).", {
        **_JOB, "technician_ids": "array", "expires_at": T + _NULLABLE}),
    "job.accepted": ("A technician accepted the job.", _JOB),
    "job.declined": ("A technician declined their offer.", {**_JOB, "technician_id": S}),
    "job.offers_expired": ("Every open offer lapsed unanswered; the job is back with dispatch.", _JOB),
    "job.assigned": ("Ops or a committed plan gave the job to a technician.", _JOB),
    "job.reassigned": ("The job moved to another technician.", {**_JOB, "previous_technician_id": S + _NULLABLE}),
    "job.unassigned": ("The job was taken back from its technician.", {
        **_JOB, "previous_technician_id": S + _NULLABLE}),
    "job.scheduled": ("The technician fixed the visit's start.", {**_JOB, "scheduled_start": T}),
    "job.rescheduled": ("The visit moved to a new window.", {**_JOB, "window_start": T, "window_end": T}),
    "job.en_route": ("The technician set off.", _JOB),
    "job.arrived": ("The technician is at the address.", _JOB),
    "job.started": ("Work began.", _JOB),
    "job.completed": ("The job is done.", _JOB),
    "job.failed": ("The visit could not be done.", _JOB),
    "job.cancelled": ("The job was cancelled.", _JOB),
    "job.charges_settled": ("The job's extra charges are closed: nothing pending.", {}),
    "checklist.node_completed": ("A checklist node was completed.", {
        "node_code": S, "title_zh": S, "title_en": S, "stage": S + _NULLABLE}),
    "checklist.node_waived": ("Ops waived a checklist node.", {
        "node_code": S, "title_zh": S, "title_en": S, "stage": S + _NULLABLE, "reason": S + _NULLABLE}),
    "charge.proposed": ("An extra charge awaits the consumer's consent (or, if custom, ops' approval).", {
        "charge_id": S, "name_zh": S, "name_en": S, "amount_cents": I, "status": S}),
    "charge.confirmed": ("The consumer confirmed an extra charge.", {
        "charge_id": S, "name_zh": S, "name_en": S, "amount_cents": I, "status": S}),
    "charge.refused": ("An extra charge will not be billed: refused, rejected, withdrawn or lapsed.", {
        "charge_id": S, "name_zh": S, "name_en": S, "amount_cents": I, "status": S}),
    "bill.frozen": ("The job's bill was fixed at completion.", {"bill_id": S, "total_cents": I}),
    "payout.computed": ("The technician's payout for the job was computed.", {"payout_id": S, "amount_cents": I}),
    "sla.breached": ("A service-level promise was broken.", {"kind": S, "code": S, "due_at": T}),
    "rating.received": ("The consumer rated the job.", {"rating_id": S, "stars": I}),
    "complaint.opened": ("A complaint ticket was opened.", {"ticket_id": S, "category": S, "severity": S}),
    "complaint.resolved": ("A complaint ticket was resolved.", {
        "ticket_id": S, "upheld": B + _NULLABLE, "refund_cents": I + _NULLABLE}),
    "dispatch_run.finished": ("A dispatch run produced a plan (or failed).", {
        "run_id": S, "status": S, "local_date": S, "assigned": I, "unassigned": I, "message": S + _NULLABLE}),
    "dispatch_run.committed": ("A dispatch run's plan was committed.", {"run_id": S, "assigned": I, "offered": I, "skipped_changed": I, "kept_pinned": I}),
    "webhook.test": ("Sent on demand to check an endpoint.", {"message": S}),
}
VERSION = 1


def payload_schema(type_: str) -> dict[str, Any]:
    """The JSON Schema (2020-12) of one type's payload."""
    description, fields = TYPES[type_]
    props: dict[str, Any] = {}
    for name, t in fields.items():
        base = t.rstrip(_NULLABLE)
        schema: dict[str, Any] = {"type": "string", "format": "date-time"} if base == T else {"type": base}
        if base == "array":
            schema["items"] = {"type": "string"}
        if t.endswith(_NULLABLE):
            schema = {"anyOf": [schema, {"type": "null"}]}
        props[name] = schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "title": type_, "description": description,
        "type": "object", "properties": props, "required": sorted(fields), "additionalProperties": False,
    }


def envelope_schema() -> dict[str, Any]:
    """The JSON every consumer (webhook body, pull API, live stream) receives for one event."""
    uuid_or_null = {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Shifu event", "type": "object",
        "required": ["id", "type", "version", "occurred_at", "cursor", "actor", "subject", "data"],
        "properties": {
            "id": {"type": "string", "format": "uuid"}, "type": {"enum": sorted(TYPES)},
            "version": {"type": "integer"}, "occurred_at": {"type": "string", "format": "date-time"},
            "cursor": {"type": "string"},
            "actor": {"type": "object", "required": ["type", "id"],
                      "properties": {"type": {"type": "string"}, "id": {"type": ["string", "null"]}}},
            "subject": {"type": "object", "required": ["order_id", "external_order_id", "job_id", "technician_id"],
                        "properties": {"order_id": uuid_or_null, "job_id": uuid_or_null,
                                       "technician_id": uuid_or_null,
                                       "external_order_id": {"type": ["string", "null"]}}},
            "data": {"type": "object"},
        },
    }


_PY = {S: str, I: int, B: bool, T: str, N: (int, float), "array": list}


def check_payload(type_: str, data: dict[str, Any]) -> int:
    """Refuse a payload that breaks its type's schema (cheap: runs on every publish); returns the version."""
    try:
        _, fields = TYPES[type_]
    except KeyError:
        raise ValueError(f"unknown event type {type_!r}") from None
    if data.keys() != fields.keys():
        missing, extra = sorted(fields.keys() - data.keys()), sorted(data.keys() - fields.keys())
        raise ValueError(f"{type_} payload: missing {missing}, unexpected {extra}")
    for name, t in fields.items():
        value = data[name]
        if value is None and t.endswith(_NULLABLE):
            continue
        py = _PY[t.rstrip(_NULLABLE)]
        if not isinstance(value, py) or (py is int and isinstance(value, bool)):
            raise ValueError(f"{type_} payload: {name} must be {t}, got {type(value).__name__}")
    return VERSION


def markdown_table() -> str:
    """The README's table of event types (tests/app/events/test_docs.py keeps the README in step)."""
    rows = ["| type | when | payload (`data`) |", "|---|---|---|"]
    for t, (description, fields) in TYPES.items():
        payload = ", ".join(f"`{k}`" + (" (nullable)" if v.endswith(_NULLABLE) else "") for k, v in fields.items())
        rows.append(f"| `{t}` | {description} | {payload or '—'} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
