import pytest

from dispatch.bench import report
from dispatch.bench.solomon import BenchInputError


def rec(instance, solver, distance, ref=None, bks=None, feasible=True):
    return {
        "instance": instance,
        "solver": solver,
        "vehicles": 3,
        "bks_vehicles": 3,
        "distance": distance,
        "seconds": 1.0,
        "feasible": feasible,
        "gap_reference_pct": None if ref is None else 100 * (distance - ref) / ref,
        "gap_bks_pct": None if bks is None else 100 * (distance - bks) / bks,
    }


RECORDS = [
    rec("A", "shifu", 102, ref=100, bks=100),
    rec("A", "pyvrp", 100, ref=100, bks=100),
    rec("B", "shifu", 110, bks=100),  # no distance-only reference
    rec("B", "pyvrp", 105, bks=100),
    rec("C", "shifu", 90, ref=100, bks=100, feasible=False),  # infeasible: left out of every mean
    rec("C", "pyvrp", 101, ref=100, bks=100),
]


def test_summary_means_over_feasible_answers_only():
    s = report.summary(RECORDS)
    assert s["shifu"]["feasible"] == 2 and s["shifu"]["infeasible"] == ["C"]
    assert s["shifu"]["with_reference"] == 1
    assert s["shifu"]["mean_gap_reference_pct"] == pytest.approx(2.0)
    assert s["shifu"]["mean_gap_bks_pct"] == pytest.approx(6.0)
    assert s["pyvrp"]["mean_gap_reference_pct"] == pytest.approx(0.5)


def test_vs_pyvrp_compares_like_for_like():
    vs = report.summary(RECORDS)["shifu"]["vs_pyvrp"]
    assert vs["instances_both_feasible"] == 2  # C is out: shifu's answer is infeasible
    assert vs["mean_gap_reference_pct"] == {"n": 1, "solver": 2.0, "pyvrp": 0.0, "difference": 2.0}
    assert vs["mean_gap_bks_pct"]["difference"] == pytest.approx(3.5)
    assert vs["distance_vs_pyvrp_pct"] == pytest.approx((2.0 + 100 * 5 / 105) / 2, abs=1e-3)


def test_table_marks_infeasible_and_missing_reference():
    text = report.table(RECORDS)
    line_b = next(line for line in text.splitlines() if line.startswith("B ") and "shifu" in line)
    assert line_b.split()[-2] == "-"  # no reference gap
    assert "NO" in next(line for line in text.splitlines() if line.startswith("C ") and "shifu" in line)


def test_plot_writes_png(tmp_path):
    out = tmp_path / "gaps.png"
    report.plot(RECORDS, str(out))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_without_any_gap_is_a_clear_error(tmp_path):
    bare = [rec("A", "shifu", 1.0)]
    with pytest.raises(BenchInputError, match="no instance has a reference"):
        report.plot(bare, str(tmp_path / "x.png"))
