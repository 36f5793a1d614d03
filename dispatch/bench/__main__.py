"""python -m dispatch.bench {solomon,city,replan} ... — benchmark scripts that print figures and write JSON."""

from __future__ import annotations

import argparse
import sys

from dispatch.bench.solomon import BenchInputError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dispatch.bench", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    s = sub.add_parser(
        "solomon",
        help="VRPTW instances in Solomon format (Solomon 100, Gehring & Homberger)",
        description="Solve each instance with the library's own solve (distance objective), check every "
        "answer independently, and report gaps to the distance-only reference and to the best-known solution.",
    )
    s.add_argument("files", nargs="+", help="instance files, or directories of *.txt instance files")
    s.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance and solver (default 10)")
    s.add_argument("--json", dest="json_out", help="write one record per instance and solver to this file")
    s.add_argument("--vs", choices=["pyvrp"], help="also run this solver with the same time limit")
    s.add_argument("--plot", help="draw the gaps per instance to this PNG")
    s.add_argument("--bks", help="best-known solutions CSV (default: bks.csv beside the instances or one folder up)")
    s.add_argument("--reference", help="distance-only reference CSV (default: distmin_reference.csv, found likewise)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument(
        "--workers", type=int, default=1, help="parallel searches inside solve (SolveParams.num_workers; default 1)"
    )

    c = sub.add_parser(
        "city",
        help="dispatch-shaped problems in Hangzhou: the solver against a greedy dispatcher and plain OR-Tools",
        description="Generate a day of appliance jobs and technicians in Hangzhou, plan it with the library, "
        "with a greedy nearest-available-technician dispatcher and with a plain OR-Tools model, and grade all "
        "with one independent evaluator.",
    )
    c.add_argument("--jobs", type=int, default=1000)
    c.add_argument("--profile", choices=["peak", "balanced"], default="peak",
                   help="peak: more work than the shifts hold; balanced: work ~0.9x shift hours, van capacity binds")
    c.add_argument("--technicians", type=int, default=100)
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("--time-limit", type=float, default=30.0, help="seconds for the full solve (default 30)")
    c.add_argument(
        "--first-plan-limit",
        type=float,
        default=60.0,
        help="cap in seconds for the time-to-first-plan solve (default 60; the target is judged on the time taken)",
    )
    c.add_argument(
        "--solver",
        choices=["auto", "solve", "citysplit"],
        default="auto",
        help="dispatch.solve, or dispatch.citysplit.solve_city; auto: dispatch.solve (it picks its path by size)",
    )
    c.add_argument("--no-like-with-like", dest="like_with_like", action="store_false",
                   help="skip the like-with-like comparisons (plain OR-Tools from parallel cheapest insertion, "
                        "the library on the baseline's own jobs): two more runs of --time-limit")
    c.add_argument("--workers", type=int, default=1, help="parallel searches inside solve (default 1)")
    c.add_argument("--json", dest="json_out", help="write the figures to this file")
    c.add_argument("--plot", help="draw travel per job and jobs on time for both planners to this PNG")

    r = sub.add_parser(
        "replan",
        help="a technician reports sick at 11:00 on a generated city day: time to a new plan, jobs moved",
        description="Plan a generated Hangzhou day, then at --at seconds from midnight take the technician with "
        "the most jobs ahead off sick and re-plan; report the time and how many jobs moved against how many had to.",
    )
    r.add_argument("--jobs", type=int, default=1000)
    r.add_argument("--technicians", type=int, default=100)
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("--profile", choices=["peak", "balanced"], default="peak")
    r.add_argument("--plan-limit", type=float, default=20.0, help="seconds for the morning plan (default 20)")
    r.add_argument("--time-limit", type=float, default=5.0, help="seconds for the re-plan (default 5)")
    r.add_argument("--at", type=int, default=11 * 3600, help="when the call comes, seconds from midnight (default 11:00)")
    r.add_argument("--accepted", type=float, default=0.0,
                   help="share of each other technician's jobs ahead already accepted (pinned; default 0)")
    r.add_argument("--move-penalty", type=float, default=None,
                   help="objective units per job moved off its technician (default: dispatch.replan's)")
    r.add_argument("--json", dest="json_out", help="write the figures to this file")

    args = parser.parse_args(argv)
    try:
        if args.command == "solomon":
            from dispatch.bench.solomon_cli import run_solomon

            return run_solomon(args)
        if args.command == "replan":
            from dispatch.bench.replan_cli import run_replan

            return run_replan(args)
        from dispatch.bench.city_cli import run_city

        return run_city(args)
    except BenchInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
