"""The `replan` benchmark command: a technician reports sick at 11:00 on a generated city day.

1. The day is planned with ``dispatch.solve`` (``--plan-limit`` seconds).
2. At ``--at`` (default 11:00) every job whose planned service ended is done, a job in service is
   started, and ``--accepted`` of the remaining jobs (a share, the earliest first per technician)
   are accepted by their technician; the technician with the most jobs still ahead reports sick.
   A technician between jobs is where the planned drive has got to (the position the app reports).
3. ``dispatch.replan`` re-plans from then with ``--time-limit`` seconds (default 5).

Reported: wall time, the sick technician's jobs still ahead (they *have* to move or drop), how many
of them found another technician, how many other jobs moved (none is needed: every other route
stays feasible as it was), jobs dropped and added, and jobs on time before and after, graded by
the independent city evaluator on the re-solved problem's own rules.
"""
from __future__ import annotations

import os
import time

from dispatch import Location, SolveParams, solve
from dispatch.bench.city import generate_city
from dispatch.bench.city_cli import ticking
from dispatch.bench.city_eval import evaluate
from dispatch.bench.city_problem import city_problem
from dispatch.bench.solomon import BenchInputError
from dispatch.bench.vrptw import write_json
from dispatch.replan import TechnicianOff, replan


def run_replan(args) -> int:
    if args.time_limit <= 0 or args.plan_limit <= 0:
        raise BenchInputError("--time-limit and --plan-limit must be positive")
    if not 0 <= args.accepted <= 1:
        raise BenchInputError("--accepted must be a share between 0 and 1")
    record: dict = {"jobs": args.jobs, "technicians": args.technicians, "seed": args.seed, "profile": args.profile,
                    "at": args.at, "accepted_share": args.accepted}
    city = generate_city(args.jobs, args.technicians, args.seed, args.profile)
    problem = city_problem(city)

    load = round(os.getloadavg()[0], 2)
    with ticking("morning plan", args.plan_limit):
        t = time.perf_counter()
        plan = solve(problem, SolveParams(time_limit_seconds=args.plan_limit, seed=args.seed, explain=False))
        seconds = time.perf_counter() - t
    record["plan"] = {"seconds": round(seconds, 3), "load_average": load, "strategy": plan.solver.strategy,
                      **_short(evaluate(city, plan.sequences()).as_dict())}

    now = args.at
    done, started, ahead, positions = [], [], {}, {}
    jobs = {j.id: j for j in problem.jobs}
    techs = {t.id: t for t in problem.technicians}
    for route in plan.routes:
        rest = []
        for s in route.stops:
            if s.end <= now:
                done.append(s.job_id)
            elif s.start <= now:
                started.append(s.job_id)
            else:
                rest.append(s.job_id)
        ahead[route.technician_id] = rest
        if rest and not any(s.job_id in started for s in route.stops):
            positions[route.technician_id] = _on_the_way(route, rest[0], now, jobs, techs[route.technician_id])
    sick = max(ahead, key=lambda t: (len(ahead[t]), t))
    accepted = []
    for tech, rest in ahead.items():
        if tech != sick:
            accepted += rest[: int(len(rest) * args.accepted)]
    record.update(sick_technician=sick, done=len(done), started=len(started), accepted=len(accepted))
    had_to_move = [j for j in ahead[sick]] + [j for j in started if plan.assignment()[j] == sick]

    penalty = {} if args.move_penalty is None else {"move_penalty": args.move_penalty}
    record["move_penalty"] = args.move_penalty
    load = round(os.getloadavg()[0], 2)
    with ticking("re-plan", args.time_limit):
        t = time.perf_counter()
        out = replan(problem, plan, now, done=done, started=started, accepted=accepted,
                     positions=positions, changes=[TechnicianOff(sick)], **penalty,
                     params=SolveParams(time_limit_seconds=args.time_limit, seed=args.seed, explain=False))
        seconds = time.perf_counter() - t
    after = out.result.assignment()
    moved_needed = [m for m in out.moved if m.from_technician == sick]
    record["replan"] = {
        "seconds": round(seconds, 3), "time_limit": args.time_limit, "load_average": load,
        "strategy": out.result.solver.strategy,
        "had_to_move": len(had_to_move),
        "moved": len(out.moved),
        "moved_from_sick": len(moved_needed),
        "moved_others": len(out.moved) - len(moved_needed),
        "dropped": len(out.dropped),
        "dropped_from_sick": sum(1 for j in out.dropped if j in had_to_move),
        "added": len(out.added),
        "assigned_ahead_before": sum(len(r) for r in ahead.values()) + len(started),
        "assigned_ahead_after": len(after),
    }
    print(text_report(record))
    if args.json_out:
        write_json(record, args.json_out)
        print(f"\nfigures: {args.json_out}")
    return 0


def _on_the_way(route, next_id: str, now: int, jobs: dict, tech) -> Location:
    """Where a technician between jobs is at ``now`` (what the phone's position would say): on the
    straight line from the last place to the next job, as far as the planned drive has got."""
    k = route.job_ids.index(next_id)
    here = tech.start if k == 0 else jobs[route.stops[k - 1].job_id].location
    there = jobs[next_id].location
    stop = route.stops[k]
    left = stop.arrival - stop.travel_seconds
    share = 0.0 if stop.travel_seconds <= 0 else min(1.0, max(0.0, (now - left) / stop.travel_seconds))
    return Location(x=here.x + share * (there.x - here.x), y=here.y + share * (there.y - here.y))


def _short(evaluation: dict) -> dict:
    return {k: evaluation[k] for k in ("assigned", "on_time", "late", "travel_km", "travel_km_per_job", "feasible")}


def text_report(record: dict) -> str:
    p, r = record["plan"], record["replan"]
    h = record["at"] // 3600
    m = record["at"] % 3600 // 60
    return "\n".join([
        f"replan: {record['jobs']} jobs, {record['technicians']} technicians, seed {record['seed']}, profile {record['profile']}",
        f"morning plan: {p['assigned']} jobs, {p['travel_km_per_job']} km/job in {p['seconds']:.1f} s ({p['strategy']}, load {p['load_average']})",
        f"at {h:02d}:{m:02d}: {record['done']} done, {record['started']} in service, {record['accepted']} accepted; "
        f"{record['sick_technician']} reports sick with {r['had_to_move']} job(s) ahead",
        f"re-plan in {r['seconds']:.2f} s (limit {r['time_limit']} s, load {r['load_average']}, {r['strategy']}): "
        f"{r['moved_from_sick']} of the sick technician's {r['had_to_move']} job(s) moved to a colleague, "
        f"{r['dropped_from_sick']} dropped; {r['moved_others']} other job(s) moved (none had to); "
        f"{r['dropped']} dropped in all, {r['added']} added",
        f"target: a new plan in <= 5 s -> {'MET' if r['seconds'] <= 5.0 else 'MISSED'}; "
        f"moves beyond the needed: {r['moved_others']}",
    ])
