"""A technician's split shift reaches the dispatch library as one day with its gap as a fixed break,
so no job is planned into the lunch gap the candidate query excludes."""

from datetime import date

import dispatch
from app.planning.translate import build_problem, day_context
from app.technicians.models import WeeklyShift
from tests.factories import make_technician

DAY = date(2031, 3, 4)  # a Tuesday


def test_split_shift_becomes_a_fixed_break_and_overlapping_periods_merge(db):
    split = make_technician(db, name="分班师傅", password=None)
    split.shifts = [WeeklyShift(weekday=DAY.weekday(), start_minute=8 * 60, end_minute=12 * 60),
                    WeeklyShift(weekday=DAY.weekday(), start_minute=14 * 60, end_minute=19 * 60)]
    merged = make_technician(db, name="连班师傅", password=None)
    merged.shifts = [WeeklyShift(weekday=DAY.weekday(), start_minute=8 * 60, end_minute=13 * 60),
                     WeeklyShift(weekday=DAY.weekday(), start_minute=12 * 60, end_minute=18 * 60)]
    db.commit()

    problem = build_problem(db, day_context(DAY, "Asia/Shanghai"), speed_kmh=25.0)
    techs = {t.id: t for t in problem.technicians}
    s = techs[str(split.id)]
    assert (s.shift.start, s.shift.end) == (8 * 3600, 19 * 3600)
    assert s.breaks == (dispatch.Break(earliest=12 * 3600, latest=12 * 3600, duration=2 * 3600),)
    m = techs[str(merged.id)]
    assert (m.shift.start, m.shift.end) == (8 * 3600, 18 * 3600)
    assert m.breaks == ()


def test_no_job_is_planned_into_the_gap(db):
    split = make_technician(db, name="分班师傅", password=None)
    split.shifts = [WeeklyShift(weekday=DAY.weekday(), start_minute=8 * 60, end_minute=12 * 60),
                    WeeklyShift(weekday=DAY.weekday(), start_minute=14 * 60, end_minute=19 * 60)]
    db.commit()
    tech = build_problem(db, day_context(DAY, "Asia/Shanghai"), speed_kmh=25.0).technicians[0]
    here = tech.start
    jobs = (
        dispatch.Job(id="LUNCH", location=here, service_seconds=1800,
                     windows=(dispatch.TimeWindow(start=12 * 3600 + 1800, end=13 * 3600),)),
        dispatch.Job(id="MORNING", location=here, service_seconds=1800,
                     windows=(dispatch.TimeWindow(start=10 * 3600, end=11 * 3600),)),
    )
    problem = dispatch.ProblemData(technicians=(tech,), jobs=jobs, travel=dispatch.GreatCircleTravel())
    result = dispatch.solve(problem, dispatch.SolveParams(time_limit_seconds=2, max_solutions=50))
    assert result.sequences() == {tech.id: ["MORNING"]}
    assert "LUNCH" in result.unassigned
