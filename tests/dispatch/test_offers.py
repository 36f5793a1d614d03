"""Real-time offers on small hand cases."""
import threading

import pytest

from dispatch import Skill
from dispatch.offers import OfferBoard, rank_technicians

from .util import job, planar, tech


def _city():
    # Three technicians on a line at 0, 100 and 300; T1 already has a job at 50 booked [60, 70].
    return planar(
        [tech("T1", 0, end=10_000, skills=["wash"]), tech("T2", 100, end=10_000, skills=["wash"]),
         tech("T3", 300, end=10_000, skills=["aircon"])],
        [job("booked", 50, service=10, windows=[(60, 70)], pinned_technician="T1", pinned_sequence=0)],
    )


def test_ranks_by_insertion_cost_with_eta_and_position():
    board = OfferBoard(_city())
    new = job("new", 60, service=10, required_skills=["wash"])
    offers = board.rank(new, k=3)
    # T1: 0 -> 50 -> 60 -> 0 instead of 0 -> 50 -> 0: extra 10 + 60 - 50 = 20, after the booked job.
    # T2: 100 -> 60 -> 100: extra 80. T3 lacks the skill.
    assert [o.technician_id for o in offers] == ["T1", "T2"]
    assert offers[0].extra_travel_seconds == pytest.approx(20.0)
    assert offers[0].insert_position == 1
    assert offers[0].eta == pytest.approx(80.0)  # booked job starts 60, ends 70, 10 s drive
    assert offers[1].extra_distance == pytest.approx(80.0) and offers[1].eta == pytest.approx(40.0)


def test_window_and_existing_jobs_make_a_technician_infeasible():
    board = OfferBoard(_city())
    # Must start by 45: T1 would need to go before the booked job (0 -> 40 -> 50: arrives 40, ok),
    # so T1 stays feasible at position 0; a window [0, 5] fits nobody.
    assert board.rank(job("early", 40, windows=[(0, 45)], required_skills=["wash"]))[0].insert_position == 0
    assert board.rank(job("impossible", 40, windows=[(0, 5)], required_skills=["wash"])) == []
    # Inserting at 200 before the booked job would push it past its window: T1 only after it.
    o = {x.technician_id: x for x in board.rank(job("x", 45, service=30, windows=[(0, 1000)], required_skills=["wash"]))}
    assert o["T1"].insert_position == 1


def test_certificates_areas_and_capacity_filter():
    square = [[[(250.0, -10.0), (350.0, -10.0), (350.0, 10.0), (250.0, 10.0)]]]
    p = planar([tech("old", 0, skills=[Skill(code="gas", valid_until=10)]), tech("area", 300, skills=["gas"], service_area=square),
                tech("small", 5, skills=["gas"], capacity=1)], [])
    # "old"'s certificate ends before the window; "area" does not cover x = 10.
    assert [o.technician_id for o in rank_technicians(p, job("g", 10, required_skills=["gas"], windows=[(100, 200)]))] == ["small"]
    assert [o.technician_id for o in rank_technicians(p, job("g", 300, required_skills=["gas"]))] == ["area", "small"]
    # load 2 fits nobody's capacity except the unlimited ones that qualify ("old" has an expired certificate).
    assert rank_technicians(p, job("g", 10, required_skills=["gas"], load=2, windows=[(100, 200)])) == []
    # Within the certificate's validity "old" qualifies too (small drives 0, old 10).
    assert [o.technician_id for o in rank_technicians(p, job("g", 5, required_skills=["gas"], windows=[(0, 8)]), k=5)] == ["small", "old"]


def test_prefilter_keeps_the_best_among_many():
    techs = [tech(f"T{i}", x=float(i * 10), end=100_000) for i in range(500)]
    board = OfferBoard(planar(techs, []))
    offers = board.rank(job("new", 2_503.0), k=3, candidates=8)
    assert [o.technician_id for o in offers] == ["T250", "T251", "T249"]


def test_accepting_an_offer_updates_the_route():
    board = OfferBoard(_city())
    new = job("new", 60, required_skills=["wash"])
    best = board.rank(new, k=1)[0]
    board.add_job(new, best.technician_id, best.insert_position)
    again = board.rank(job("next", 60, required_skills=["wash"]), k=1)[0]
    assert again.technician_id == "T1" and again.extra_travel_seconds == pytest.approx(0.0)


def test_concurrent_queries_agree():
    board = OfferBoard(_city())
    new = job("new", 60, required_skills=["wash"])
    expected = board.rank(new)
    results = []
    threads = [threading.Thread(target=lambda: results.append(board.rank(new))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


def test_offers_keep_a_technicians_break():
    from dispatch import Break

    # T1 (base 0) is off 100-300 (a split-shift gap); T2 (base 100) works through. A job at 10
    # starting 150..200 (service 10): T1 cannot (no start outside the gap fits the window), so only
    # T2 is offered, 100 -> 10 -> 100 = 180 extra. A job at 10 starting 320..400: T1 leaves 310,
    # arrives 320 (extra 20), T2's 180 is dearer.
    p = planar([tech("T1", 0, end=1000, breaks=[Break(earliest=100, latest=100, duration=200)]), tech("T2", 100, end=1000)], [])
    board = OfferBoard(p)
    during = board.rank(job("during", 10, service=10, windows=[(150, 200)]))
    assert [o.technician_id for o in during] == ["T2"]
    assert during[0].extra_travel_seconds == pytest.approx(180.0)
    after = board.rank(job("after", 10, service=10, windows=[(320, 400)]))
    assert [o.technician_id for o in after] == ["T1", "T2"]
    assert after[0].extra_travel_seconds == pytest.approx(20.0) and after[0].eta == pytest.approx(320.0)
