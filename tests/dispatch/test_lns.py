"""Large days: the parts construction and the neighbourhood search, on tiny days whose answer is known.

The city path engages from ``LNS_FROM_JOBS`` jobs; these tests lower the threshold so that a
hand-checkable day takes it.
"""
import importlib

import numpy as np
import pytest

from dispatch import SolveParams, solve
from dispatch import lns
from dispatch.compiled import compile_problem
from dispatch.eligibility import Why, eligibility
from dispatch.replan import TechnicianOff, replan
from dispatch.schedule import simulate

from .util import check_plan, job, planar, tech

solve_module = importlib.import_module("dispatch.solve")
QUICK = SolveParams(time_limit_seconds=1.0, explain=False)


@pytest.fixture(params=["one model", "city path"])
def path(request, monkeypatch):
    if request.param == "city path":
        # A city day has too many eligibility classes for PyVRP; these tiny days would go to it.
        monkeypatch.setattr(solve_module, "LNS_FROM_JOBS", 1)
        monkeypatch.setattr(solve_module._pyvrp, "available", lambda: False)
    return request.param


def _three_crews():
    # A at 0 (a1 at 10, a2 at 20), B at 100 (b1 at 70, b2 at 130), C at 200 (c1 at 190, c2 at 180).
    techs = [tech("A", 0, end=10_000), tech("B", 100, end=10_000), tech("C", 200, end=10_000)]
    jobs = [job("a1", 10, service=30), job("a2", 20, service=30), job("b1", 70, service=30),
            job("b2", 130, service=30), job("c1", 190, service=30), job("c2", 180, service=30)]
    return planar(techs, jobs)


def test_the_city_path_finds_each_crews_own_jobs(path):
    p = _three_crews()
    plan = solve(p, QUICK)
    assert plan.assignment() == {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "c1": "C", "c2": "C"}
    # A: 0 -> 10 -> 20 -> 0 = 40; B: 100 -> 70 -> 130 -> 100 = 120; C: 200 -> 190 -> 180 -> 200 = 40.
    # (b1 with A and b2 with C instead would cost 100 + 100 more on their routes.)
    assert plan.totals.travel_distance == pytest.approx(200)
    if path == "city path":
        assert plan.solver.strategy == "parts-pci+lns-gls"
    check_plan(p, plan)


def test_sick_technician_jobs_go_to_the_cheapest_colleague_and_nothing_else_moves(path):
    p = _three_crews()
    plan = solve(p, QUICK)
    out = replan(p, plan, now=0, changes=[TechnicianOff("B")], params=QUICK)
    # b1 at 70: A's route 0-10-20-70-0 is +100, C's 200-190-180-70-200 is +220 -> A.
    # b2 at 130: A's route (with b1) 0-10-20-70-130-0 is +120, C's 200-190-180-130-200 is +100 -> C.
    # (Both to A or both to C: 300 in all, against 280.)
    assert {m.job_id: (m.from_technician, m.to_technician) for m in out.moved} == {"b1": ("B", "A"), "b2": ("B", "C")}
    assert not out.dropped
    assert out.result.totals.travel_distance == pytest.approx(280)
    # On a line any order that goes out to the farthest job and back is as short (2 x 70, 2 x 70).
    assert set(out.result.route_of("A").job_ids) == {"a1", "a2", "b1"}
    assert set(out.result.route_of("C").job_ids) == {"b2", "c1", "c2"}
    check_plan(out.problem, out.result)


def test_a_job_that_no_colleague_can_reach_in_time_drops_and_nobody_else_moves(path):
    # B's job b1 must start by 70; A (at 0, busy until 40 with a1) cannot get there (10 + 30 + 50 = 90).
    p = planar([tech("A", 0, end=10_000), tech("B", 100, end=10_000)],
               [job("a1", 10, service=30, windows=[(0, 20)]), job("b1", 60, service=10, windows=[(0, 70)])])
    plan = solve(p, QUICK)
    assert plan.assignment() == {"a1": "A", "b1": "B"}
    out = replan(p, plan, now=0, changes=[TechnicianOff("B")], params=QUICK)
    assert out.dropped == ["b1"] and not out.moved
    assert out.result.route_of("A").job_ids == ["a1"]


def test_neighbourhood_search_uncrosses_two_routes_and_keeps_them_when_moving_costs_more():
    p = planar([tech("A", 0, end=10_000), tech("B", 100, end=10_000)], [job("x", 10), job("y", 90)])
    c = compile_problem(p)
    allowed = eligibility(c) == Why.OK
    crossed = [[1], [0]]  # A -> y, B -> x: 180 + 180
    routes, stats = lns.search(c, allowed, crossed, "distance", 1000, 10, deadline=_soon(0.5))
    assert routes == [[0], [1]] and stats["accepted"] >= 1
    prev = np.array([1, 0])  # x was B's, y was A's; uncrossing saves 320, moving both costs 2 x 1000
    kept, _ = lns.search(c, allowed, crossed, "distance", 1000, 10, deadline=_soon(0.5),
                         previous_tech=prev, move_penalty=1000.0)
    assert kept == crossed


def test_sub_problem_shares_the_full_matrices():
    p = _three_crews()
    c = compile_problem(p)
    sub = lns.sub_compiled(c, [2, 0], [4, 0])
    assert [t.id for t in sub.problem.technicians] == ["C", "A"] and [j.id for j in sub.problem.jobs] == ["c1", "a1"]
    assert sub.dist is c.dist
    assert simulate(sub, 0, [0]).travel_distance == pytest.approx(simulate(c, 2, [4]).travel_distance) == 20


def test_parts_construction_plans_every_job_that_fits(monkeypatch):
    monkeypatch.setattr(lns, "PART_JOBS", 2)  # three parts of two jobs
    p = _three_crews()
    c = compile_problem(p)
    routes = lns.construct(c, eligibility(c) == Why.OK, "distance", 1000, 10, deadline=_soon(2.0))
    assert sorted(j for r in routes for j in r) == list(range(6))
    assert all(simulate(c, t, r).feasible for t, r in enumerate(routes))


def _soon(seconds: float) -> float:
    import time

    return time.monotonic() + seconds
