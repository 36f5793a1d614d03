"""May this technician take this job: one rule for the solver, the offers and the console's move check."""
import numpy as np
import pytest

from dispatch import OfferBoard, Skill
from dispatch.compiled import compile_problem
from dispatch.eligibility import Why, eligibility, may_take

from .util import job, planar, tech

SQUARE = (((( 0, 0), (10, 0), (10, 10), (0, 10), (0, 0)),),)


def _day(*jobs):
    t = tech("T1", 5, 5, end=5000, skills=[Skill(code="washer", valid_until=1000)], service_area=SQUARE, capacity=2)
    return planar([t, tech("T2", 50, 50, end=5000)], list(jobs))


@pytest.mark.parametrize("the_job, expected", [
    (job("ok", 3, 3, windows=[(0, 500)], required_skills=["washer"]), Why.OK),
    (job("far", 30, 3, windows=[(0, 500)], required_skills=["washer"]), Why.OUTSIDE_AREA),
    (job("gas", 3, 3, windows=[(0, 500)], required_skills=["gas"]), Why.SKILL_MISSING),
    # The certificate runs out at 1000; the job can only start from 2000.
    (job("late", 3, 3, windows=[(2000, 3000)], required_skills=["washer"]), Why.CERTIFICATE_EXPIRED),
    (job("heavy", 3, 3, windows=[(0, 500)], load=3), Why.CAPACITY),
])
def test_the_console_move_check_names_what_stands_in_the_way(the_job, expected):
    assert may_take(_day(the_job), "T1", the_job) == expected


def test_an_unknown_technician_is_a_key_error():
    j = job("ok", 3, 3)
    with pytest.raises(KeyError):
        may_take(_day(j), "T9", j)


def test_the_solver_the_offers_and_the_move_check_agree_pair_by_pair():
    rng = np.random.default_rng(3)
    jobs = [job(f"J{k}", float(rng.uniform(-2, 14)), float(rng.uniform(-2, 14)), service=10,
                windows=[(int(s), int(s) + 400)], required_skills=list(rng.choice(["washer", "gas"], size=int(rng.integers(0, 2)))),
                load=int(rng.integers(0, 4)))
            for k, s in enumerate(rng.choice([0, 600, 2000], size=40))]
    p = _day(*jobs)
    why = eligibility(compile_problem(p))
    board = OfferBoard(p, routes={})
    for j, jb in enumerate(jobs):
        offered = board.eligible(jb)
        for t, tid in enumerate(["T1", "T2"]):
            rule = may_take(p, tid, jb)
            # The pre-check adds reachability in time; everything else is the same rule.
            assert why[j, t] == rule or (why[j, t] == Why.TIME and rule == Why.OK), (jb.id, tid)
            # Offers check the area later, on the nearest candidates only (the area's verdict hides the rest).
            if rule != Why.OUTSIDE_AREA:
                assert offered[t] == (rule == Why.OK), (jb.id, tid)
