"""The quality score, by hand: priors keep a newcomer near the platform's expectation, one review moves
it a little, a long record decides it, and rework, SLAs and upheld complaints pull the right way."""

import pytest

from app.feedback.quality import WEIGHTS, quality_score

# A newcomer: every component at its prior.
#   rating     (4.5 - 1) / 4                      = 0.875
#   rework     (0.95 - 0.80) / 0.20               = 0.75
#   sla        (0.90 - 0.50) / 0.50               = 0.80
#   complaints (0.98 - 0.90) / 0.10               = 0.80
#   score 0.45*0.875 + 0.2*0.75 + 0.2*0.8 + 0.15*0.8 = 0.82375
NEWCOMER = 0.82375


def test_a_technician_without_a_record_sits_at_the_priors():
    b = quality_score([], (0, 0), (0, 0))
    values = {c.name: c.value for c in b.components}
    assert values == pytest.approx({"rating": 0.875, "rework": 0.75, "sla": 0.8, "complaints": 0.8})
    assert b.score == pytest.approx(NEWCOMER, abs=1e-4)
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)


def test_one_one_star_review_moves_the_score_a_little_not_to_the_floor():
    b = quality_score([1], (0, 0), (0, 0))
    # posterior mean (10*4.5 + 1) / 11 = 4.1818..., component 3.1818/4 = 0.79545
    assert b.component("rating").value == pytest.approx((46 / 11 - 1) / 4)
    assert b.score == pytest.approx(NEWCOMER - 0.45 * (0.875 - (46 / 11 - 1) / 4), abs=1e-4)  # 0.7880
    assert 0.75 < b.score < NEWCOMER


def test_many_five_star_reviews_approach_the_cap():
    few = quality_score([5] * 3, (0, 0), (0, 0)).component("rating").value
    many = quality_score([5] * 200, (0, 0), (0, 0)).component("rating").value
    assert few < many < 1.0
    assert many == pytest.approx(((45 + 1000) / 210 - 1) / 4)  # 0.9940
    perfect = quality_score([5] * 200, (0, 200), (400, 400), 0, 200)
    assert 0.97 < perfect.score < 1.0


def test_a_long_record_of_poor_ratings_outweighs_the_prior():
    b = quality_score([2] * 90, (0, 0), (0, 0))
    # (45 + 180) / 100 = 2.25 stars -> 0.3125
    assert b.component("rating").value == pytest.approx(0.3125)
    assert b.score < 0.6


def test_rework_pulls_the_score_down_and_clean_work_up():
    base = quality_score([], (0, 0), (0, 0)).score
    clean = quality_score([], (0, 40), (0, 0))
    reworked = quality_score([], (10, 40), (0, 0))
    # clean: (0.95*20 + 40) / 60 = 0.98333 -> (0.98333 - 0.8) / 0.2 = 0.91667
    assert clean.component("rework").value == pytest.approx((59 / 60 - 0.8) / 0.2)
    # 10 of 40 reworked: (19 + 30) / 60 = 0.81667 -> 0.08333
    assert reworked.component("rework").value == pytest.approx((49 / 60 - 0.8) / 0.2)
    assert reworked.score < base < clean.score


def test_sla_compliance_pulls_the_right_way():
    base = quality_score([], (0, 0), (0, 0)).score
    kept = quality_score([], (0, 0), (50, 50))
    missed = quality_score([], (0, 0), (20, 50))
    # kept: (9 + 50) / 60 = 0.98333 -> 0.96667; missed: (9 + 20) / 60 = 0.48333 -> 0 (below the floor)
    assert kept.component("sla").value == pytest.approx((59 / 60 - 0.5) / 0.5)
    assert missed.component("sla").value == 0.0
    assert missed.score < base < kept.score


def test_upheld_complaints_count_against_the_completed_jobs():
    clean = quality_score([], (0, 0), (0, 0), complaints_upheld=0, completed=50)
    complained = quality_score([], (0, 0), (0, 0), complaints_upheld=3, completed=50)
    # clean: (49 + 50) / 100 = 0.99 -> 0.9; three upheld: (49 + 47) / 100 = 0.96 -> 0.6
    assert clean.component("complaints").value == pytest.approx(0.9)
    assert complained.component("complaints").value == pytest.approx(0.6)
    assert complained.score == pytest.approx(clean.score - 0.15 * 0.3, abs=1e-4)


def test_the_score_stays_inside_zero_and_one_at_the_extremes():
    worst = quality_score([1] * 1000, (1000, 1000), (0, 1000), 1000, 1000)
    best = quality_score([5] * 100000, (0, 100000), (100000, 100000), 0, 100000)
    assert worst.score == pytest.approx(0.0, abs=0.01) and worst.score >= 0.0
    assert best.score == pytest.approx(1.0, abs=0.01) and best.score <= 1.0
    # Counts that disagree for a moment never push a share past 1.
    odd = quality_score([], (5, 2), (7, 3), complaints_upheld=4, completed=1)
    assert 0.0 <= odd.score <= 1.0
