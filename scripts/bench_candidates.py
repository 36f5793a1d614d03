"""Benchmark the candidate-technician query on a city-sized roster (target on PostGIS: p99 <= 5 ms).

Builds a Hangzhou roster (default 100,000 technicians; homes dense downtown and thinner towards the
edges; service areas of a few km around home or a whole district; trade skill mixes, some with
expired certificates; weekly shifts and days off), bulk-loads it (COPY on PostgreSQL, executemany on
SQLite), then times `candidates_for_need` — the function behind GET /v1/jobs/{id}/candidates — for
random jobs drawn from the catalogue. Prints the figures, writes JSON and a latency plot.

    .venv/bin/python scripts/bench_candidates.py                      # PostGIS scratch db shifu_bench
    .venv/bin/python scripts/bench_candidates.py --database-url sqlite:///var/bench.db --technicians 20000
"""

import argparse
import json
import math
import os
import platform
import random
import re
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import shapely  # noqa: E402
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon, box  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from tqdm import tqdm  # noqa: E402

BBOX = (119.95, 30.05, 120.45, 30.45)  # Hangzhou: lon min, lat min, lon max, lat max
CENTRE = (120.165, 30.265)  # Wulin / West Lake
TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_PG_ADMIN = os.environ.get("SHIFU_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TARGET_P99_MS = 5.0  # issue #13
BASE_DAY = date(2031, 3, 3)  # a Monday; jobs fall in the two weeks after

# Trade profiles: (share, always-held skills, optional skills, certificate-required skills among them)
TRADES = [
    (0.30, ["ac_install", "ac_repair", "refrigerant", "work_at_height"], ["electrician", "hood_install"]),
    (0.15, ["delivery"], ["tv_install", "washer_install"]),
    (0.20, ["tv_install", "washer_install", "hood_install"], ["dishwasher_install", "purifier_install", "delivery", "hood_repair"]),
    (0.20, ["washer_repair", "fridge_repair"], ["tv_repair", "small_appliance_repair", "dishwasher_repair", "ac_repair", "refrigerant"]),
    (0.15, ["water_heater_install", "water_heater_repair"], ["gas_appliance", "electrician", "purifier_install", "purifier_repair"]),
]


# ---- the city -----------------------------------------------------------------------------------------


def home_location(rng: random.Random) -> tuple[float, float]:
    """Dense downtown, suburbs thinner: a Gaussian core mixed with uniform coverage of the city."""
    while True:
        if rng.random() < 0.65:
            lon, lat = rng.gauss(CENTRE[0], 0.07), rng.gauss(CENTRE[1], 0.05)
        else:
            lon, lat = rng.uniform(BBOX[0], BBOX[2]), rng.uniform(BBOX[1], BBOX[3])
        if BBOX[0] <= lon <= BBOX[2] and BBOX[1] <= lat <= BBOX[3]:
            return lon, lat


def districts(rng: random.Random, n: int = 13) -> list[Polygon]:
    """District-like cells (Voronoi around district seats), clipped to the city."""
    seeds = MultiPoint([home_location(rng) for _ in range(n)])
    city = box(*BBOX)
    cells = shapely.voronoi_polygons(seeds, extend_to=city)
    return [c.intersection(city) for c in cells.geoms]


def blob_around(rng: random.Random, lon: float, lat: float) -> Polygon:
    """An irregular area of a few km around home (what a technician will drive to)."""
    radius_km = rng.uniform(3, 8)
    n = rng.randint(12, 20)
    c = math.cos(math.radians(lat))
    ring = []
    for i in range(n):
        r = radius_km * rng.uniform(0.75, 1.15) / 111.32
        a = 2 * math.pi * i / n
        ring.append((lon + r * math.cos(a) / c, lat + r * math.sin(a)))
    return Polygon(ring)


def technician_rows(rng: random.Random, n: int, provider_ids: list[uuid.UUID], cells: list[Polygon]):
    """Yield (technician, skills, shifts, days_off) rows for the bulk loader."""
    now = datetime.now(timezone.utc)
    shares = [t[0] for t in TRADES]
    for i in range(n):
        lon, lat = home_location(rng)
        if rng.random() < 0.2:
            home = Point(lon, lat)
            area = next((c for c in cells if c.contains(home)), None) or blob_around(rng, lon, lat)
        else:
            area = blob_around(rng, lon, lat)
        area = area if isinstance(area, MultiPolygon) else MultiPolygon([area])
        tid = uuid.uuid4()
        tech = {
            "id": tid, "created_at": now, "name": f"师傅{i:06d}", "phone": f"1{30 + i // 10**8}{i % 10**8:08d}",
            "provider_id": rng.choice(provider_ids) if rng.random() < 0.8 else None,
            "home": (lon, lat), "area": area, "on_duty": rng.random() < 0.6,
            "max_jobs_per_day": rng.choice([4, 6, 8, 10]), "quality_score": round(rng.uniform(0.6, 1.0), 3),
            "active": rng.random() > 0.03,
        }
        _, always, optional = rng.choices(TRADES, weights=shares)[0]
        codes = always + [s for s in optional if rng.random() < 0.4]
        skills = []
        for code in dict.fromkeys(codes):
            cert = code in ("refrigerant", "work_at_height", "electrician", "gas_appliance") or rng.random() < 0.1
            start = BASE_DAY - timedelta(days=rng.randint(30, 1500))
            # One certificate in ten has lapsed (or lapses during the fortnight jobs are drawn from).
            until = BASE_DAY + timedelta(days=rng.randint(-200, 14) if rng.random() < 0.1 else rng.randint(15, 1500))
            skills.append((uuid.uuid4(), tid, code, "证书" if cert else None, f"C{i}-{code}" if cert else None,
                           start if cert else None, until if cert else None))
        shifts = []
        pattern = rng.choice(["day", "day", "long", "split"])
        workdays = sorted(rng.sample(range(7), rng.choice([5, 6, 6, 7])))
        for wd in workdays:
            if pattern == "day":
                shifts.append((uuid.uuid4(), tid, wd, 8 * 60, 18 * 60))
            elif pattern == "long":
                shifts.append((uuid.uuid4(), tid, wd, 9 * 60, 21 * 60))
            else:
                shifts.append((uuid.uuid4(), tid, wd, 8 * 60, 12 * 60))
                shifts.append((uuid.uuid4(), tid, wd, 13 * 60 + 30, 19 * 60))
        days_off = [(uuid.uuid4(), tid, d, "休假") for d in
                    sorted({BASE_DAY + timedelta(days=rng.randint(0, 13)) for _ in range(rng.choice([0, 0, 1, 2]))})]
        yield tech, skills, shifts, days_off


# ---- database setup and bulk load -------------------------------------------------------------------


def prepare_database(url: str | None, admin_url: str, fresh: bool) -> str:
    from sqlalchemy import create_engine

    if url is None:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            exists = c.scalar(text("SELECT 1 FROM pg_database WHERE datname = 'shifu_bench'"))
            if exists and fresh:
                c.execute(text('DROP DATABASE "shifu_bench" WITH (FORCE)'))
                exists = False
            if not exists:
                c.execute(text('CREATE DATABASE "shifu_bench"'))
        admin.dispose()
        url = admin_url.rsplit("/", 1)[0] + "/shifu_bench"
        eng = create_engine(url, isolation_level="AUTOCOMMIT")
        with eng.connect() as c:
            c.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        eng.dispose()
    elif url.startswith("sqlite") and fresh:
        path = Path(url.split("///", 1)[-1])
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)

    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "head")
    return url


def _hex(geom) -> str:
    return shapely.to_wkb(shapely.set_srid(geom, 4326), hex=True, include_srid=True)


def load_postgres(engine, batches, n: int) -> None:
    raw = engine.raw_connection()
    conn = raw.driver_connection
    try:
        with conn.cursor() as cur, tqdm(total=n, desc="COPY technicians", unit="tech", file=sys.stderr) as bar:
            for rows in batches:
                with cur.copy(
                    "COPY technicians (id, created_at, name, phone, provider_id, home_base, service_area, on_duty,"
                    " max_jobs_per_day, quality_score, active, skill_codes) FROM STDIN"
                ) as cp:
                    for t, skills, *_ in rows:
                        cp.write_row((t["id"], t["created_at"], t["name"], t["phone"], t["provider_id"],
                                      _hex(Point(t["home"])), _hex(t["area"]), t["on_duty"], t["max_jobs_per_day"],
                                      t["quality_score"], t["active"], sorted({r[2] for r in skills})))
                for table, cols, idx in (
                    ("technician_skills", "id, technician_id, skill, certificate_name, certificate_number,"
                     " valid_from, valid_until", 1),
                    ("weekly_shifts", "id, technician_id, weekday, start_minute, end_minute", 2),
                    ("days_off", "id, technician_id, day, reason", 3),
                ):
                    with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
                        for row in rows:
                            for r in row[idx]:
                                cp.write_row(r)
                bar.update(len(rows))
        conn.commit()
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute("VACUUM ANALYZE technicians, technician_skills, weekly_shifts, days_off")
        finally:
            conn.autocommit = False
    finally:
        raw.close()


def load_sqlite(engine, batches, n: int) -> None:
    from geoalchemy2.shape import from_shape

    from app.geo import SRID
    from app.technicians.models import DayOff, Technician, TechnicianSkill, WeeklyShift

    with Session(engine) as s, tqdm(total=n, desc="insert technicians", unit="tech", file=sys.stderr) as bar:
        for rows in batches:
            s.execute(insert(Technician), [
                {"id": t["id"], "created_at": t["created_at"], "name": t["name"], "phone": t["phone"],
                 "provider_id": t["provider_id"], "home_base": from_shape(Point(t["home"]), srid=SRID),
                 "service_area": from_shape(t["area"], srid=SRID), "on_duty": t["on_duty"],
                 "max_jobs_per_day": t["max_jobs_per_day"], "quality_score": t["quality_score"], "active": t["active"],
                 "skill_codes": sorted({r[2] for r in skills})}
                for t, skills, *_ in rows
            ])
            s.execute(insert(TechnicianSkill), [
                dict(zip(("id", "technician_id", "skill", "certificate_name", "certificate_number", "valid_from",
                          "valid_until"), r)) for row in rows for r in row[1]
            ])
            s.execute(insert(WeeklyShift), [
                dict(zip(("id", "technician_id", "weekday", "start_minute", "end_minute"), r))
                for row in rows for r in row[2]
            ])
            days = [dict(zip(("id", "technician_id", "day", "reason"), r)) for row in rows for r in row[3]]
            if days:
                s.execute(insert(DayOff), days)
            bar.update(len(rows))
        s.commit()
        s.execute(text("ANALYZE"))
        s.commit()


def build_roster(engine, n: int, seed: int) -> float:
    from app.catalogue.service import load_catalogue
    from app.technicians.models import ProviderCompany

    rng = random.Random(seed)
    with Session(engine) as s:
        load_catalogue(s)
        providers = [ProviderCompany(name=f"杭州第{i + 1}服务网点") for i in range(40)]
        s.add_all(providers)
        s.commit()
        provider_ids = [p.id for p in providers]
    cells = districts(rng)
    gen = technician_rows(rng, n, provider_ids, cells)

    def batches(size=5000):
        while True:
            chunk = [row for _, row in zip(range(size), gen)]
            if not chunk:
                return
            yield chunk

    t0 = time.perf_counter()
    (load_sqlite if engine.dialect.name == "sqlite" else load_postgres)(engine, batches(), n)
    return time.perf_counter() - t0


# ---- the queries ----------------------------------------------------------------------------------------


def random_jobs(rng: random.Random, n: int, entries: list[dict]):
    from app.technicians.candidates import JobNeed

    for _ in range(n):
        e = rng.choice(entries)
        lon, lat = home_location(rng)
        day = BASE_DAY + timedelta(days=rng.randint(0, 13))
        start_h = rng.randint(8, 17)
        start = datetime(day.year, day.month, day.day, start_h, 0, tzinfo=TZ)
        yield JobNeed(lon, lat, start, start + timedelta(hours=rng.choice([2, 2, 4])), e["duration_minutes"],
                      tuple(e["skills"]))


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def plan_of(session: Session, need, limit: int) -> str:
    from app.technicians.candidates import candidate_query

    conn = session.connection()
    # On PostGIS, the nearest-first walk the service tries first.
    sql, params = candidate_query(conn.dialect.name, need, limit, TZ, walk=conn.dialect.name == "postgresql")
    compiled = sql.bindparams(**params).compile(dialect=conn.dialect)
    if conn.dialect.name == "sqlite":
        params = tuple(compiled.params[k] for k in compiled.positiontup)
        return "\n".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + compiled.string, params))
    rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, COSTS OFF) " + compiled.string, compiled.params)
    return "\n".join(r[0] for r in rows)


# Variants timed side by side on PostgreSQL (each query runs in every variant, in rotating order):
# as built; with JIT allowed again; and as before issue #13 (JIT on, no skill_codes pre-filter).
VARIANTS = {"as_built": (False, True), "jit_on": (True, True), "before_13": (True, False)}
_HOLDS = re.compile(r"t\.skill_codes @> CAST\(ARRAY\[[^\]]*\] AS varchar\(40\)\[\]\) AND ")


def _set_variant(session, name: str) -> None:
    from app.technicians import candidates

    jit, prefilter = VARIANTS[name]
    session.execute(text(f"SET jit = {'on' if jit else 'off'}"))
    if not hasattr(candidates, "_bench_original_query_text"):
        candidates._bench_original_query_text = candidates._query_text
    original = candidates._bench_original_query_text
    candidates._query_text = original if prefilter else (
        lambda *a, **kw: text(_HOLDS.sub("", original(*a, **kw).text)))


def run_queries(engine, queries: int, limit: int, seed: int, warmup: int = 50, compare: bool = False):
    from app.catalogue.service import catalogue_data
    from app.technicians.candidates import candidates_for_need

    rng = random.Random(seed + 1)
    entries = catalogue_data()["entries"]
    jobs = list(random_jobs(rng, queries + warmup, entries))
    names = list(VARIANTS) if compare else ["as_built"]
    latencies: dict[str, list[float]] = {n: [] for n in names}
    returned = []
    with Session(engine) as s:
        for need in jobs[:warmup]:
            for name in names:
                if compare:
                    _set_variant(s, name)
                candidates_for_need(s, need, limit)
        for q, need in enumerate(tqdm(jobs[warmup:], desc="candidate queries", unit="q", file=sys.stderr)):
            for k in range(len(names)):
                name = names[(q + k) % len(names)]
                if compare:
                    _set_variant(s, name)
                t0 = time.perf_counter()
                found = candidates_for_need(s, need, limit)
                latencies[name].append((time.perf_counter() - t0) * 1000)
                if name == "as_built":
                    returned.append(len(found))
                s.expunge_all()  # each query starts cold in the session, as a request would
        if compare:
            _set_variant(s, "as_built")
        plan = plan_of(s, jobs[warmup], limit)
        s.rollback()
    return latencies, returned, plan


# ---- report ------------------------------------------------------------------------------------------------


def plot(latencies: list[float], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.hist(latencies, bins=80, color="#3a7ca5")
    for q, style in ((0.5, "-"), (0.95, "--"), (0.99, ":")):
        v = percentile(latencies, q)
        ax.axvline(v, color="#d1495b", linestyle=style, label=f"p{int(q * 100)} = {v:.2f} ms")
    ax.axvline(TARGET_P99_MS, color="black", linewidth=0.8, label=f"target p99 = {TARGET_P99_MS:g} ms")
    ax.set_xlabel("candidate query latency (ms)")
    ax.set_ylabel("queries")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", help="default: scratch PostgreSQL database shifu_bench (created and migrated)")
    ap.add_argument("--pg-admin-url", default=DEFAULT_PG_ADMIN, help="server used to create shifu_bench")
    ap.add_argument("--technicians", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--limit", type=int, default=20, help="candidates asked for per query")
    ap.add_argument("--seed", type=int, default=2031)
    ap.add_argument("--reuse", action="store_true", help="keep an existing roster of the same size instead of reloading")
    ap.add_argument("--no-compare", action="store_true",
                    help="time only the query as built (default on PostgreSQL: also with JIT on, and as before #13)")
    ap.add_argument("--output", help="default bench-results/candidates.json (candidates-sqlite.json on SQLite)")
    args = ap.parse_args(argv)
    if args.technicians < 1 or args.queries < 1 or not 1 <= args.limit <= 100:
        ap.error("--technicians and --queries must be positive, --limit between 1 and 100")

    from app.db import make_engine

    try:
        url = prepare_database(args.database_url, args.pg_admin_url, fresh=not args.reuse)
        engine = make_engine(url)
        with Session(engine) as s:
            from app.technicians.models import Technician

            have = s.scalar(select(func.count()).select_from(Technician))
    except Exception as exc:  # a bad URL or an unreachable server: say so in one line
        print(f"bench_candidates: cannot prepare the database: {exc.__class__.__name__}: {str(exc).splitlines()[0]}",
              file=sys.stderr)
        return 2
    backend = engine.dialect.name
    load_s = None
    if have != args.technicians:
        if have:
            print(f"bench_candidates: the database already holds {have} technicians; "
                  "drop --reuse or point --database-url at an empty database", file=sys.stderr)
            return 2
        load_s = build_roster(engine, args.technicians, args.seed)
        print(f"loaded {args.technicians:,} technicians in {load_s:.1f} s "
              f"({args.technicians / load_s:,.0f}/s)")

    load_before = os.getloadavg()
    compare = backend == "postgresql" and not args.no_compare
    by_variant, returned, plan = run_queries(engine, args.queries, args.limit, args.seed, compare=compare)
    load_after = os.getloadavg()
    engine.dispose()

    def figures(lat: list[float]) -> dict:
        return {"p50_ms": percentile(lat, 0.50), "p95_ms": percentile(lat, 0.95), "p99_ms": percentile(lat, 0.99),
                "max_ms": max(lat), "mean_ms": statistics.fmean(lat), "queries_per_s": 1000 / statistics.fmean(lat)}

    latencies = by_variant["as_built"]
    summary = figures(latencies)
    variants = {name: figures(lat) for name, lat in by_variant.items()}
    rows = {
        "mean": statistics.fmean(returned), "p50": percentile(returned, 0.5), "min": min(returned),
        "max": max(returned), "queries_with_none": sum(1 for r in returned if r == 0),
        "queries_with_full_limit": sum(1 for r in returned if r == args.limit),
    }
    target_met = backend != "postgresql" or summary["p99_ms"] <= TARGET_P99_MS
    print(f"\ncandidate query on {backend}, {args.technicians:,} technicians, {args.queries:,} queries, "
          f"limit {args.limit}")
    print("  latency ms: p50 {p50_ms:.2f}  p95 {p95_ms:.2f}  p99 {p99_ms:.2f}  max {max_ms:.2f}  "
          "mean {mean_ms:.2f}  ({queries_per_s:.0f} queries/s, one connection)".format(**summary))
    if compare:
        print("  side by side, the same queries in rotating order (jit_on: JIT allowed again; before_13: JIT on and "
              "no skill_codes pre-filter):")
        for name, f in variants.items():
            print(f"    {name:<9} p50 {f['p50_ms']:.2f}  p95 {f['p95_ms']:.2f}  p99 {f['p99_ms']:.2f}  "
                  f"mean {f['mean_ms']:.2f}")
    print(f"  rows returned: mean {rows['mean']:.1f}, median {rows['p50']:.0f}, min {rows['min']}, max {rows['max']}; "
          f"{rows['queries_with_none']} queries found nobody, {rows['queries_with_full_limit']} filled the limit")
    # Other work shares this machine; a busy machine stretches every figure above.
    print(f"  machine load average (1 min) before/after: {load_before[0]:.1f} / {load_after[0]:.1f} on {os.cpu_count()} CPUs")
    if backend == "postgresql":
        print(f"  target p99 <= {TARGET_P99_MS:g} ms: {'met' if target_met else 'MISSED'}")

    default_name = "candidates.json" if backend == "postgresql" else f"candidates-{backend}.json"
    out = Path(args.output or ROOT / "bench-results" / default_name)
    out.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "benchmark": "candidates", "backend": backend, "technicians": args.technicians, "queries": args.queries,
        "limit": args.limit, "seed": args.seed, "load_seconds": load_s, "latency": summary, "variants": variants, "rows_returned": rows,
        "target_p99_ms": TARGET_P99_MS if backend == "postgresql" else None, "target_met": target_met if backend == "postgresql" else None,
        "sample_plan": plan, "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "loadavg_before": load_before, "loadavg_after": load_after},
        "at": datetime.now(timezone.utc).isoformat(),
    }
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    png = out.with_suffix(".png")
    plot(latencies, png, f"candidate query, {backend}, {args.technicians:,} technicians")
    print(f"  wrote {out} and {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
