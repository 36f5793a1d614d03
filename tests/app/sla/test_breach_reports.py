"""Ops list breaches by city, client, technician and node, and count them per group; clients and
technicians see only their own."""

from datetime import timedelta

import pytest

from app.sla import service as sla
from tests.app.sla.builders import Node, assign, checklist, story
from tests.factories import make_technician, ops_headers, technician_headers


@pytest.fixture
def city(api, db):
    """Two brands' jobs, in two cities, with two technicians, both past their window."""
    a = story(db, city="hangzhou")
    b = story(db, city="ningbo", tech=make_technician(db, name="赵师傅"))
    checklist(db, a.job, Node("t_photo", "window_start", 30))
    checklist(db, b.job, Node("t_clean", "window_start", 30))
    assign(db, a)
    assign(db, b)
    sla.sweep(db, max(a.job.window_end, b.job.window_end) + timedelta(hours=1))
    db.commit()
    return {"a": a, "b": b, "ops": ops_headers(api, db)}


def _items(api, headers, **params):
    r = api.get("/v1/sla/breaches", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_ops_filter_breaches_by_technician_client_city_and_node(api, city):
    a, b, ops = city["a"], city["b"], city["ops"]
    by_tech = _items(api, ops, technician_id=str(a.tech.id))
    assert by_tech and {i["technician_id"] for i in by_tech} == {str(a.tech.id)}
    assert {(i["kind"], i["sla_code"]) for i in by_tech} >= {("node", "t_photo"), ("job", "arrive")}
    assert {i["client_id"] for i in _items(api, ops, client_id=str(b.client.id))} == {str(b.client.id)}
    assert {i["job_id"] for i in _items(api, ops, city="ningbo")} == {str(b.job.id)}
    [clean] = _items(api, ops, node_code="t_clean")
    assert clean["job_id"] == str(b.job.id) and clean["due_at"].endswith("+08:00")
    assert all(i["kind"] == "job" for i in _items(api, ops, kind="job"))


def test_breaches_page_newest_first_with_a_cursor(api, city):
    ops = city["ops"]
    everything = _items(api, ops, limit=200)
    r = api.get("/v1/sla/breaches", params={"limit": 1}, headers=ops)
    first, cursor = r.json()["items"], r.json()["next_cursor"]
    second = _items(api, ops, limit=1, cursor=cursor)
    assert cursor and [first[0]["id"], second[0]["id"]] == [everything[0]["id"], everything[1]["id"]]


def test_a_client_sees_only_its_own_breaches(api, city):
    a, b = city["a"], city["b"]
    mine = _items(api, a.client.headers)
    assert mine and {i["client_id"] for i in mine} == {str(a.client.id)}
    assert _items(api, a.client.headers, client_id=str(b.client.id)) == []


def test_a_technician_sees_only_its_own_breaches(api, db, city):
    b = city["b"]
    mine = _items(api, technician_headers(api, b.tech))
    assert mine and {i["technician_id"] for i in mine} == {str(b.tech.id)}


def test_ops_count_breaches_per_technician_city_and_node(api, city):
    a, b, ops = city["a"], city["b"], city["ops"]
    r = api.get("/v1/sla/summary", params={"group_by": "technician"}, headers=ops)
    assert r.status_code == 200, r.text
    groups = {g["key"]: g for g in r.json()["groups"]}
    assert groups[str(a.tech.id)]["label"] == a.tech.name and groups[str(b.tech.id)]["label"] == "赵师傅"
    assert groups[str(a.tech.id)]["by_kind"]["node"] == 1 and groups[str(a.tech.id)]["count"] >= 2
    assert r.json()["total"] == sum(g["count"] for g in r.json()["groups"])
    nodes = api.get("/v1/sla/summary", params={"group_by": "node_code", "kind": "node"}, headers=ops).json()
    assert {g["key"]: g["count"] for g in nodes["groups"]} == {"t_photo": 1, "t_clean": 1}
    cities = api.get("/v1/sla/summary", params={"group_by": "city"}, headers=ops).json()
    assert {g["key"] for g in cities["groups"]} == {"hangzhou", "ningbo"}


def test_the_summary_is_for_ops(api, city):
    r = api.get("/v1/sla/summary", params={"group_by": "city"}, headers=city["a"].client.headers)
    assert r.status_code == 403


@pytest.mark.parametrize(
    "path, params, field",
    [
        ("/v1/sla/breaches", {"technician_id": "wang"}, "technician_id"),
        ("/v1/sla/breaches", {"client_id": "42"}, "client_id"),
        ("/v1/sla/breaches", {"kind": "everything"}, "kind"),
        ("/v1/sla/breaches", {"since": "2026-11-23T09:00:00"}, "since"),
        ("/v1/sla/breaches", {"since": "2026-11-23T09:00:00+08:00", "until": "2026-11-22T09:00:00+08:00"}, "until"),
        ("/v1/sla/breaches", {"limit": "0"}, "limit"),
        ("/v1/sla/breaches", {"cursor": "not-a-cursor"}, "cursor"),
        ("/v1/sla/breaches", {"node_code": ""}, "node_code"),
        ("/v1/sla/summary", {}, "group_by"),
        ("/v1/sla/summary", {"group_by": "weather"}, "group_by"),
    ],
)
def test_bad_filters_are_422_naming_the_field(api, db, path, params, field):
    r = api.get(path, params=params, headers=ops_headers(api, db))
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field


def test_ops_run_the_sweep_and_a_second_run_finds_nothing_new(api, db):
    s = story(db)
    checklist(db, s.job, Node("t_overdue", "job_created", -60))  # due an hour before the job existed
    ops = ops_headers(api, db)
    r = api.post("/v1/sla/sweep", headers=ops)
    assert r.status_code == 200, r.text
    assert r.json()["nodes"] == 1
    assert api.post("/v1/sla/sweep", headers=ops).json() == {"nodes": 0, "jobs": 0, "tickets": 0}
    assert api.post("/v1/sla/sweep", headers=technician_headers(api, s.tech)).status_code == 403
