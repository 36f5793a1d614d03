"""Tables, summaries and plots of VRPTW benchmark records (the JSON records of dispatch.bench.vrptw)."""

from __future__ import annotations

from collections import defaultdict
from statistics import mean

from dispatch.bench.solomon import BenchInputError


def _fmt(value, spec: str, empty: str = "-") -> str:
    if value is None:
        return empty
    if isinstance(value, float):
        value = round(value, 2) + 0.0  # no "-0.00" for a gap of -0.00004
    return format(value, spec)


def table(records: list[dict]) -> str:
    header = (
        f"{'instance':<10} {'solver':<7} {'veh':>4} {'bks veh':>7} {'distance':>10} {'seconds':>8} "
        f"{'feasible':>8} {'gap ref %':>9} {'gap bks %':>9}"
    )
    lines = [header, "-" * len(header)]
    for r in records:
        lines.append(
            f"{r['instance']:<10} {r['solver']:<7} {r['vehicles']:>4} {_fmt(r['bks_vehicles'], 'd'):>7} "
            f"{r['distance']:>10.2f} {r['seconds']:>8.1f} {'yes' if r['feasible'] else 'NO':>8} "
            f"{_fmt(r['gap_reference_pct'], '+.2f'):>9} {_fmt(r['gap_bks_pct'], '+.2f'):>9}"
        )
    return "\n".join(lines)


def summary(records: list[dict]) -> dict:
    """Per solver: feasible count, mean gaps over feasible answers; and each solver against PyVRP on
    the instances where both answers are feasible (so the comparison is like for like)."""
    by_solver: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in records:
        by_solver[r["solver"]][r["instance"]] = r
    out: dict = {}
    for solver, runs in by_solver.items():
        feasible = [r for r in runs.values() if r["feasible"]]
        ref_gaps = [r["gap_reference_pct"] for r in feasible if r["gap_reference_pct"] is not None]
        bks_gaps = [r["gap_bks_pct"] for r in feasible if r["gap_bks_pct"] is not None]
        out[solver] = {
            "instances": len(runs),
            "feasible": len(feasible),
            "infeasible": sorted(i for i, r in runs.items() if not r["feasible"]),
            "with_reference": len(ref_gaps),
            "mean_gap_reference_pct": round(mean(ref_gaps), 3) if ref_gaps else None,
            "mean_gap_bks_pct": round(mean(bks_gaps), 3) if bks_gaps else None,
            "worst_gap_reference": sorted(
                ((r["instance"], r["gap_reference_pct"]) for r in feasible if r["gap_reference_pct"] is not None),
                key=lambda t: -t[1],
            )[:5],
        }
    if "pyvrp" in by_solver:
        for solver, runs in by_solver.items():
            if solver == "pyvrp":
                continue
            both = [
                (runs[i], p)
                for i, p in by_solver["pyvrp"].items()
                if i in runs and runs[i]["feasible"] and p["feasible"]
            ]
            ref = [(a["gap_reference_pct"], b["gap_reference_pct"]) for a, b in both if a["gap_reference_pct"] is not None]
            bks = [(a["gap_bks_pct"], b["gap_bks_pct"]) for a, b in both if a["gap_bks_pct"] is not None]
            out[solver]["vs_pyvrp"] = {
                "instances_both_feasible": len(both),
                "mean_gap_reference_pct": _pair_means(ref),
                "mean_gap_bks_pct": _pair_means(bks),
                "distance_vs_pyvrp_pct": round(
                    mean(100 * (a["distance"] - b["distance"]) / b["distance"] for a, b in both), 3
                )
                if both
                else None,
            }
    return out


def _pair_means(pairs: list[tuple[float, float]]) -> dict | None:
    if not pairs:
        return None
    ours, theirs = mean(p[0] for p in pairs), mean(p[1] for p in pairs)
    return {"n": len(pairs), "solver": round(ours, 3), "pyvrp": round(theirs, 3), "difference": round(ours - theirs, 3)}


def summary_text(summ: dict) -> str:
    lines = []
    for solver, s in summ.items():
        lines.append(
            f"{solver}: {s['feasible']}/{s['instances']} feasible"
            + (f" (infeasible: {', '.join(s['infeasible'])})" if s["infeasible"] else "")
            + (
                f"; mean gap to distance-only reference {_fmt(s['mean_gap_reference_pct'], '+.2f')}% "
                f"over {s['with_reference']} instances"
                if s["with_reference"]
                else "; no distance-only reference for these instances"
            )
            + f"; mean gap to BKS {_fmt(s['mean_gap_bks_pct'], '+.2f')}%"
        )
        vs = s.get("vs_pyvrp")
        if vs:
            for key, label in (("mean_gap_reference_pct", "reference"), ("mean_gap_bks_pct", "BKS")):
                m = vs[key]
                if m:
                    lines.append(
                        f"  vs pyvrp on {m['n']} instances both solved: gap to {label} {m['solver']:+.2f}% vs "
                        f"{m['pyvrp']:+.2f}% (difference {m['difference']:+.2f} points)"
                    )
            if vs["distance_vs_pyvrp_pct"] is not None:
                lines.append(f"  distance vs pyvrp: {vs['distance_vs_pyvrp_pct']:+.2f}% on average")
    return "\n".join(lines)


def plot(records: list[dict], path: str) -> None:
    """Gap per instance for each solver: one panel for the distance-only reference (where instances
    have one), one for the best-known distance; an infeasible answer's bar is hatched red."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    instances = list(dict.fromkeys(r["instance"] for r in records))
    solvers = list(dict.fromkeys(r["solver"] for r in records))
    by_key = {(r["instance"], r["solver"]): r for r in records}
    panels = [
        (field, label)
        for field, label in (
            ("gap_reference_pct", "gap to distance-only reference (%)"),
            ("gap_bks_pct", "gap to best-known distance (%)"),
        )
        if any(r[field] is not None for r in records)
    ]
    if not panels:
        raise BenchInputError("--plot: no instance has a reference or best-known distance to plot a gap against")
    width = 0.8 / len(solvers)
    fig, axes = plt.subplots(
        len(panels), 1, figsize=(max(8, 0.25 * len(instances) + 2), 3.2 * len(panels)), squeeze=False
    )
    for ax, (field, label) in zip(axes[:, 0], panels):
        for k, solver in enumerate(solvers):
            xs, ys, infeasible = [], [], []
            for i, inst in enumerate(instances):
                r = by_key.get((inst, solver))
                if r and r[field] is not None:
                    xs.append(i + (k - (len(solvers) - 1) / 2) * width)
                    ys.append(r[field])
                    infeasible.append(not r["feasible"])
            bars = ax.bar(xs, ys, width, label=solver)
            for bar, bad in zip(bars, infeasible):
                if bad:
                    bar.set_edgecolor("red")
                    bar.set_hatch("//")
        ax.set_xticks(range(len(instances)), instances, rotation=90, fontsize=7)
        ax.set_ylabel(label, fontsize=8)
        ax.axhline(0, color="black", linewidth=0.6)
        ax.set_xlim(-0.6, len(instances) - 0.4)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
