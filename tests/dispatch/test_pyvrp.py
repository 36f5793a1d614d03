"""The PyVRP portfolio member: when solve uses it, that it keeps Shifu's rules, and that a plan it
returns is re-checked before use. Tiny planar instances with answers worked out by hand."""
from __future__ import annotations

import pytest

import dispatch._pyvrp as member
from dispatch import Break, Skill, SolveParams, Weights, solve
from dispatch.compiled import compile_problem
from dispatch.eligibility import Why, eligibility

from .util import job, planar, tech

ONE_SECOND = SolveParams(time_limit_seconds=1.0, objective="distance")


def test_a_plain_windowed_problem_goes_to_pyvrp_and_gets_the_optimum():
    # Two vans of capacity 2 at the origin, two jobs each side: the only optimum sends one van
    # east (0-10-20-0) and one west, 40 + 40 = 80. Any route crossing the origin is longer.
    techs = [tech("V1", capacity=2), tech("V2", capacity=2)]
    jobs = [job("E1", 10, load=1), job("E2", 20, load=1), job("W1", -10, load=1), job("W2", -20, load=1)]
    r = solve(planar(techs, jobs), ONE_SECOND)
    assert r.solver.strategy == "pyvrp-hgs"
    assert r.totals.travel_distance == pytest.approx(80.0)
    assert sorted(sorted(ids) for ids in r.sequences().values()) == [["E1", "E2"], ["W1", "W2"]]


def test_pyvrp_keeps_who_may_take_which_job():
    # Only T1 (base 0) holds "gas"; GAS (99) and ANY (98) sit next to T2's base (100). Without the
    # rule T2 would do both for 4. With it: T1 does GAS alone (198) and T2 ANY (4), 202 -- or T1
    # does both, 0-99-98-0 = 198, which is the optimum.
    techs = [tech("T1", x=0, skills=[Skill(code="gas")]), tech("T2", x=100)]
    jobs = [job("GAS", 99, required_skills=("gas",)), job("ANY", 98), job("NOBODY", 50, required_skills=("x",))]
    p = planar(techs, jobs)
    c = compile_problem(p)
    assert member.unsupported(c, eligibility(c) == Why.OK) is None  # two classes: profiles
    r = solve(p, ONE_SECOND)
    assert r.solver.strategy == "pyvrp-hgs"
    assert r.assignment() == {"GAS": "T1", "ANY": "T1"}
    assert r.totals.travel_distance == pytest.approx(198.0)
    assert r.unassigned["NOBODY"].reason.value == "NO_SKILLED_TECHNICIAN_COVERS_ADDRESS"


@pytest.mark.parametrize("change, why", [
    (dict(techs=[tech("T1", breaks=[Break(earliest=10, latest=20, duration=5)])]), "breaks"),
    (dict(weights=Weights(max_lateness_seconds=60)), "soft lateness"),
    (dict(jobs=[job("A", 10, windows=[(0, 5), (50, 60)])]), "several windows per job"),
    (dict(techs=[tech("T1", max_work_seconds=100)]), "working-time limit"),
])
def test_rules_pyvrp_cannot_express_send_the_problem_to_ortools(change, why):
    base = dict(techs=[tech("T1")], jobs=[job("A", 10)])
    p = planar(**{**base, **change})
    c = compile_problem(p)
    assert why in member.unsupported(c, eligibility(c) == Why.OK)
    assert solve(p, ONE_SECOND).solver.strategy != "pyvrp-hgs"


def _wrong_technician(c, allowed, **_):
    # A slip in the adapter: every job on the last technician, eligible or not.
    return [[] for _ in range(c.n_techs - 1)] + [list(range(c.n_jobs))]


def test_a_pyvrp_plan_that_breaks_a_rule_is_dropped_for_the_ortools_one(monkeypatch):
    monkeypatch.setattr(member, "route_with_pyvrp", _wrong_technician)
    techs = [tech("T1", skills=[Skill(code="gas")]), tech("T2")]
    r = solve(planar(techs, [job("GAS", 10, required_skills=("gas",))]), ONE_SECOND)
    assert r.solver.strategy != "pyvrp-hgs"
    assert r.assignment() == {"GAS": "T1"}
