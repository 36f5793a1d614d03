"""A brand follows its order through the event stream: everything that happens to it, from creation to
the consumer's rating, arrives as documented events in the order it happened, on both databases."""

import jsonschema
import pytest

from app.events.catalog import envelope_schema, payload_schema
from tests.app.test_service_process import (  # noqa: F401  (the story and its fixtures)
    accept, add_and_confirm_extra, move, photo_dir, story, work_mandatory_nodes,
)


def all_events(api, headers, **params) -> list[dict]:
    items, after = [], None
    while True:
        r = api.get("/v1/events", params={**params, **({"after": after} if after else {}), "limit": 50}, headers=headers)
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        if not page["items"]:
            return items
        after = page["next_cursor"]


def work_the_job(api, s) -> None:
    accept(api, s)
    move(api, s, "schedule", "depart", "arrive", "start")
    add_and_confirm_extra(api, s)
    work_mandatory_nodes(api, s)
    r = api.post(f"/v1/jobs/{s['job_id']}/transitions", json={"action": "complete"}, headers=s["th"])
    assert r.status_code == 200, r.text
    r = api.post(f"/v1/track/{s['token']}/jobs/{s['job_id']}/rating", json={"stars": 5, "tags": []})
    assert r.status_code == 201, r.text


def test_an_order_from_creation_to_rating_arrives_as_documented_events_in_order(api, story):
    s = story
    work_the_job(api, s)
    events = all_events(api, s["brand"].headers)
    types = [e["type"] for e in events]

    expected_in_order = [
        "order.created", "job.created", "job.offered", "job.accepted", "job.scheduled", "job.en_route",
        "job.arrived", "job.started", "charge.proposed", "charge.confirmed", "checklist.node_completed",
        "job.charges_settled", "job.completed", "bill.frozen", "payout.computed", "order.completed",
        "rating.received",
    ]
    positions = [types.index(t) for t in expected_in_order]
    assert positions == sorted(positions), " ".join(types)
    assert types.count("job.completed") == 1 and types.count("order.created") == 1
    # Every mandatory node the technician closed was told, and nothing came after the rating.
    assert types.count("checklist.node_completed") >= 12 and types[-1] == "rating.received"

    for e in events:
        jsonschema.validate(e, envelope_schema())
        jsonschema.validate(e["data"], payload_schema(e["type"]))
        assert e["subject"]["order_id"] == s["order"]["id"]
        assert e["subject"]["external_order_id"] == s["order"]["external_order_id"]
    accepted = events[types.index("job.accepted")]
    assert accepted["actor"] == {"type": "technician", "id": str(s["tech"].id)}
    assert accepted["data"] == {"status": "accepted", "from_status": "offered", "reason": None}
    assert accepted["subject"]["technician_id"] == str(s["tech"].id)
    cursors = [tuple(map(int, e["cursor"].split("-"))) for e in events]
    assert cursors == sorted(cursors) and len(set(cursors)) == len(cursors)


def test_a_client_can_ask_for_some_types_only_and_resume_where_it_stopped(api, story):
    s = story
    accept(api, s)
    first = api.get("/v1/events", params={"types": "job.offered,job.accepted"}, headers=s["brand"].headers).json()
    assert [e["type"] for e in first["items"]] == ["job.offered", "job.accepted"]
    move(api, s, "schedule")
    later = api.get("/v1/events", params={"after": first["next_cursor"]}, headers=s["brand"].headers).json()
    assert [e["type"] for e in later["items"]] == ["job.scheduled"]
    empty = api.get("/v1/events", params={"after": later["next_cursor"]}, headers=s["brand"].headers).json()
    assert empty == {"items": [], "next_cursor": later["next_cursor"]}


@pytest.mark.parametrize("params, field", [
    ({"after": "yesterday"}, "after"),
    ({"types": "job.completed,job.exploded"}, "types"),
    ({"limit": 0}, "limit"),
])
def test_bad_cursors_and_unknown_types_are_422_naming_the_parameter(api, story, params, field):
    r = api.get("/v1/events", params=params, headers=story["brand"].headers)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["field"] == field, r.text


def test_every_type_is_documented_with_a_json_schema(api):
    r = api.get("/v1/event-types")
    assert r.status_code == 200
    catalogue = {t["type"]: t for t in r.json()}
    for needed in ("order.created", "order.cancelled", "order.completed", "job.released", "job.declined",
                   "job.assigned", "job.unassigned", "job.rescheduled", "job.failed", "job.cancelled",
                   "checklist.node_waived", "charge.refused", "sla.breached", "complaint.opened",
                   "complaint.resolved", "dispatch_run.finished", "dispatch_run.committed"):
        jsonschema.Draft202012Validator.check_schema(catalogue[needed]["payload_schema"])
        assert catalogue[needed]["description"]
