"""The SQL candidate query and dispatch's eligibility rule say the same, pair by pair (issue #12, item 5).

On random small cities, every (job, technician) pair is asked of both: the candidate query (what
real-time offers, booking slots and the ranking endpoint start from) and `dispatch.eligibility`,
the one rule the solver uses. Travel is given as zero (travel matrices of zeros), since the query
does not route (the solver adds travel on top); what is left — area, skills and certificates on the day, days off,
a shift that lets the job start in its window and finish in time — must agree exactly.
"""

import random
from datetime import timedelta

import numpy as np
import pytest

from app.planning.translate import day_context, realtime_problem
from app.technicians import service
from app.technicians.candidates import JobNeed, candidates_for_need
from dispatch import Job, Location, ProblemData, TimeWindow
from dispatch.compiled import compile_problem
from dispatch.eligibility import Why, eligibility
from tests.app.technicians.builders import TZ, WEDNESDAY, local
from tests.app.technicians.test_candidate_query import SKILLS, _random_technician


def _random_need(rng: random.Random) -> JobNeed:
    start = rng.randint(6 * 60, 18 * 60)
    at = local(WEDNESDAY, f"{start // 60:02d}:{start % 60:02d}")
    return JobNeed(
        lon=120.12 + rng.random() * 0.16, lat=30.22 + rng.random() * 0.11,
        window_start=at, window_end=at + timedelta(hours=rng.choice([1, 2, 4])),
        duration_minutes=rng.choice([30, 60, 120, 240]),
        required_skills=tuple(rng.sample(SKILLS[:2], rng.randint(0, 2))) + (("refrigerant",) if rng.random() < .3 else ()),
    )


def _dispatch_says(db, tech_ids: set, needs: list[JobNeed]) -> list[dict[str, Why]]:
    """Per job, dispatch's answer for each technician on shift, through the app's own translation."""
    ctx = day_context(WEDNESDAY, TZ.key)
    base = realtime_problem(db, ctx, tech_ids, speed_kmh=25)
    jobs = tuple(
        Job(id=f"j{i}", location=Location(x=n.lon, y=n.lat), service_seconds=n.duration_minutes * 60,
            windows=(TimeWindow(start=ctx.seconds(n.window_start), end=ctx.seconds(n.window_end)),),
            required_skills=n.required_skills)
        for i, n in enumerate(needs)
    )
    problem = ProblemData(technicians=base.technicians, jobs=jobs, epoch=base.epoch, weights=base.weights)
    n_points = len(compile_problem(problem).points)
    zero = np.zeros((n_points, n_points), dtype=np.int64)
    why = eligibility(compile_problem(problem, matrices=(zero, zero)))
    return [{t.id: Why(int(why[j, k])) for k, t in enumerate(base.technicians)} for j in range(len(needs))]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_candidate_query_and_dispatch_eligibility_agree_pair_by_pair(db, seed):
    rng = random.Random(9000 + seed)
    techs = [service.create_technician(db, _random_technician(rng, i)) for i in range(60)]
    techs[rng.randrange(60)].active = False
    db.flush()
    needs = [_random_need(rng) for _ in range(30)]
    allowed = _dispatch_says(db, {t.id for t in techs}, needs)
    pairs = agreed_yes = 0
    for need, answers in zip(needs, allowed):
        expected = {t for t, why in answers.items() if why == Why.OK}
        got = {str(t.id) for t, _ in candidates_for_need(db, need, limit=len(techs))}
        assert got == expected, (need, {t: answers.get(t, "not on shift") for t in got ^ expected})
        pairs += len(techs)
        agreed_yes += len(got)
    assert pairs == 30 * 60 and agreed_yes > 20  # the city really had candidates (and non-candidates)
