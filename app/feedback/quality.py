"""A technician's quality score in [0, 1], from ratings, rework, SLA compliance and upheld complaints.

Pure arithmetic, no database: the same inputs always give the same score, and a test can check it by
hand. Every component starts from a prior worth a number of imaginary observations, so a newcomer sits
near the platform's expectation and one review, one late arrival or one rework moves the score a
little; a long record outweighs the prior.

| component  | evidence                       | prior                                | value                   |
|------------|--------------------------------|--------------------------------------|-------------------------|
| rating     | stars 1..5 per rated job       | mean 4.5 stars, worth 10 ratings     | (posterior - 1) / 4     |
| rework     | rework jobs / completed jobs   | 95 % clean, worth 20 jobs (Beta)     | clean share 80..100 %   |
| sla        | SLAs met / SLAs decided        | 90 % met, worth 10 SLAs (Beta)       | met share 50..100 %     |
| complaints | upheld complaints / completed  | 98 % clean, worth 50 jobs (Beta)     | clean share 90..100 %   |

"Share a..b %" maps the posterior share linearly so that a (and below) gives 0 and b gives 1: a
technician with one job in five reworked is as bad on that component as it gets, where a plain
1 - rate would barely move. The score is the weighted sum (WEIGHTS below, summing to 1). A newcomer
scores 0.824 (components 0.875, 0.75, 0.8, 0.8), close to the 0.8 a technician starts with.
"""

from dataclasses import dataclass, field

RATING_PRIOR_MEAN = 4.5
RATING_PRIOR_WEIGHT = 10


@dataclass(frozen=True)
class RatePrior:
    mean: float  # prior share of good outcomes
    weight: float  # how many observations the prior is worth
    floor: float  # a good-outcome share at or below this gives 0


REWORK_PRIOR = RatePrior(mean=0.95, weight=20, floor=0.80)
SLA_PRIOR = RatePrior(mean=0.90, weight=10, floor=0.50)
COMPLAINT_PRIOR = RatePrior(mean=0.98, weight=50, floor=0.90)

WEIGHTS = {"rating": 0.45, "rework": 0.20, "sla": 0.20, "complaints": 0.15}


@dataclass(frozen=True)
class Component:
    name: str
    value: float  # in [0, 1]
    weight: float
    good: int  # observations counted in its favour (for ratings: the sum of stars)
    total: int  # observations
    posterior: float  # mean stars for ratings, the good-outcome share for the others
    prior: dict = field(default_factory=dict)


@dataclass(frozen=True)
class QualityBreakdown:
    score: float
    components: list[Component]

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)


def rating_component(stars: list[int]) -> Component:
    n, total = len(stars), sum(stars)
    mean = (RATING_PRIOR_WEIGHT * RATING_PRIOR_MEAN + total) / (RATING_PRIOR_WEIGHT + n)
    return Component(
        "rating", _clamp((mean - 1) / 4), WEIGHTS["rating"], total, n, mean,
        {"mean": RATING_PRIOR_MEAN, "weight": RATING_PRIOR_WEIGHT},
    )


def rate_component(name: str, good: int, total: int, prior: RatePrior) -> Component:
    good, total = max(0, good), max(0, total)
    share = (prior.mean * prior.weight + good) / (prior.weight + total)
    return Component(
        name, _clamp((share - prior.floor) / (1 - prior.floor)), WEIGHTS[name], good, total, share,
        {"mean": prior.mean, "weight": prior.weight, "floor": prior.floor},
    )


def quality_score(
    stars: list[int],
    rework: tuple[int, int],
    sla: tuple[int, int],
    complaints_upheld: int = 0,
    completed: int = 0,
) -> QualityBreakdown:
    """stars: every rating; rework: (rework jobs, completed jobs); sla: (met, decided);
    complaints_upheld against `completed` jobs."""
    reworked, rework_base = rework
    met, decided = sla
    # Counts from different sources may disagree for a moment (a complaint about a job not yet
    # counted as completed); the larger one is the base so a share never exceeds 1.
    rework_base = max(rework_base, reworked)
    complaint_base = max(completed, complaints_upheld)
    components = [
        rating_component(stars),
        rate_component("rework", rework_base - reworked, rework_base, REWORK_PRIOR),
        rate_component("sla", met, max(decided, met), SLA_PRIOR),
        rate_component("complaints", complaint_base - complaints_upheld, complaint_base, COMPLAINT_PRIOR),
    ]
    score = _clamp(sum(c.value * c.weight for c in components))
    return QualityBreakdown(round(score, 4), components)


def _clamp(x: float) -> float:
    return min(1.0, max(0.0, x))
