"""Shifu's dispatch engine: a pure library that plans technicians' days.

Keeps problem data, solving and results apart (as PyVRP does)::

    from dispatch import ProblemData, Technician, Job, TimeWindow, Location, Shift, solve, SolveParams
    result = solve(problem, SolveParams(time_limit_seconds=5))

It imports nothing from the web service (app/), FastAPI or SQLAlchemy.
"""
from .errors import DispatchError, ProblemError, TravelError
from .params import SolveParams
from .problem import Break, Job, Location, ProblemData, Shift, Skill, Technician, TimeWindow, Weights, problem_schema
from .result import (
    Explanation,
    NextBest,
    Result,
    Route,
    SolverInfo,
    Stop,
    Totals,
    Unassigned,
    UnassignedReason,
    plan_schema,
)
from .solve import solve
from .travel import EuclideanTravel, GreatCircleTravel, OsrmTravel
from .offers import Offer, OfferBoard, rank_technicians
from .replan import JobOverrun, Move, NewJob, Replan, TechnicianOff, replan
from .citysplit import solve_city

__all__ = [
    "DispatchError", "ProblemError", "TravelError", "SolveParams", "Break", "Job", "Location", "ProblemData",
    "Shift", "Skill", "Technician", "TimeWindow", "Weights", "problem_schema", "Explanation",
    "NextBest", "Result", "Route", "SolverInfo", "Stop", "Totals", "Unassigned", "UnassignedReason",
    "plan_schema", "solve", "EuclideanTravel", "GreatCircleTravel", "OsrmTravel",
    "Offer", "OfferBoard", "rank_technicians", "JobOverrun", "Move", "NewJob", "Replan", "TechnicianOff",
    "replan", "solve_city",
]
