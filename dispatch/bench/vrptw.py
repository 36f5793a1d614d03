"""Running solvers on Solomon-format instances and grading every answer with the independent checker."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from dispatch.bench.checker import check
from dispatch.bench.solomon import BenchInputError, Instance, Reference, read_bks, read_distmin_reference


@dataclass
class SolverRun:
    """What one solver returned for one instance, before independent checking."""

    routes: list[list[int]]  # customer numbers in visiting order
    seconds: float


Solver = Callable[[Instance, float], SolverRun]


def instance_files(args: Iterable[str]) -> list[Path]:
    """Files as given; a directory stands for the *.txt files in it, in natural order (C1_2_2 before C1_2_10)."""
    files: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = sorted(path.glob("*.txt"), key=_natural)
            if not found:
                raise BenchInputError(f"{path}: no *.txt instance files in this directory")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise BenchInputError(f"{path}: no such file or directory")
    return files


def _natural(path: Path) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.stem.upper())]


def find_reference_file(name: str, explicit: str | None, instance_path: Path) -> Path | None:
    """The given file, else one beside the instance or in its parent folder (the shared/bench layout)."""
    if explicit:
        return Path(explicit)
    for folder in (instance_path.parent, instance_path.parent.parent):
        if (folder / name).is_file():
            return folder / name
    return None


def load_references(bks_path: Path | None, reference_path: Path | None) -> tuple[dict, dict]:
    bks = read_bks(bks_path) if bks_path else {}
    reference = read_distmin_reference(reference_path) if reference_path else {}
    return bks, reference


def gap_pct(distance: float, ref: Reference | None) -> float | None:
    if ref is None:
        return None
    return round(100.0 * (distance - ref.distance) / ref.distance, 4)


def run_one(
    instance: Instance,
    solver_name: str,
    solver: Solver,
    time_limit: float,
    bks: dict[str, Reference],
    reference: dict[str, Reference],
) -> dict:
    """One JSON record: the solver's routes, and everything else recomputed from them by the checker."""
    error = None
    try:
        run = solver(instance, time_limit)
    except BenchInputError:
        raise
    except Exception as exc:  # a solver that fails on one instance must not sink the whole benchmark
        run, error = SolverRun(routes=[], seconds=float("nan")), f"{type(exc).__name__}: {exc}"
    graded = check(instance, run.routes)
    record = {
        "instance": instance.name,
        "solver": solver_name,
        "vehicles": graded.vehicles,
        "distance": round(graded.distance, 4),
        "seconds": round(run.seconds, 3),
        "feasible": graded.feasible and error is None,
        "routes": [list(r) for r in run.routes if r],
        "gap_reference_pct": gap_pct(graded.distance, reference.get(instance.name)),
        "reference_distance": _distance(reference.get(instance.name)),
        "gap_bks_pct": gap_pct(graded.distance, bks.get(instance.name)),
        "bks_vehicles": bks[instance.name].vehicles if instance.name in bks else None,
        "bks_distance": _distance(bks.get(instance.name)),
        "time_limit": time_limit,
        "load_average": round(os.getloadavg()[0], 2),  # on a shared machine, seconds are not all equal
        "violations": graded.violations[:20],
    }
    if error:
        record["error"] = error
    return record


def _distance(ref: Reference | None) -> float | None:
    return ref.distance if ref else None


def write_json(records: list[dict] | dict, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(records, indent=1))
    tmp.replace(path)  # a reader (or a crash mid-run) never sees half a file
