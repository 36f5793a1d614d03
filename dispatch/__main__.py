"""Command line: ``python -m dispatch solve PROBLEM.json --time-limit S --out PLAN.json`` and
``python -m dispatch schema problem|plan``.

Bad input gets one line on stderr naming what is wrong and exit code 2; no traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import DispatchError, ProblemError
from .params import SolveParams
from .problem import ProblemData, problem_schema
from .result import plan_schema
from .solve import solve


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m dispatch", description="Shifu dispatch engine")
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("solve", help="plan a day from a problem file")
    s.add_argument("problem", type=Path, help="problem JSON file (see `schema problem`)")
    s.add_argument("--time-limit", type=float, default=10.0, help="seconds of search (default 10)")
    s.add_argument("--out", type=Path, help="write the plan JSON here (default: stdout)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--objective", choices=["travel_time", "distance"], default="travel_time")
    s.add_argument("--workers", type=int, default=1, help="parallel searches (processes)")
    s.add_argument("--max-solutions", type=int, default=None, help="deterministic stop (see README)")
    s.add_argument("--no-explain", action="store_true", help="skip per-job explanations")
    sc = sub.add_parser("schema", help="print a JSON Schema")
    sc.add_argument("which", choices=["problem", "plan"])
    return ap


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema":
        print(json.dumps(problem_schema() if args.which == "problem" else plan_schema(), indent=2))
        return 0
    try:
        text = args.problem.read_text(encoding="utf-8")
    except OSError as exc:
        print(f"error: {args.problem}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        problem = ProblemData.from_json(text)
        params = SolveParams(time_limit_seconds=args.time_limit, seed=args.seed, objective=args.objective,
                             num_workers=args.workers, max_solutions=args.max_solutions, explain=not args.no_explain)
    except ProblemError as exc:
        print(f"error: {args.problem}: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # SolveParams from command-line values
        print(f"error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    try:
        result = solve(problem, params)
    except DispatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    plan = json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    if args.out:
        args.out.write_text(plan + "\n", encoding="utf-8")
        t = result.totals
        print(f"{t.assigned}/{t.jobs} jobs planned, {t.unassigned} unassigned, travel {t.travel_minutes:.0f} min; plan in {args.out}", file=sys.stderr)
    else:
        print(plan)
    return 0


if __name__ == "__main__":
    sys.exit(main())
