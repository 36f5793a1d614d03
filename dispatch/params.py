"""Search parameters for :func:`dispatch.solve`."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

FIRST_SOLUTIONS = (
    "AUTOMATIC", "PATH_CHEAPEST_ARC", "PATH_MOST_CONSTRAINED_ARC", "SAVINGS", "PARALLEL_SAVINGS",
    "SWEEP", "CHRISTOFIDES", "BEST_INSERTION", "PARALLEL_CHEAPEST_INSERTION",
    "SEQUENTIAL_CHEAPEST_INSERTION", "LOCAL_CHEAPEST_INSERTION", "LOCAL_CHEAPEST_COST_INSERTION",
    "GLOBAL_CHEAPEST_ARC", "LOCAL_CHEAPEST_ARC", "FIRST_UNBOUND_MIN_VALUE",
)
METAHEURISTICS = (
    "AUTOMATIC", "GREEDY_DESCENT", "GUIDED_LOCAL_SEARCH", "SIMULATED_ANNEALING", "TABU_SEARCH",
    "GENERIC_TABU_SEARCH",
)


class SolveParams(BaseModel):
    """How to search.

    Determinism: the same problem, ``seed`` and limits give the same plan when the search stops
    on ``max_solutions`` (a count of solutions OR-Tools accepts, independent of machine speed)
    before ``time_limit_seconds``. When the time limit is what stops it, the plan depends on how
    much search fitted in the time (as with any anytime solver); it is still feasible.

    ``num_workers`` > 1 runs that many searches from different constructions in parallel
    processes (a portfolio) and keeps the cheapest plan, ties going to the lowest worker number,
    so determinism is kept. ``first_solution`` (when given) is the first member's construction;
    by default it is Savings for one-depot uniform fleets (Solomon-like) and parallel cheapest
    insertion otherwise, followed by local cheapest insertion.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    time_limit_seconds: float = Field(10.0, gt=0)
    seed: int = Field(0, ge=0)
    objective: Literal["travel_time", "distance"] = "travel_time"
    first_solution: str | None = Field(None, description="OR-Tools construction; None = chosen by problem shape (see README)")
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    search_profile: str | None = Field(None, description="pyvrp, or an OR-Tools profile (gls, gls_lns, gls_bandit, gls_reset, gls_lsops, ils_sisr: see README); None = chosen by problem shape")
    gls_lambda: float | None = Field(None, gt=0, description="guided local search lambda (OR-Tools default 0.1)")
    max_solutions: int | None = Field(None, ge=1, description="stop after this many accepted solutions")
    num_workers: int = Field(1, ge=1, le=8)
    post_optimize: bool = Field(True, description="polish the best plan with a local search on the real data")
    explain: bool = Field(True, description="compute per-job explanations (next-best technician)")
    scale: int | None = Field(None, ge=1, description="integer scaling of times inside the search (auto: 1000 planar, 1 geographic)")
    cost_scale: int | None = Field(None, ge=1, description="integer scaling of travel costs inside the search (auto: 10 planar, 1 geographic)")

    @field_validator("first_solution")
    @classmethod
    def _first(cls, value: str | None) -> str | None:
        if value is not None and value not in FIRST_SOLUTIONS:
            raise ValueError(f"unknown first solution strategy {value!r}; one of {', '.join(FIRST_SOLUTIONS)}")
        return value

    @field_validator("search_profile")
    @classmethod
    def _profile(cls, value: str | None) -> str | None:
        from ._ortools import PROFILES  # the profiles' one home; imported late to keep params light

        allowed = ("pyvrp", *PROFILES)
        if value is not None and value not in allowed:
            raise ValueError(f"unknown search profile {value!r}; one of {', '.join(allowed)}")
        return value

    @field_validator("metaheuristic")
    @classmethod
    def _meta(cls, value: str) -> str:
        if value not in METAHEURISTICS:
            raise ValueError(f"unknown metaheuristic {value!r}; one of {', '.join(METAHEURISTICS)}")
        return value
