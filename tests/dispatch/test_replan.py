"""Re-planning keeps started and accepted jobs in place and reports what moved."""
import pytest

from dispatch import solve
from dispatch.replan import JobOverrun, NewJob, TechnicianOff, replan

from .util import FAST, check_plan, job, planar, tech


def _day():
    # A at 0 serves a1 (10) and a2 (20); B at 100 serves b1 (90) and b2 (80).
    p = planar([tech("A", 0, end=10_000), tech("B", 100, end=10_000)],
               [job("a1", 10, service=30), job("a2", 20, service=30), job("b1", 90, service=30), job("b2", 80, service=30)])
    return p, solve(p, FAST)


def test_the_starting_plan():
    _, plan = _day()
    assert plan.assignment() == {"a1": "A", "a2": "A", "b1": "B", "b2": "B"}


def test_technician_off_sick_moves_their_jobs():
    p, plan = _day()
    out = replan(p, plan, now=0, changes=[TechnicianOff("A")], params=FAST)
    assert {m.job_id: (m.from_technician, m.to_technician) for m in out.moved} == {"a1": ("A", "B"), "a2": ("A", "B")}
    assert set(out.result.route_of("B").job_ids) == {"a1", "a2", "b1", "b2"}
    assert not out.dropped
    check_plan(out.problem, out.result)


def test_started_job_stays_first_and_overrun_delays_the_rest():
    p, plan = _day()
    # At t=20 A is working on a1 (arrived 10, planned end 40) and it overruns by 100 s.
    out = replan(p, plan, now=20, started=["a1"], changes=[JobOverrun("a1", 100)], params=FAST)
    route = out.result.route_of("A")
    assert plan.route_of("A").job_ids == ["a1", "a2"]
    assert route.job_ids[0] == "a1"
    assert route.stops[0].end == pytest.approx(20 + 20 + 100)  # 20 s left of the plan + 100 s overrun
    assert route.stops[1].job_id == "a2" and route.stops[1].arrival == pytest.approx(150.0)
    assert not out.moved


def test_accepted_jobs_stay_and_done_jobs_leave():
    p, plan = _day()
    # An urgent job at 95 arrives; b1 and b2 are accepted by B, a1 is done.
    urgent = job("urgent", 95, service=10, windows=[(100, 400)], priority=5)
    out = replan(p, plan, now=50, done=["a1"], accepted=["b1", "b2"], changes=[NewJob(urgent)], params=FAST)
    seqs = out.result.sequences()
    assert "a1" not in out.result.assignment() and "a1" not in out.result.unassigned
    first, second = plan.route_of("B").job_ids
    assert seqs["B"].index(first) < seqs["B"].index(second)
    assert out.added == ["urgent"]
    assert out.result.assignment()["urgent"] in {"A", "B"}
    check_plan(out.problem, out.result)


def test_move_penalty_keeps_a_crossed_plan_unless_moving_is_free():
    p = planar([tech("A", 0, end=10_000), tech("B", 100, end=10_000)], [job("x", 10), job("y", 90)])
    crossed = solve(p, FAST).model_copy(deep=True)
    # Pretend the previous plan had them crossed: A -> y, B -> x (re-planning should fix it only if moving is cheap).
    from dispatch.compiled import compile_problem
    from dispatch.build import build_result
    from dispatch.eligibility import eligibility
    from dispatch.schedule import simulate
    c = compile_problem(p)
    scheds = [simulate(c, 0, [1]), simulate(c, 1, [0])]
    crossed = build_result(c, eligibility(c), scheds, "travel_time", crossed.solver)
    stay = replan(p, crossed, now=0, params=FAST, move_penalty=1_000.0)
    assert stay.moved == [] and stay.result.sequences() == {"A": ["y"], "B": ["x"]}
    fix = replan(p, crossed, now=0, params=FAST, move_penalty=1.0)
    assert {m.job_id for m in fix.moved} == {"x", "y"}
    assert fix.result.sequences() == {"A": ["x"], "B": ["y"]}
