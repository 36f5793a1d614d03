"""The generated city, the greedy dispatcher and the independent evaluator."""

import pytest
from shapely.geometry import Point

from dispatch.bench.city import BOUNDS, DAY_START, SKILLS, generate_city
from dispatch.bench.city_eval import evaluate, road_metres, travel_seconds
from dispatch.bench.city_problem import city_problem
from dispatch.bench.greedy import greedy_plan


@pytest.fixture(scope="module")
def city():
    return generate_city(jobs=150, technicians=15, seed=7)


def test_same_seed_same_city_other_seed_other_city(city):
    again = generate_city(jobs=150, technicians=15, seed=7)
    assert again.jobs == city.jobs and again.technicians == city.technicians
    assert generate_city(jobs=150, technicians=15, seed=8).jobs != city.jobs


def test_city_has_the_shape_of_a_dispatch_day(city):
    lon0, lat0, lon1, lat1 = BOUNDS
    assert all(lon0 <= j.location[0] <= lon1 and lat0 <= j.location[1] <= lat1 for j in city.jobs)
    assert all(j.window[1] - j.window[0] == 2 * 3600 for j in city.jobs)
    assert all(8 * 3600 <= j.window[0] and j.window[1] <= 20 * 3600 for j in city.jobs)
    assert all(30 * 60 <= j.service_seconds <= 180 * 60 for j in city.jobs)
    assert all(8 * 3600 <= t.shift[1] - t.shift[0] <= 10 * 3600 for t in city.technicians)
    assert {s for j in city.jobs for s in j.skills} <= set(SKILLS)
    # every job lies in the district it names, and every technician lives in their first district
    assert all(city.districts[j.district].covers(Point(j.location)) for j in city.jobs)
    assert all(city.districts[t.districts[0]].covers(Point(t.home)) for t in city.technicians)


def test_some_certificates_have_expired():
    big = generate_city(jobs=10, technicians=200, seed=3)
    expired = [c for t in big.technicians for c in t.certificates if c.valid_until is not None and c.valid_until < DAY_START]
    assert expired
    tech = next(t for t in big.technicians if any(c.valid_until is not None and c.valid_until < 0 for c in t.certificates))
    lapsed = next(c.skill for c in tech.certificates if c.valid_until is not None and c.valid_until < 0)
    assert not tech.can_do((lapsed,))


def test_the_day_cannot_fit_every_job(city):
    work = sum(j.service_seconds for j in city.jobs)
    shifts = sum(t.shift[1] - t.shift[0] for t in city.technicians)
    assert work > shifts


def test_greedy_plan_is_feasible_and_on_time(city):
    plan = greedy_plan(city)
    ev = evaluate(city, plan)
    assert ev.feasible, ev.violations[:3]
    assert 0 < ev.assigned < len(city.jobs)
    assert ev.on_time == ev.assigned and ev.late == 0
    assert ev.travel_km > 0


def _tech_and_job(city, can_do: bool, covers: bool):
    for t in city.technicians:
        area = city.area(t)
        for j in city.jobs:
            if t.can_do(j.skills) == can_do and area.covers(Point(j.location)) == covers:
                return t, j
    raise AssertionError("no such pair in the fixture city")


def test_evaluator_flags_missing_certificate(city):
    t, j = _tech_and_job(city, can_do=False, covers=True)
    ev = evaluate(city, {t.id: [j.id]})
    assert any("lacks a valid certificate" in v for v in ev.violations)


def test_evaluator_flags_service_area(city):
    t, j = _tech_and_job(city, can_do=True, covers=False)
    ev = evaluate(city, {t.id: [j.id]})
    assert any("outside" in v and "service area" in v for v in ev.violations)


def test_evaluator_flags_duplicates_and_unknowns(city):
    plan = greedy_plan(city)
    tech, route = next((t, r) for t, r in plan.items() if r)
    other = next(t for t in plan if t != tech)
    ev = evaluate(city, {tech: route, other: [route[0], "nope"], "T9999": []})
    assert any(f"job {route[0]} planned twice" in v for v in ev.violations)
    assert any("unknown job nope" in v for v in ev.violations)
    assert any("unknown technician T9999" in v for v in ev.violations)


def test_evaluator_counts_late_jobs_and_shift_overrun(city):
    t, _ = _tech_and_job(city, can_do=True, covers=True)
    doable = [j for j in city.jobs if t.can_do(j.skills) and city.area(t).covers(Point(j.location))]
    # the latest window first, then an early one: the early one is reached far too late
    late_first = sorted(doable, key=lambda j: -j.window[0])
    route = [late_first[0].id, late_first[-1].id] if late_first[0].window[0] > late_first[-1].window[1] else None
    assert route, "fixture city should have jobs in different windows"
    ev = evaluate(city, {t.id: route})
    assert ev.late >= 1 and ev.on_time == ev.assigned - ev.late
    everything = evaluate(city, {t.id: [j.id for j in doable]})
    assert any("after the shift ends" in v for v in everything.violations)


def test_travel_is_great_circle_times_circuity(city):
    # along a meridian one degree is R * pi / 180 = 111,195.08 m for the mean Earth radius
    assert road_metres(city, (120.1, 30.0), (120.1, 31.0)) == pytest.approx(111_195.08 * city.circuity, rel=1e-6)
    # 25 km/h: 25 km in an hour
    assert travel_seconds(city, 25_000) == pytest.approx(3600.0)


def test_city_becomes_the_library_problem(city):
    problem = city_problem(city)
    assert len(problem.jobs) == len(city.jobs) and len(problem.technicians) == len(city.technicians)
    assert problem.travel.kind == "great_circle" and problem.travel.circuity == city.circuity
    t = city.technicians[0]
    tech = problem.technicians[0]
    assert [s.code for s in tech.skills] == [c.skill for c in t.certificates]
    assert [s.valid_until for s in tech.skills] == [c.valid_until for c in t.certificates]
    area = city.area(t)
    inside = next(j for j in city.jobs if area.covers(Point(j.location)))
    from shapely.geometry import shape

    rebuilt = shape({"type": "MultiPolygon", "coordinates": tech.service_area})
    assert rebuilt.covers(Point(inside.location))
    assert rebuilt.symmetric_difference(area).area < 1e-9


def test_city_command_grades_greedy_and_solver_alike(tmp_path, capsys):
    import json

    from dispatch.bench.__main__ import main

    out = tmp_path / "city.json"
    argv = ["city", "--jobs", "40", "--technicians", "4", "--seed", "2", "--time-limit", "1.5"]
    assert main(argv + ["--first-plan-limit", "1", "--json", str(out)]) == 0
    record = json.loads(out.read_text())
    for key in ("greedy", "plain_ortools", "first_plan", "solver"):
        assert record[key]["feasible"], record[key]["violations"]
        assert record[key]["assigned"] + record[key]["unassigned"] == 40
    assert record["solver"]["seconds"] <= 1.5 + 1.0
    assert record["comparison"]["on_time_vs_plain_ortools_jobs"] == record["solver"]["on_time"] - record["plain_ortools"]["on_time"]
    assert "load_average" in record["solver"] and "load_average" in record["plain_ortools"]
    gain = record["comparison"]["on_time_gain_jobs"]
    assert gain == record["solver"]["on_time"] - record["greedy"]["on_time"]
    assert record["targets"] == []  # targets exist for the sizes only
    printed = capsys.readouterr().out
    assert "greedy dispatcher" in printed and "plain OR-Tools" in printed


def test_city_command_rejects_bad_sizes(capsys):
    from dispatch.bench.__main__ import main

    assert main(["city", "--jobs", "0"]) == 2
    assert "must be at least 1" in capsys.readouterr().err


def test_balanced_profile_fits_the_day_and_binds_on_van_capacity():
    peak = generate_city(jobs=300, technicians=30, seed=5)
    balanced = generate_city(jobs=300, technicians=30, seed=5, profile="balanced")
    assert generate_city(jobs=300, technicians=30, seed=5, profile="peak") == peak  # peak is unchanged
    assert [j.location for j in balanced.jobs] == [j.location for j in peak.jobs]
    shifts = sum(t.shift[1] - t.shift[0] for t in balanced.technicians)
    work = sum(j.service_seconds for j in balanced.jobs) + 12 * 60 * len(balanced.jobs)
    assert 0.8 * shifts <= work <= 1.0 * shifts
    assert all(4 <= t.capacity <= 8 for t in balanced.technicians)
    deliveries = [j for j in balanced.jobs if j.load]
    assert 0.2 * len(balanced.jobs) < len(deliveries) < 0.45 * len(balanced.jobs)
    assert all(1 <= j.load <= 3 for j in deliveries)
    # The evaluator counts van loads: a plan that piles every delivery on one technician breaks it.
    tech = balanced.technicians[0]
    heavy = {tech.id: [j.id for j in deliveries]}
    assert any("over the van's" in v for v in evaluate(balanced, heavy).violations)
    # Greedy and the library's problem both respect it.
    assert evaluate(balanced, greedy_plan(balanced)).feasible
    problem = city_problem(balanced)
    assert [t.capacity for t in problem.technicians] == [t.capacity for t in balanced.technicians]
    assert [j.load for j in problem.jobs] == [j.load for j in balanced.jobs]


def test_plain_ortools_baseline_is_feasible_for_the_evaluator():
    from dispatch.bench.plain_ortools import plain_ortools_plan

    city = generate_city(jobs=60, technicians=6, seed=4, profile="balanced")
    plan = plain_ortools_plan(city, time_limit=1.0)
    graded = evaluate(city, plan)
    assert graded.feasible, graded.violations
    assert graded.assigned > 0
    assert graded.late == 0
