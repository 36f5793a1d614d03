"""The `solomon` benchmark command: solve, check, tabulate, summarise, plot."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tqdm import tqdm

from dispatch.bench import report
from dispatch.bench.solomon import BenchInputError, read_instance
from dispatch.bench.vrptw import find_reference_file, instance_files, load_references, run_one, write_json


def solvers(vs: str | None, seed: int, workers: int) -> dict:
    from dispatch.bench.shifu_runner import solve_with_shifu

    chosen = {"shifu": lambda inst, limit: solve_with_shifu(inst, limit, seed=seed, workers=workers)}
    if vs == "pyvrp":
        from dispatch.bench.pyvrp_runner import solve_with_pyvrp

        chosen["pyvrp"] = lambda inst, limit: solve_with_pyvrp(inst, limit, seed=seed)
    return chosen


def run_solomon(args) -> int:
    if args.time_limit <= 0:
        raise BenchInputError("--time-limit must be positive")
    files = instance_files(args.files)
    instances = [read_instance(f) for f in files]  # read all first: a bad file fails before any solving
    bks_path = find_reference_file("bks.csv", args.bks, files[0])
    ref_path = find_reference_file("distmin_reference.csv", args.reference, files[0])
    bks, reference = load_references(bks_path, ref_path)
    if args.plot:
        _check_writable(args.plot)
        if not bks and not reference:
            raise BenchInputError("--plot needs bks.csv or distmin_reference.csv (none found; pass --bks/--reference)")
    chosen = solvers(args.vs, args.seed, args.workers)

    records: list[dict] = []
    with tqdm(total=len(instances) * len(chosen), file=sys.stderr, unit="run") as bar:
        for inst in instances:
            for name, solve in chosen.items():
                bar.set_description(f"{inst.name} {name}")
                rec = run_one(inst, name, solve, args.time_limit, bks, reference)
                records.append(rec)
                bar.write(
                    f"{rec['instance']:<10} {name:<6} veh {rec['vehicles']:>3} dist {rec['distance']:>10.2f} "
                    f"{'feasible' if rec['feasible'] else 'INFEASIBLE'} gap ref "
                    f"{'-' if rec['gap_reference_pct'] is None else format(rec['gap_reference_pct'], '+.2f')}",
                    file=sys.stderr,
                )
                if args.json_out:
                    write_json(records, args.json_out)  # after every run, so a long run leaves partial results
                bar.update()

    print(report.table(records))
    print()
    summ = report.summary(records)
    print(report.summary_text(summ))
    if args.json_out:
        Path(args.json_out).with_suffix(".summary.json").write_text(json.dumps(summ, indent=1))
        print(f"\nrecords: {args.json_out}")
    if args.plot:
        report.plot(records, args.plot)
        print(f"plot: {args.plot}")
    return 0


def _check_writable(path: str) -> None:
    folder = Path(path).resolve().parent
    if not folder.is_dir():
        raise BenchInputError(f"--plot {path}: folder {folder} does not exist")
