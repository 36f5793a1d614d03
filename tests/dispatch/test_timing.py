"""Realistic timing on tiny planar instances worked out by hand: just-in-time departure, waiting that
remains, breaks, split shifts. Travel is Euclidean at speed 1 (time = distance)."""
from __future__ import annotations

import pytest

from dispatch import Break, ProblemError, SolveParams, solve
from dispatch.compiled import compile_problem
from dispatch.schedule import just_in_time, simulate

from .util import FAST, job, planar, tech


def break_times(route) -> list[float]:
    return [t for b in route.breaks for t in (b.start, b.end)]


def test_route_leaves_just_in_time_for_a_late_window():
    # Base at 0, job at 100 with its window opening at 300: leave at 200, arrive 300, no wait.
    r = solve(planar([tech("T1")], [job("A", 100, service=10, windows=[(300, 400)])]), FAST)
    route = r.route_of("T1")
    s = route.stops[0]
    assert route.departure == pytest.approx(200.0)
    assert (s.arrival, s.start, s.end, s.wait) == pytest.approx((300.0, 300.0, 310.0, 0.0))
    assert route.return_time == pytest.approx(410.0)
    assert route.waiting_seconds == pytest.approx(0.0)


def test_wait_a_later_departure_cannot_remove_is_kept_and_reported():
    # A at 10 must start by 20; B at 20 opens at 100. Leaving later than 10 would miss A's window,
    # so the technician leaves at 10, does A at 20, reaches B at 30 and waits 70.
    p = planar([tech("T1")], [job("A", 10, windows=[(0, 20)]), job("B", 20, windows=[(100, 120)])])
    c = compile_problem(p)
    earliest = simulate(c, 0, [0, 1])
    assert earliest.departure == 0 and earliest.start == [10.0, 100.0]
    timed = just_in_time(c, earliest)
    assert timed.departure == pytest.approx(10.0, abs=1e-3)
    assert timed.start == pytest.approx([20.0, 100.0], abs=1e-3)
    assert timed.return_time == pytest.approx(earliest.return_time)
    assert timed.waiting_seconds == pytest.approx(70.0, abs=1e-3)
    assert timed.waits() == pytest.approx([0.0, 70.0], abs=1e-3)

    r = solve(p, FAST)
    route = r.route_of("T1")
    assert route.job_ids == ["A", "B"]
    assert route.waiting_seconds == pytest.approx(70.0, abs=1e-3)
    assert [s.wait for s in route.stops] == pytest.approx([0.0, 70.0], abs=1e-3)


def test_lunch_break_goes_after_the_job_it_cannot_precede():
    # A at 10 (service 20, any time to 100), B at 20 (opens 40, service 20); a 30 s break starting
    # 50..60. Break between A and B: leave A at 30, B reached 40, break 50-80, B 80-100, home 120.
    # After B: A 10-30, B 40-60, break 60-90, home at 110 -- earlier, so that is the plan.
    t = tech("T1", breaks=[Break(earliest=50, latest=60, duration=30)])
    p = planar([t], [job("A", 10, service=20, windows=[(0, 100)]), job("B", 20, service=20, windows=[(40, 100)])])
    r = solve(p, FAST)
    route = r.route_of("T1")
    assert route.job_ids == ["A", "B"]
    assert [t for s in route.stops for t in (s.start, s.end)] == pytest.approx([10.0, 30.0, 40.0, 60.0])
    assert break_times(route) == pytest.approx([60.0, 90.0])
    assert route.return_time == pytest.approx(110.0)
    assert route.waiting_seconds == pytest.approx(0.0)


def test_break_fills_a_wait_and_the_departure_moves_to_just_in_time():
    # A at 10 opens at 100 (service 10); break of 30 starting 20..80. Earliest: arrive 10, break
    # 20-50, wait to 100. Just in time: leave 60, arrive 70, break 70-100, start 100; back at 120.
    t = tech("T1", breaks=[Break(earliest=20, latest=80, duration=30)])
    r = solve(planar([t], [job("A", 10, service=10, windows=[(100, 200)])]), FAST)
    route = r.route_of("T1")
    assert route.departure == pytest.approx(60.0, abs=1e-3)
    assert route.stops[0].arrival == pytest.approx(70.0, abs=1e-3)
    assert route.stops[0].start == pytest.approx(100.0)
    assert break_times(route) == pytest.approx([70.0, 100.0], abs=1e-3)
    assert route.return_time == pytest.approx(120.0)
    assert route.waiting_seconds == pytest.approx(0.0, abs=1e-3)


def test_break_on_the_way_splits_the_drive():
    # Leave at 0 for a job 100 away that must start by 140; break of 30 must start 40..50.
    # Drive 0-40, pause 40-70, drive on 70-130: start at 130 inside the window.
    t = tech("T1", breaks=[Break(earliest=40, latest=50, duration=30)])
    r = solve(planar([t], [job("A", 100, windows=[(0, 140)])]), FAST)
    route = r.route_of("T1")
    assert route.stops[0].start == pytest.approx(130.0)
    assert break_times(route) == pytest.approx([40.0, 70.0])
    assert route.departure == pytest.approx(0.0)


def test_a_break_that_cannot_fit_leaves_the_job_out():
    # A is 100 away, must start 100..110 and takes 100: busy 100-200 at the earliest. The break
    # (30, starting 120..150) cannot go inside the service, nor after it (200 > 150), nor before it
    # (it would end at 150 at the earliest, past A's latest start 110): A stays out.
    t = tech("T1", breaks=[Break(earliest=120, latest=150, duration=30)])
    r = solve(planar([t], [job("A", 100, service=100, windows=[(100, 110)])]), FAST)
    assert r.route_of("T1").job_ids == []
    assert "A" in r.unassigned


SPLIT = [Break(earliest=400, latest=400, duration=200)]  # works 0-400 and 600-1000


def test_split_shift_no_job_lands_in_the_gap():
    jobs = [
        job("FITS_BEFORE", 10, service=40, windows=[(350, 450)]),  # 350-390, before the gap
        job("OVERLAPS", 12, service=100, windows=[(350, 380)]),  # would run into the gap
        job("IN_GAP", 14, service=10, windows=[(450, 550)]),  # only the gap
    ]
    r = solve(planar([tech("T1", breaks=SPLIT)], jobs), FAST)
    route = r.route_of("T1")
    assert route.job_ids == ["FITS_BEFORE"]
    assert set(r.unassigned) == {"OVERLAPS", "IN_GAP"}
    assert break_times(route) == pytest.approx([400.0, 600.0])
    for s in route.stops:
        assert s.end <= 400 or s.start >= 600


def test_split_shift_no_travel_in_the_gap():
    # A job 100 away that opens at 600 and must start by 610: leaving after the gap arrives at 700,
    # so the drive happens before it (300-400), the gap is spent at the address, service at 600.
    r = solve(planar([tech("T1", breaks=SPLIT)], [job("A", 100, windows=[(600, 610)])]), FAST)
    route = r.route_of("T1")
    assert route.job_ids == ["A"]
    assert route.departure == pytest.approx(300.0, abs=1e-3)
    assert route.stops[0].start == pytest.approx(600.0)
    assert route.waiting_seconds == pytest.approx(0.0, abs=1e-3)


def test_breaks_must_lie_in_the_shift_and_be_sorted():
    with pytest.raises(ValueError, match="not inside the shift"):
        tech("T1", end=100, breaks=[Break(earliest=90, latest=95, duration=30)])
    with pytest.raises(ValueError, match="sort breaks"):
        tech("T1", breaks=[Break(earliest=500, latest=600, duration=10), Break(earliest=100, latest=200, duration=10)])
    with pytest.raises(ProblemError, match=r"technicians\[0\]\.breaks\[0\]: latest 5 before earliest 10"):
        from dispatch import ProblemData
        ProblemData.from_dict({"technicians": [{"id": "T", "shift": {"start": 0, "end": 100}, "start": {"x": 0, "y": 0},
                                                "breaks": [{"earliest": 10, "latest": 5, "duration": 1}]}],
                               "jobs": [], "travel": {"kind": "euclidean"}})


def test_many_jobs_with_a_lunch_break_are_feasible_and_breaks_are_respected():
    # Eight jobs on a line, two technicians with lunch 200..260 of 60 s: OR-Tools plans with its
    # break intervals, dispatch.schedule re-times; every stop must avoid the planned break.
    lunch = [Break(earliest=200, latest=260, duration=60)]
    techs = [tech("T1", breaks=lunch), tech("T2", breaks=lunch)]
    jobs = [job(f"J{i}", 10 * i, service=30, windows=[(0, 600)]) for i in range(1, 9)]
    # Break intervals make OR-Tools' first solution slow to find on a loaded machine (it found none in
    # 2 s at load 10): a longer limit, ended early by the solution count.
    r = solve(planar(techs, jobs), SolveParams(time_limit_seconds=10, max_solutions=20, explain=True))
    assert r.totals.assigned == 8
    for route in r.routes:
        if not route.stops:
            continue
        (b,) = route.breaks
        assert 200 <= b.start <= 260 and b.end - b.start == pytest.approx(60)
        for s in route.stops:
            assert s.end <= b.start + 1e-6 or s.start >= b.end - 1e-6
