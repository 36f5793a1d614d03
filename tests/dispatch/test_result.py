"""Plan format, unassigned reasons and explanations."""
import json

import jsonschema
import pytest

from dispatch import Result, Skill, UnassignedReason, plan_schema, solve

from .util import FAST, job, planar, tech

R = UnassignedReason
SQUARE = [[[(-50.0, -50.0), (50.0, -50.0), (50.0, 50.0), (-50.0, 50.0)]]]


def _reason(problem, job_id):
    r = solve(problem, FAST)
    assert job_id in r.unassigned, r.sequences()
    return r.unassigned[job_id]


def test_outside_every_service_area():
    p = planar([tech("T1", service_area=SQUARE)], [job("A", 10), job("far", 200)])
    u = _reason(p, "far")
    assert u.reason == R.OUTSIDE_EVERY_SERVICE_AREA


def test_no_skilled_technician_covers_address():
    # The gas fitter works elsewhere; the one covering the address cannot do gas.
    elsewhere = [[[(500.0, 500.0), (600.0, 500.0), (600.0, 600.0)]]]
    p = planar([tech("local", service_area=SQUARE, skills=["wash"]), tech("fitter", skills=["gas"], service_area=elsewhere)],
               [job("G", 10, required_skills=["gas"])])
    u = _reason(p, "G")
    assert u.reason == R.NO_SKILLED_TECHNICIAN_COVERS_ADDRESS and "gas" in u.detail


def test_certificate_expired():
    p = planar([tech("T1", start=1000, end=2000, skills=[Skill(code="gas", valid_until=900)])],
               [job("G", 10, required_skills=["gas"])])
    assert _reason(p, "G").reason == R.CERTIFICATE_EXPIRED
    # Valid from after the job's window closes is just as unusable.
    p = planar([tech("T1", start=0, end=2000, skills=[Skill(code="gas", valid_from=500)])],
               [job("G", 10, required_skills=["gas"], windows=[(0, 100)])])
    assert _reason(p, "G").reason == R.CERTIFICATE_EXPIRED


def test_capacity_exhausted_by_the_job_alone_and_by_the_plan():
    p = planar([tech("T1", capacity=10)], [job("big", 10, load=50)])
    assert _reason(p, "big").reason == R.CAPACITY_EXHAUSTED
    p = planar([tech("T1", capacity=10)], [job("a", 10, load=6), job("b", 11, load=6)])
    r = solve(p, FAST)
    (left,) = r.unassigned
    assert r.unassigned[left].reason == R.CAPACITY_EXHAUSTED


def test_no_technician_free_in_window():
    p = planar([tech("T1", end=100)], [job("late", 10, windows=[(500, 600)])])
    assert _reason(p, "late").reason == R.NO_TECHNICIAN_FREE_IN_WINDOW
    # Two jobs 100 apart both wanting to start in [10, 20]: one technician can do only one.
    p = planar([tech("T1", end=1000)], [job("a", 10, windows=[(10, 20)]), job("b", -10, windows=[(10, 20)])])
    r = solve(p, FAST)
    assert len(r.unassigned) == 1
    assert next(iter(r.unassigned.values())).reason == R.NO_TECHNICIAN_FREE_IN_WINDOW


def test_explanation_names_next_best_and_extra_cost():
    # A at 10: T1 (base 0) drives 20 there and back, T2 (base 30) would drive 40.
    p = planar([tech("T1"), tech("T2", x=30)], [job("A", 10, required_skills=["wash"])]).replace(
        technicians=[tech("T1", skills=["wash"]), tech("T2", x=30, skills=["wash"])])
    r = solve(p, FAST)
    e = r.explanations["A"]
    assert e.technician_id == "T1"
    assert e.skills == ("wash",)
    assert e.insertion_cost == pytest.approx(20.0)
    assert e.next_best.technician_id == "T2" and e.next_best.extra_cost == pytest.approx(40.0)
    assert "next best T2" in e.text


def test_plan_json_round_trip_and_schema():
    p = planar([tech("T1", service_area=SQUARE)], [job("A", 10, windows=[(0, 100)]), job("far", 200)])
    r = solve(p, FAST)
    data = json.loads(json.dumps(r.to_dict()))
    schema = plan_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    assert Result.from_dict(data) == r
    assert data["unassigned"]["far"]["reason"] == "OUTSIDE_EVERY_SERVICE_AREA"
    assert set(schema["$defs"]["UnassignedReason"]["enum"]) == {m.value for m in R}
