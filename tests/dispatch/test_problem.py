import json

import jsonschema
import pytest
from pydantic import ValidationError

from dispatch import GreatCircleTravel, Job, ProblemData, ProblemError, Skill, TimeWindow, problem_schema

from .util import job, planar, tech


def _base() -> dict:
    return planar([tech("T1", skills=[Skill(code="aircon", valid_until=5000)])],
                  [job("J1", 10, windows=[(0, 100), (200, 300)], required_skills=["aircon"])]).to_dict()


def test_round_trip_is_identity():
    data = _base()
    problem = ProblemData.from_dict(data)
    assert ProblemData.from_dict(json.loads(json.dumps(problem.to_dict()))) == problem


def test_models_are_immutable():
    problem = ProblemData.from_dict(_base())
    with pytest.raises(ValidationError):
        problem.jobs[0].service_seconds = 5


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["jobs"][0]["windows"].__setitem__(0, {"start": 50, "end": 10}), "jobs[0].windows[0]: end 10 before start 50"),
    (lambda d: d["jobs"][0]["windows"].reverse(), "jobs[0].windows: window [1] starts at 0"),
    (lambda d: d["jobs"][0].__setitem__("service_seconds", -1), "jobs[0].service_seconds:"),
    (lambda d: d["jobs"].append(dict(d["jobs"][0])), "jobs[1].id: duplicate 'J1'"),
    (lambda d: d["jobs"][0].__setitem__("pinned_technician", "T9"), "jobs[0].pinned_technician: unknown technician 'T9'"),
    (lambda d: d["technicians"][0].__setitem__("quality", 1.5), "technicians[0].quality:"),
    (lambda d: d["technicians"][0]["shift"].__setitem__("end", -5), "technicians[0].shift: end -5 before start 0"),
    (lambda d: d["technicians"][0].__setitem__("service_area", [[[[0, 0], [1, 1]]]]), "technicians[0].service_area: polygon [0] ring [0] needs at least 3"),
    (lambda d: d["jobs"][0].__setitem__("colour", "red"), "jobs[0].colour: Extra inputs are not permitted"),
    (lambda d: d.__setitem__("epoch", "yesterday"), "epoch: not an ISO 8601 datetime"),
    (lambda d: d["travel"].__setitem__("speed", 0), "travel.euclidean.speed:"),
    (lambda d: d.pop("jobs"), "jobs: Field required"),
])
def test_bad_field_is_named(mutate, message):
    data = _base()
    mutate(data)
    with pytest.raises(ProblemError) as err:
        ProblemData.from_dict(data)
    assert str(err.value).startswith(message), str(err.value)
    assert "\n" not in str(err.value)


def test_geographic_coordinates_are_range_checked():
    data = _base()
    data["travel"] = {"kind": "great_circle"}
    data["jobs"][0]["location"] = {"x": 116.4, "y": 95.0}
    with pytest.raises(ProblemError, match=r"^jobs\[0\]\.location\.y: latitude 95.0 outside -90..90"):
        ProblemData.from_dict(data)


def test_direct_construction_validates_too():
    with pytest.raises(ValidationError, match="end 1 before start 2"):
        TimeWindow(start=2, end=1)
    with pytest.raises(ValidationError, match="pinned_technician: required"):
        Job(id="J", location={"x": 0, "y": 0}, started=True)


def test_skill_shorthand_and_validity():
    data = _base()
    data["technicians"][0]["skills"] = ["aircon", {"code": "gas", "valid_from": 10, "valid_until": 20}]
    t = ProblemData.from_dict(data).technicians[0]
    assert t.skills[0] == Skill(code="aircon")
    assert t.skills[1].valid_during(10, 20) and not t.skills[1].valid_during(5, 15)


def test_not_json_and_not_object():
    with pytest.raises(ProblemError, match="not valid JSON"):
        ProblemData.from_json("{")
    with pytest.raises(ProblemError, match="expected a JSON object"):
        ProblemData.from_json("[]")


def test_schema_accepts_valid_and_rejects_invalid_files():
    schema = problem_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(_base(), schema)
    data = _base()
    data["jobs"][0]["load"] = "heavy"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_default_travel_is_great_circle():
    p = ProblemData.from_dict({"technicians": [], "jobs": []})
    assert isinstance(p.travel, GreatCircleTravel)
