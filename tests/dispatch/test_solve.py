"""Solver behaviour on tiny instances whose optimum is known by hand."""
import math

import pytest

from dispatch import GreatCircleTravel, Location, ProblemData, Skill, SolveParams, Weights, solve
from dispatch.eligibility import Why, eligibility
from dispatch.compiled import compile_problem

from .util import FAST, check_plan, job, planar, tech


def test_one_technician_three_jobs_on_a_line_windows_force_the_order():
    # Base at 0; jobs at -10, 20 and 30. J20 must start by 25, J30 by 40, Jm10 not before 70, so
    # the only feasible order is 20 -> 30 -> -10 -> base: 20 + 10 + 40 + 10 = 80 (arrivals 20, 30, 70).
    p = planar([tech("T1", end=200)], [
        job("Jm10", -10, windows=[(70, 100)]), job("J20", 20, windows=[(0, 25)]), job("J30", 30, windows=[(0, 40)]),
    ])
    r = solve(p, FAST)
    assert r.sequences() == {"T1": ["J20", "J30", "Jm10"]}
    assert r.totals.travel_distance == pytest.approx(80.0)
    assert r.totals.objective == pytest.approx(80.0)
    stops = r.route_of("T1").stops
    assert [s.arrival for s in stops] == pytest.approx([20.0, 30.0, 70.0])
    assert r.route_of("T1").return_time == pytest.approx(80.0)
    check_plan(p, r)


def test_without_windows_the_line_is_driven_out_and_back():
    p = planar([tech("T1")], [job("A", 10, service=5), job("B", 20, service=5), job("C", 30, service=5)])
    r = solve(p, FAST)
    assert r.totals.travel_distance == pytest.approx(60.0)
    assert r.totals.on_time_share == 1.0
    assert r.route_of("T1").work_seconds == pytest.approx(75.0)
    assert r.route_of("T1").utilisation == pytest.approx(75 / 1000)
    check_plan(p, r)


def test_two_technicians_each_take_their_side():
    # T_left at -100 and T_right at +100; two jobs near each. Optimum: each serves its own pair,
    # travel 2 * (10 + 5 + 15) = 60 (e.g. -100 -> -90 -> -85 -> -100).
    p = planar([tech("L", -100), tech("R", 100)], [
        job("l1", -90), job("l2", -85), job("r1", 90), job("r2", 85),
    ])
    r = solve(p, FAST)
    assert r.assignment() == {"l1": "L", "l2": "L", "r1": "R", "r2": "R"}
    assert r.totals.travel_distance == pytest.approx(60.0)
    assert r.totals.technicians_used == 2


def test_distance_and_travel_time_objectives_differ_when_speed_differs():
    p = planar([tech("T1")], [job("A", 3, 4)])
    r = solve(p, FAST.model_copy(update={"objective": "distance"}))
    assert r.totals.objective == pytest.approx(10.0)
    assert r.solver.objective_metric == "distance"


def test_multiple_windows_start_in_the_next_open_window():
    p = planar([tech("T1")], [job("A", 50, windows=[(0, 10), (100, 110)])])
    r = solve(p, FAST)
    route = r.route_of("T1")
    s = route.stops[0]
    # Too late for (0, 10): the next window, and just in time for it (leaves at 50, no wait).
    assert s.start == pytest.approx(100.0) and s.arrival == pytest.approx(100.0) and s.wait == 0
    assert route.departure == pytest.approx(50.0) and route.waiting_seconds == 0
    assert "waits" not in r.explanations["A"].window_fit  # the quoted times are the just-in-time ones


def test_earliest_start_is_respected():
    p = planar([tech("T1")], [job("A", 10, earliest_start=40)])
    r = solve(p, FAST)
    assert r.route_of("T1").stops[0].start == pytest.approx(40.0)


def test_lateness_allowed_is_priced():
    # Arrival at 100, window closes at 60: 40 s late at 2 per second -> objective 200 (travel) + 80.
    w = Weights(max_lateness_seconds=100, lateness_per_second=2.0)
    p = planar([tech("T1")], [job("A", 100, windows=[(0, 60)])], weights=w)
    r = solve(p, FAST)
    s = r.route_of("T1").stops[0]
    assert s.lateness == pytest.approx(40.0)
    assert r.totals.on_time_share == 0.0
    assert r.totals.objective == pytest.approx(280.0)
    hard = planar([tech("T1")], [job("A", 100, windows=[(0, 60)])])
    assert list(solve(hard, FAST).unassigned) == ["A"]


def test_capacity_limits_loads():
    p = planar([tech("T1", capacity=10), tech("T2", x=1, capacity=10)],
               [job("A", 5, load=6), job("B", 6, load=6), job("C", 7, load=4)])
    r = solve(p, FAST)
    assert not r.unassigned
    assert all(route.load <= 10 for route in r.routes)
    check_plan(p, r)


def test_priority_wins_when_only_one_job_fits():
    # One technician, two jobs at the same place and time; service 50 s, both windows [10, 20].
    p = planar([tech("T1", end=200)], [
        job("low", 10, service=50, windows=[(10, 20)], priority=0),
        job("high", 10, service=50, windows=[(10, 20)], priority=3),
    ])
    r = solve(p, FAST)
    assert r.sequences() == {"T1": ["high"]}
    assert r.unassigned["low"].reason.value == "NO_TECHNICIAN_FREE_IN_WINDOW"


def test_quality_weight_prefers_the_better_technician():
    p = planar([tech("worse", quality=0.2), tech("better", quality=0.9)], [job("A", 10)],
               weights=Weights(quality_per_job=100))
    r = solve(p, FAST)
    assert r.assignment() == {"A": "better"}
    # objective = travel 20 + 100 * (1 - 0.9)
    assert r.totals.objective == pytest.approx(30.0)
    assert r.explanations["A"].next_best.technician_id == "worse"


def test_balance_weight_spreads_work():
    jobs = [job(f"J{i}", 10, service=100) for i in range(4)]
    plain = solve(planar([tech("A"), tech("B")], jobs), FAST)
    assert plain.totals.technicians_used == 1  # one trip is cheapest without balancing
    p = planar([tech("A"), tech("B")], jobs, weights=Weights(balance_per_second=1.0))
    r = solve(p, FAST)
    assert sorted(len(route.stops) for route in r.routes) == [2, 2]


def test_max_jobs_and_max_work():
    p = planar([tech("T1", max_jobs=2)], [job("A", 1), job("B", 2), job("C", 3)])
    r = solve(p, FAST)
    assert len(r.route_of("T1").stops) == 2
    (left,) = r.unassigned.values()
    assert left.reason.value == "CAPACITY_EXHAUSTED"
    p = planar([tech("T1", max_work_seconds=100)], [job("A", 10, service=30), job("B", 10, service=30), job("C", 10, service=30)])
    r = solve(p, FAST)
    assert len(r.route_of("T1").stops) == 2  # 20 travel + 60 service; a third would make 110
    assert r.route_of("T1").work_seconds <= 100


def test_skills_and_areas_restrict_technicians():
    square = [[[(-50.0, -50.0), (50.0, -50.0), (50.0, 50.0), (-50.0, 50.0)]]]
    p = planar([tech("near", skills=["wash"], service_area=square), tech("far", x=200, skills=["aircon"])], [
        job("needs_aircon", 10, required_skills=["aircon"]), job("wash", 20, required_skills=["wash"]),
        job("outside", 100),
    ])
    r = solve(p, FAST)
    assert r.assignment() == {"needs_aircon": "far", "wash": "near", "outside": "far"}
    check_plan(p, r)


def test_every_route_feasible_on_a_mixed_instance():
    techs = [tech(f"T{k}", x=10 * k, y=0, start=0, end=600, capacity=30, skills=["a"] if k % 2 else ["a", "b"])
             for k in range(4)]
    jobs = []
    for i in range(30):
        x, y = (i * 37) % 100 - 20, (i * 53) % 80 - 40
        lo = (i * 29) % 400
        jobs.append(job(f"J{i}", x, y, service=10 + i % 3 * 5, windows=[(lo, lo + 120)], load=1 + i % 5,
                        required_skills=["b"] if i % 4 == 0 else ["a"]))
    p = planar(techs, jobs)
    r = solve(p, SolveParams(time_limit_seconds=3, max_solutions=500))
    check_plan(p, r)
    assert r.totals.assigned + r.totals.unassigned == 30
    assert r.totals.assigned >= 20


def test_same_seed_and_limit_gives_the_same_plan():
    jobs = [job(f"J{i}", (i * 7) % 23, (i * 11) % 17, service=3, windows=[((i * 13) % 50, (i * 13) % 50 + 60)]) for i in range(15)]
    p = planar([tech("A"), tech("B", 5, 5), tech("C", 10, 0)], jobs)
    params = SolveParams(time_limit_seconds=10, max_solutions=300, seed=7)
    a, b = solve(p, params), solve(p, params)
    assert a.sequences() == b.sequences()
    assert a.totals == b.totals
    two = params.model_copy(update={"num_workers": 2})
    c, d = solve(p, two), solve(p, two)
    assert c.sequences() == d.sequences()
    assert c.totals.objective <= a.totals.objective + 1e-6  # the portfolio keeps the first search's plan if nothing beats it


def test_pinned_jobs_stay_with_their_technician_and_in_order():
    # P1 and P2 pinned to far-away T2 with P2 first although P1 -> P2 would be shorter.
    p = planar([tech("T1"), tech("T2", x=500, end=5000)], [
        job("P1", 10, pinned_technician="T2", pinned_sequence=1),
        job("P2", 20, pinned_technician="T2", pinned_sequence=0),
        job("free", -15),  # T1: 30 out and back; T2 after P1: 25 + 515 - 490 = 50
    ])
    r = solve(p, FAST)
    assert r.route_of("T2").job_ids == ["P2", "P1"]
    assert r.assignment()["P1"] == "T2" and r.assignment()["P2"] == "T2"
    assert r.assignment()["free"] == "T1"
    check_plan(p, r)


def test_started_job_is_first():
    p = planar([tech("T1", x=50)], [job("near", 49), job("busy", 50, service=30, pinned_technician="T1", started=True)])
    r = solve(p, FAST)
    assert r.route_of("T1").job_ids == ["busy", "near"]


def test_geographic_problem_end_to_end():
    # Two jobs 1 km apart east of the base, on the equator for easy numbers: 1 km = 0.0089932 deg.
    deg = 1000 / 111195.08
    p = ProblemData(
        technicians=[tech("T1", end=36000)], jobs=[job("A", deg), job("B", 2 * deg)],
        travel=GreatCircleTravel(speed_kmh=36, circuity=1.0))
    r = solve(p, FAST)
    assert r.totals.travel_km == pytest.approx(4.0, abs=1e-3)
    assert r.totals.travel_seconds == pytest.approx(400.0, abs=0.5)
    assert r.totals.distance_unit == "m"


def test_no_jobs_and_no_technicians():
    assert solve(planar([tech("T1")], []), FAST).totals.assigned == 0
    r = solve(planar([], [job("A", 1)]), FAST)
    assert set(r.unassigned) == {"A"}


def test_eligibility_codes():
    square = [[[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]]]
    c = compile_problem(planar([tech("T1", service_area=square, skills=[Skill(code="gas", valid_until=5)])], [
        job("in", 5, 5), job("out", 50, 50), job("gas", 5, 5, required_skills=["gas"]), job("x", 5, 5, required_skills=["x"]),
    ]))
    assert [Why(w) for w in eligibility(c)[:, 0]] == [Why.OK, Why.OUTSIDE_AREA, Why.CERTIFICATE_EXPIRED, Why.SKILL_MISSING]


def test_started_job_that_cannot_finish_in_the_shift_does_not_sink_the_plan():
    p = planar([tech("T1", x=50, end=100), tech("T2", end=1000)],
               [job("busy", 50, service=500, pinned_technician="T1", started=True), job("other", 10)])
    r = solve(p, FAST)
    assert r.unassigned["busy"].reason.value == "NO_TECHNICIAN_FREE_IN_WINDOW"
    assert "other" in r.assignment()
