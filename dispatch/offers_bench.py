"""Benchmark real-time offers: ``python -m dispatch.offers_bench [--technicians 2000 --jobs-per-technician 10
--queries 500 --k 5 --seed 1 --json OUT.json]``.

Builds a city (Shanghai-sized box, great-circle travel) where every technician already has a day of
booked jobs, then times ``OfferBoard.rank`` for random new jobs (random place, skill, 2-hour
window). Prints p50/p95/max latency and writes them as JSON. Board construction is timed apart:
it happens once per city state, not per offer.
"""
from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np
from tqdm import tqdm

from .offers import OfferBoard
from .problem import Job, Location, ProblemData, Shift, Technician, TimeWindow
from .travel import GreatCircleTravel

SKILLS = ("aircon", "washer", "fridge", "tv", "water_heater")
BOX = (121.20, 31.00, 121.70, 31.40)  # lon/lat of a ~47 x 44 km city
DAY_START, DAY_END = 8 * 3600, 20 * 3600


def make_city(n_tech: int, jobs_per_tech: int, seed: int) -> tuple[ProblemData, dict[str, list[str]]]:
    rng = np.random.default_rng(seed)
    travel = GreatCircleTravel()
    techs, jobs, routes = [], [], {}
    for t in range(n_tech):
        home = np.array([rng.uniform(BOX[0], BOX[2]), rng.uniform(BOX[1], BOX[3])])
        skills = list(rng.choice(SKILLS, size=int(rng.integers(1, 4)), replace=False))
        tid = f"T{t}"
        techs.append(Technician(id=tid, shift=Shift(start=DAY_START, end=DAY_END), start=Location(x=home[0], y=home[1]),
                                skills=skills))
        clock = DAY_START
        here = home
        ids = []
        for k in range(jobs_per_tech):
            spot = home + rng.normal(0, 0.02, size=2)  # within ~2-3 km of home
            _, dur = travel.pairs(here[None, :], spot[None, :])
            service = int(rng.integers(20, 46)) * 60
            start = clock + float(dur[0]) + float(rng.integers(0, 10)) * 60
            lo = int(start // 1800 * 1800)
            jid = f"{tid}-J{k}"
            jobs.append(Job(id=jid, location=Location(x=spot[0], y=spot[1]), service_seconds=service,
                            windows=[TimeWindow(start=lo, end=lo + 7200)], required_skills=[str(rng.choice(skills))],
                            pinned_technician=tid, pinned_sequence=k))
            ids.append(jid)
            clock = start + service
            here = spot
        routes[tid] = ids
    return ProblemData(technicians=techs, jobs=jobs, travel=travel), routes


def random_job(rng: np.random.Generator, i: int) -> Job:
    lo = int(rng.integers(DAY_START // 1800, (DAY_END - 7200) // 1800)) * 1800
    return Job(id=f"new-{i}", location=Location(x=rng.uniform(BOX[0], BOX[2]), y=rng.uniform(BOX[1], BOX[3])),
               service_seconds=45 * 60, windows=[TimeWindow(start=lo, end=lo + 7200)],
               required_skills=[str(rng.choice(SKILLS))])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dispatch.offers_bench", description=__doc__.splitlines()[0])
    ap.add_argument("--technicians", type=int, default=2000)
    ap.add_argument("--jobs-per-technician", type=int, default=10)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--candidates", type=int, default=48, help="technicians checked exactly after the spatial prefilter")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", default="offers-bench.json")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    problem, routes = make_city(args.technicians, args.jobs_per_technician, args.seed)
    t1 = time.perf_counter()
    board = OfferBoard(problem, routes)
    t2 = time.perf_counter()
    rng = np.random.default_rng(args.seed + 1000)
    queries = [random_job(rng, i) for i in range(args.queries)]
    board.rank(queries[0], args.k, args.candidates)  # warm-up (imports, shapely)
    lat, found = [], []
    for q in tqdm(queries, desc="offers", file=sys.stderr):
        s = time.perf_counter()
        offers = board.rank(q, args.k, args.candidates)
        lat.append((time.perf_counter() - s) * 1000)
        found.append(len(offers))
    lat_a = np.array(lat)
    out = {
        "technicians": args.technicians, "jobs_per_technician": args.jobs_per_technician,
        "queries": args.queries, "k": args.k, "candidates": args.candidates, "seed": args.seed,
        "city_build_seconds": round(t1 - t0, 3), "board_build_seconds": round(t2 - t1, 3),
        "p50_ms": round(float(np.percentile(lat_a, 50)), 3), "p95_ms": round(float(np.percentile(lat_a, 95)), 3),
        "max_ms": round(float(lat_a.max()), 3), "mean_offers": round(float(np.mean(found)), 2),
        "queries_without_offer": int(sum(1 for f in found if f == 0)), "target_p95_ms": 50.0,
    }
    print(f"{args.technicians} technicians x {args.jobs_per_technician} jobs, {args.queries} offers (k={args.k}): "
          f"p50 {out['p50_ms']:.2f} ms, p95 {out['p95_ms']:.2f} ms, max {out['max_ms']:.2f} ms "
          f"(target p95 <= 50 ms); board built in {out['board_build_seconds']:.2f} s; "
          f"{out['queries_without_offer']} queries without any feasible technician")
    with open(args.json, "w") as fh:
        json.dump(out, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
