"""Both solvers on a hand-checkable instance, graded by the independent checker."""

import json

import pytest

from dispatch.bench.__main__ import main
from dispatch.bench.checker import check
from dispatch.bench.shifu_runner import to_problem
from dispatch.bench.solomon import read_instance
from dispatch.bench.vrptw import SolverRun, instance_files, run_one

# TINY1 (conftest): customers 1 and 2 lie on one ray from the depot, 3 opposite. The only feasible
# two-route plans put 3 alone (its window closes at 10) and 1, 2 together in that order, total 30.
OPTIMUM = 30.0


def test_instance_becomes_technicians_and_jobs(tiny_file):
    inst = read_instance(tiny_file)
    problem = to_problem(inst)
    assert len(problem.technicians) == 2
    assert {t.capacity for t in problem.technicians} == {10}
    assert {(t.shift.start, t.shift.end) for t in problem.technicians} == {(0, 100)}
    assert {(t.start.x, t.start.y) for t in problem.technicians} == {(0.0, 0.0)}
    job = {j.id: j for j in problem.jobs}["1"]
    assert (job.load, job.service_seconds, job.windows[0].start, job.windows[0].end) == (4, 2, 10, 20)
    assert problem.travel.kind == "euclidean"


def test_library_solves_tiny_instance_to_optimum(tiny_file):
    from dispatch.bench.shifu_runner import solve_with_shifu

    inst = read_instance(tiny_file)
    run = solve_with_shifu(inst, time_limit=1.0)
    graded = check(inst, run.routes)
    assert graded.feasible, graded.violations
    assert graded.distance == pytest.approx(OPTIMUM)


def test_pyvrp_solves_tiny_instance_to_optimum(tiny_file):
    pytest.importorskip("pyvrp")
    from dispatch.bench.pyvrp_runner import solve_with_pyvrp

    inst = read_instance(tiny_file)
    run = solve_with_pyvrp(inst, time_limit=0.5)
    graded = check(inst, run.routes)
    assert graded.feasible, graded.violations
    assert graded.distance == pytest.approx(OPTIMUM)


def test_record_is_graded_by_checker_not_by_solver(tiny_file):
    inst = read_instance(tiny_file)

    def liar(instance, limit):  # claims a plan that misses customer 2
        return SolverRun(routes=[[3], [1]], seconds=0.1)

    rec = run_one(inst, "liar", liar, 1.0, {}, {})
    assert rec["feasible"] is False
    assert rec["distance"] == pytest.approx(20.0)
    assert rec["gap_reference_pct"] is None
    assert any("not visited" in v for v in rec["violations"])


def test_solver_crash_is_recorded_not_raised(tiny_file):
    def broken(instance, limit):
        raise RuntimeError("no solution")

    rec = run_one(read_instance(tiny_file), "broken", broken, 1.0, {}, {})
    assert rec["feasible"] is False and rec["error"] == "RuntimeError: no solution"


def test_directory_expands_in_natural_order(tmp_path, tiny_file):
    for name in ("X_2_10.txt", "X_2_2.txt", "X_2_1.txt"):
        (tmp_path / name).write_text(tiny_file.read_text())
    assert [p.name for p in instance_files([str(tmp_path)])] == ["TINY1.txt", "X_2_1.txt", "X_2_2.txt", "X_2_10.txt"]


def test_cli_writes_records_with_gaps(tmp_path, tiny_file, capsys):
    (tmp_path / "bks.csv").write_text("instance,vehicles,distance,source\nTINY1,2,30.0,hand\n")
    (tmp_path / "distmin_reference.csv").write_text(
        "instance,vehicles,distance_real_euclid,feasible_with_real_travel_times\nTINY1,2,30.0,yes\n"
    )
    out = tmp_path / "out.json"
    assert main(["solomon", str(tiny_file), "--time-limit", "1", "--json", str(out)]) == 0
    [rec] = json.loads(out.read_text())
    assert rec["instance"] == "TINY1" and rec["solver"] == "shifu" and rec["feasible"]
    assert rec["gap_reference_pct"] == pytest.approx(0.0, abs=1e-6)
    assert sorted(map(sorted, rec["routes"])) == [[1, 2], [3]]
    printed = capsys.readouterr().out
    assert "TINY1" in printed and "1/1 feasible" in printed


def test_cli_bad_file_is_one_line_error(tmp_path, capsys):
    assert main(["solomon", str(tmp_path / "missing.txt")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "no such file" in err and "\n" not in err
