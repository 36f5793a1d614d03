"""Benchmark order intake over HTTP on the production path, side by side with a bare FastAPI + psycopg anchor.

One PostGIS database is migrated and given everything production has: the catalogue, the process
templates (checklists with SLA clocks), the default price list and warranty policies (app/reference.py),
and the demo city's 60 technicians (so coverage and service hours are checked, and urgent work is
offered at once, as in production). Each variant gets its own copy of it and its own uvicorn:

- `shifu`: the API as built (app.main.create_app);
- `anchor`: a minimal FastAPI + psycopg endpoint writing the same rows (scripts/bench_intake_apps.py);
- `shifu-no-event-rows`: Shifu with the event stream's rows dropped before each flush (what #8 costs).

Orders are a brand's after-sales feed (every service type, 1-3 appliances, 1-2 windows, a fifth
urgent, purchase dates in and out of warranty) inside the covered city, each with its own
Idempotency-Key. The variants are driven in interleaved rounds by the same httpx load generator, so a
change in the machine's load hits all of them alike. Reported per variant: orders/s, p50/p95/p99,
API and PostgreSQL CPU per order, statements per order (counted in the apps, sent back per request),
rows written per order, and Shifu's ratio to the anchor; then checks (one order per 201, replays
create nothing). JSON and a plot go to bench-results/.

    .venv/bin/python scripts/bench_intake.py                         # 2,000 orders per variant, 2 workers
    .venv/bin/python scripts/bench_intake.py --orders 600 --variants shifu,anchor
"""

import argparse
import asyncio
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from tqdm import tqdm  # noqa: E402

import app.wiring  # noqa: E402,F401  (the demo city's orders get their checklists, bills and clocks)

DEFAULT_PG_ADMIN = os.environ.get("SHIFU_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TZ = ZoneInfo("Asia/Shanghai")
TARGETS = {"ratio_to_anchor": 0.7, "api_cpu_ms_per_order": 3.0, "statements_per_order": 10, "orders_per_s": 300.0,
           "p99_ms": 100.0}
VARIANTS = {
    "shifu": "bench_intake_apps:shifu",
    "anchor": "bench_intake_apps:anchor",
    "shifu-no-event-rows": "bench_intake_apps:shifu_without_event_rows",
}
CATEGORIES = ["air_conditioner", "tv", "refrigerator", "washing_machine", "water_heater", "water_purifier",
              "range_hood", "dishwasher", "small_appliance"]
# Intake mix of a brand's after-sales feed: mostly installs and repairs.
SERVICE_MIX = [("install", 30), ("delivery_install", 20), ("repair", 25), ("maintenance", 10), ("delivery", 7),
               ("uninstall", 4), ("relocation", 4)]
URGENCY_MIX = [("normal", 80), ("urgent", 15), ("emergency", 5)]
# Tables an order's intake writes, for the rows-per-order comparison of the variants.
TABLES = ["orders", "order_appliances", "order_windows", "jobs", "job_events", "events", "job_nodes",
          "charge_sheets", "warranty_decisions", "job_offers", "idempotency_records"]


def fail(msg: str) -> None:
    print(f"bench_intake: {msg}", file=sys.stderr)
    sys.exit(2)


# ---- the databases ------------------------------------------------------------------------------------------


def admin_engine(admin_url: str):
    from app.db import make_engine

    return make_engine(admin_url, isolation_level="AUTOCOMMIT")


def prepare_template(admin_url: str) -> tuple[str, str, str]:
    """A migrated database with the production reference data and the demo city; (name, url, api key)."""
    from app.clients import service as clients
    from app.clients.schemas import ClientCreate
    from app.db import make_engine
    from app.demo.seed import ensure_loaded
    from app.scratchdb import create_postgis_database, migrate

    try:
        url, _ = create_postgis_database(admin_url, prefix="shifu_bench_intake_tpl")
    except Exception as exc:
        fail(f"cannot create a scratch database through {admin_url}: {exc.__class__.__name__}: {exc}".splitlines()[0])
    try:
        migrate(url)
        engine = make_engine(url)
        with Session(engine) as s:
            ensure_loaded(s, demo=True)
            client = clients.create_client(s, ClientCreate(name="美的 Midea (bench)"))
            _, key = clients.issue_api_key(s, client.id, "bench")
            s.commit()
        engine.dispose()
    except BaseException:
        drop(admin_engine(admin_url), [url.rsplit("/", 1)[1]])
        raise
    return url.rsplit("/", 1)[1], url, key


def clone(admin, admin_url: str, template: str, variant: str) -> str:
    name = f"{template.replace('_tpl', '')}_{variant.replace('-', '_')}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop(admin, names: list[str]) -> None:
    with admin.connect() as c:
        for name in names:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def row_counts(url: str) -> dict[str, int]:
    from app.db import make_engine

    engine = make_engine(url)
    with engine.connect() as c:
        out = {t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    engine.dispose()
    return out


# ---- the orders ---------------------------------------------------------------------------------------------


def make_bodies(n: int, seed: int, url: str) -> list[dict]:
    """Orders the city can serve: inside a district, in service hours, with a covering technician."""
    from app.catalogue.service import entry_for
    from app.db import make_engine
    from app.demo.city import DISTRICTS
    from app.technicians import coverage

    rng = random.Random(seed)
    kinds, kind_w = zip(*SERVICE_MIX)
    urgencies, urgency_w = zip(*URGENCY_MIX)
    today = datetime.now(TZ).date()
    boxes = [d[2] for d in DISTRICTS.values()]
    engine = make_engine(url)
    covered: dict[tuple, bool] = {}
    out: list[dict] = []
    with Session(engine) as s:
        bar = tqdm(total=n, desc="orders the city can serve", unit="order", file=sys.stderr, leave=False)
        while len(out) < n:
            kind = rng.choices(kinds, kind_w)[0]
            x0, y0, x1, y1 = rng.choice(boxes)
            lon, lat = round(rng.uniform(x0, x1), 5), round(rng.uniform(y0, y1), 5)
            appliances = [
                {"category": rng.choice(CATEGORIES), "brand": "美的 Midea", "model": f"M{rng.randint(100, 999)}",
                 "serial": f"SN{seed}{len(out):07d}{j}", "quantity": rng.choice([1, 1, 1, 2]),
                 "purchase_date": (today - timedelta(days=rng.randint(20, 1500))).isoformat()}
                for j in range(rng.choice([1, 1, 1, 2, 3]))
            ]
            steps = ("delivery", "install") if kind == "delivery_install" else (kind,)
            ok = True
            for a in appliances:
                for step in steps:
                    skills = list(entry_for(s, a["category"], step, "category").skills)
                    cell = (round(lon, 2), round(lat, 2), tuple(skills))
                    if cell not in covered:
                        covered[cell] = coverage.covering_technicians(s, lon, lat, skills) > 0
                    ok = ok and covered[cell]
            if not ok:
                continue
            start = datetime.combine(today + timedelta(days=rng.randint(1, 14)), datetime.min.time(), TZ).replace(
                hour=rng.choice([9, 10, 13, 14, 15, 17]))
            windows = [{"start": start.isoformat(), "end": (start + timedelta(hours=rng.choice([2, 3]))).isoformat()}]
            if rng.random() < 0.3:
                later = start + timedelta(days=1)
                windows.append({"start": later.isoformat(), "end": (later + timedelta(hours=3)).isoformat()})
            body = {
                "service_type": kind, "appliances": appliances,
                "contact": {"name": "王女士", "phone": f"138{rng.randint(0, 10**8 - 1):08d}"},
                "address": f"杭州市西湖区文三路 {rng.randint(1, 999)} 号", "location": {"lon": lon, "lat": lat},
                "windows": windows, "urgency": rng.choices(urgencies, urgency_w)[0],
                "external_order_id": f"MIDEA-{seed}-{len(out):07d}",
            }
            if kind == "repair":
                body["problem_description"] = "不制冷，外机有异响"
            out.append(body)
            bar.update(1)
        bar.close()
    engine.dispose()
    return out


# ---- the servers ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(factory: str, url: str, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "SHIFU_DATABASE_URL": url, "SHIFU_LOAD_DEMO": "false", "SHIFU_TASK_QUEUE": "thread"}
    cmd = [sys.executable, "-m", "uvicorn", factory, "--factory", "--app-dir", str(ROOT / "scripts"),
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--no-access-log",
           "--log-level", "warning"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            fail(f"uvicorn ({factory}) exited with code {proc.returncode} before it was ready")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_server(proc)
    fail(f"uvicorn ({factory}) did not become ready within 90 s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(root_pid: int) -> float:
    """CPU time (user + system) used so far by uvicorn and its worker processes."""
    total = _cpu_of(root_pid)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if ppid == root_pid:
                total += _cpu_of(int(entry.name))
    return total


def backend_cpu(admin, database: str) -> dict[int, float]:
    """CPU so far of each PostgreSQL backend connected to `database` (its server processes, not the
    shared WAL writer or checkpointer, and not other users of the machine's PostgreSQL)."""
    with admin.connect() as c:
        pids = c.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :d"), {"d": database}).scalars()
        return {pid: _cpu_of(pid) for pid in pids}


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(v - before.get(pid, 0.0) for pid, v in after.items())


# ---- the load -----------------------------------------------------------------------------------------------


async def drive(port: int, api_key: str, bodies: list[bytes], keys: list[str], concurrency: int, label: str) -> dict:
    """Post every body with its key from `concurrency` workers."""
    latencies: list[float] = []
    statements: list[int] = []
    codes: dict[int, int] = {}
    replayed = 0
    next_index = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    bar = tqdm(total=len(bodies), desc=label, unit="order", file=sys.stderr, smoothing=0.05, leave=False)
    t_start = time.perf_counter()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60) as client:
        async def worker():
            nonlocal next_index, replayed
            while next_index < len(bodies):
                i = next_index
                next_index += 1
                headers = {"X-API-Key": api_key, "Idempotency-Key": keys[i], "Content-Type": "application/json"}
                t0 = time.perf_counter()
                try:
                    r = await client.post("/v1/orders", content=bodies[i], headers=headers)
                    code = r.status_code
                    replayed += r.headers.get("Idempotent-Replayed") == "true"
                    if code == 201 and "x-bench-statements" in r.headers:
                        statements.append(int(r.headers["x-bench-statements"]))
                    if code >= 400 and sum(codes.get(c, 0) for c in codes if c >= 400) < 3:
                        print(f"\n{label}: {code} {r.text[:300]}", file=sys.stderr)
                except httpx.HTTPError:
                    code = 0
                latencies.append(time.perf_counter() - t0)
                codes[code] = codes.get(code, 0) + 1
                bar.update(1)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    bar.close()
    return {"elapsed_s": time.perf_counter() - t_start, "latencies_s": latencies, "codes": codes,
            "replayed": replayed, "statements": statements}


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s)) - 1))]


class Tally:
    """One variant's measured rounds, added up."""

    def __init__(self):
        self.elapsed = self.api_cpu = self.pg_cpu = 0.0
        self.latencies: list[float] = []
        self.statements: list[int] = []
        self.codes: dict[int, int] = {}
        self.loads: list[float] = []

    def add(self, run: dict, api_cpu: float, pg_cpu: float) -> None:
        self.elapsed += run["elapsed_s"]
        self.api_cpu += api_cpu
        self.pg_cpu += pg_cpu
        self.latencies += run["latencies_s"]
        self.statements += run["statements"]
        for k, v in run["codes"].items():
            self.codes[k] = self.codes.get(k, 0) + v
        self.loads.append(os.getloadavg()[0])

    def summary(self) -> dict:
        ok = self.codes.get(201, 0)
        n = max(1, sum(self.codes.values()))
        lat = [x * 1000 for x in self.latencies]
        return {
            "requests": sum(self.codes.values()), "created_201": ok,
            "status_codes": {str(k): v for k, v in sorted(self.codes.items())},
            "elapsed_s": round(self.elapsed, 2),
            "orders_per_s": round(ok / self.elapsed, 1) if self.elapsed else 0.0,
            "latency_ms": {"p50": round(pct(lat, 50), 1), "p95": round(pct(lat, 95), 1),
                           "p99": round(pct(lat, 99), 1), "max": round(max(lat), 1) if lat else None,
                           "mean": round(statistics.fmean(lat), 1) if lat else None},
            "cpu_ms_per_order": {"api": round(self.api_cpu * 1000 / n, 2), "postgresql": round(self.pg_cpu * 1000 / n, 2)},
            "statements_per_order": {
                "mean": round(statistics.fmean(self.statements), 1) if self.statements else None,
                "min": min(self.statements, default=None), "max": max(self.statements, default=None)},
            "load_average_1m_per_round": [round(x, 2) for x in self.loads],
        }


def plot(result: dict, tallies: dict[str, Tally], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colours = {"shifu": "#3b7dd8", "anchor": "#888888", "shifu-no-event-rows": "#e08a2c"}
    fig, (a, b, c) = plt.subplots(1, 3, figsize=(16, 4.8))
    for name, t in tallies.items():
        lat = sorted(x * 1000 for x in t.latencies)
        if lat:
            a.plot(lat, [i / len(lat) for i in range(len(lat))], label=name, color=colours.get(name))
    a.axvline(TARGETS["p99_ms"], color="r", linestyle=":", label=f"p99 target {TARGETS['p99_ms']:.0f} ms")
    a.axhline(0.99, color="k", linewidth=0.5)
    a.set_xscale("log")
    a.set_xlabel("latency per order POST (ms, log)")
    a.set_ylabel("share of requests")
    a.legend()
    names = list(tallies)
    m = result["variants"]
    b.bar(names, [m[n]["orders_per_s"] for n in names], color=[colours.get(n) for n in names])
    b.set_ylabel("orders/s")
    b.set_title("throughput (same rounds, interleaved)")
    x = range(len(names))
    c.bar([i - 0.2 for i in x], [m[n]["cpu_ms_per_order"]["api"] for n in names], width=0.4, label="API")
    c.bar([i + 0.2 for i in x], [m[n]["cpu_ms_per_order"]["postgresql"] for n in names], width=0.4, label="PostgreSQL")
    c.axhline(TARGETS["api_cpu_ms_per_order"], color="r", linestyle=":", label="API target")
    c.set_xticks(list(x), names)
    c.set_ylabel("CPU ms per order")
    c.legend()
    cfg = result["config"]
    fig.suptitle(f"Order intake on PostGIS, production path: {cfg['workers']} uvicorn workers, concurrency "
                 f"{cfg['concurrency']}, load average {result['machine']['load_average_at_end'][0]:.1f}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", default=DEFAULT_PG_ADMIN,
                    help="PostgreSQL URL of a database to connect to for creating the scratch databases")
    ap.add_argument("--variants", default="shifu,anchor,shifu-no-event-rows",
                    help=f"comma-separated, of: {', '.join(VARIANTS)}")
    ap.add_argument("--orders", type=int, default=2000, help="measured orders per variant")
    ap.add_argument("--rounds", type=int, default=4, help="interleaved rounds the orders are split into")
    ap.add_argument("--warmup", type=int, default=200, help="orders per variant posted first and not measured")
    ap.add_argument("--concurrency", type=int, default=16, help="requests in flight at once")
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes per variant")
    ap.add_argument("--replays", type=int, default=100, help="keys re-sent afterwards; must create nothing")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=str(ROOT / "bench-results" / "intake.json"))
    ap.add_argument("--keep", action="store_true", help="keep the scratch databases")
    args = ap.parse_args()
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    if not args.database_url.startswith("postgresql"):
        fail("--database-url must be a PostgreSQL URL (the benchmark measures the production database)")
    if unknown := [v for v in variants if v not in VARIANTS]:
        fail(f"unknown variant(s) {unknown}; known: {list(VARIANTS)}")
    if args.orders < args.rounds or args.concurrency < 1 or args.workers < 1:
        fail("--orders must be at least --rounds; --concurrency and --workers at least 1")

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    admin = admin_engine(args.database_url)
    print("preparing the production reference data and the demo city ...", file=sys.stderr)
    template, template_url, api_key = prepare_template(args.database_url)
    created = [template]
    servers: dict[str, subprocess.Popen] = {}
    ports: dict[str, int] = {}
    urls: dict[str, str] = {}
    tallies = {v: Tally() for v in variants}
    try:
        n = args.warmup + args.orders
        bodies = make_bodies(n, args.seed, template_url)
        base_rows = row_counts(template_url)
        for v in variants:
            urls[v] = clone(admin, args.database_url, template, v)
            created.append(urls[v].rsplit("/", 1)[1])
        # Every variant gets the same orders, with its own keys (and the same external ids, in its own db).
        payload = [json.dumps(b, ensure_ascii=False).encode() for b in bodies]
        keys = {v: [f"bench-{v}-{i}-{uuid.uuid4().hex[:8]}" for i in range(n)] for v in variants}
        for v in variants:
            ports[v] = free_port()
            servers[v] = start_server(VARIANTS[v], urls[v], ports[v], args.workers)
        print(f"{len(variants)} variants on uvicorn x{args.workers}; concurrency {args.concurrency}; "
              f"{args.orders} orders each in {args.rounds} interleaved rounds", file=sys.stderr)
        for v in variants:
            asyncio.run(drive(ports[v], api_key, payload[:args.warmup], keys[v][:args.warmup], args.concurrency,
                              f"{v} warm-up"))
        chunk = args.orders // args.rounds
        for r in range(args.rounds):
            lo = args.warmup + r * chunk
            hi = args.warmup + args.orders if r == args.rounds - 1 else lo + chunk
            order = variants if r % 2 == 0 else variants[::-1]  # neither always first nor always last
            for v in order:
                db = urls[v].rsplit("/", 1)[1]
                api0, pg0 = server_cpu(servers[v].pid), backend_cpu(admin, db)
                run = asyncio.run(drive(ports[v], api_key, payload[lo:hi], keys[v][lo:hi], args.concurrency,
                                        f"round {r + 1}/{args.rounds} {v}"))
                tallies[v].add(run, server_cpu(servers[v].pid) - api0, cpu_delta(pg0, backend_cpu(admin, db)))
            print(f"round {r + 1}/{args.rounds}: " + ", ".join(
                f"{v} {tallies[v].summary()['orders_per_s']}/s" for v in variants) +
                f" (load {os.getloadavg()[0]:.1f})", file=sys.stderr)
        checks = {}
        sample = random.Random(args.seed).sample(range(n), min(args.replays, n))
        for v in variants:
            before = row_counts(urls[v])
            replay = asyncio.run(drive(ports[v], api_key, [payload[i] for i in sample], [keys[v][i] for i in sample],
                                       args.concurrency, f"{v} replays")) if sample else None
            after = row_counts(urls[v])
            created_total = before["orders"] - base_rows["orders"]
            checks[v] = {
                "orders_in_database": created_total,
                "one_order_per_201": created_total == tallies[v].codes.get(201, 0) + args.warmup,
                "replays_sent": len(sample), "replays_answered_as_replayed": replay["replayed"] if replay else 0,
                "orders_created_by_replays": after["orders"] - before["orders"],
                "rows_per_order": {t: round((before[t] - base_rows[t]) / max(1, created_total), 2) for t in TABLES},
            }
    finally:
        for proc in servers.values():
            stop_server(proc)
        if not args.keep:
            drop(admin, created)
        admin.dispose()

    measured = {v: tallies[v].summary() for v in variants}
    ratio = {}
    if "anchor" in measured:
        anchor_rate = measured["anchor"]["orders_per_s"] or float("nan")
        ratio = {v: round(measured[v]["orders_per_s"] / anchor_rate, 3) for v in variants if v != "anchor"}
    events_cost = None
    if "shifu" in measured and "shifu-no-event-rows" in measured:
        with_rows, without = measured["shifu"], measured["shifu-no-event-rows"]
        events_cost = {
            "api_cpu_share": round(1 - without["cpu_ms_per_order"]["api"] / with_rows["cpu_ms_per_order"]["api"], 3),
            "postgresql_cpu_share": round(
                1 - without["cpu_ms_per_order"]["postgresql"] / with_rows["cpu_ms_per_order"]["postgresql"], 3),
            "throughput_share": round(1 - with_rows["orders_per_s"] / without["orders_per_s"], 3),
        }
    s = measured.get("shifu")
    result = {
        "benchmark": "order intake, production path (POST /v1/orders with Idempotency-Key), Shifu vs anchor",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_at_end": list(os.getloadavg())},
        "config": {"orders_per_variant": args.orders, "rounds": args.rounds, "warmup": args.warmup,
                   "concurrency": args.concurrency, "workers": args.workers, "seed": args.seed,
                   "database": "PostgreSQL/PostGIS, migrated, reference data + demo city (60 technicians)",
                   "mix": {"service_types": dict(SERVICE_MIX), "urgency": dict(URGENCY_MIX)}},
        "variants": measured,
        "shifu_over_anchor_throughput": ratio,
        "event_rows_cost": events_cost,
        "checks": checks,
        "targets": TARGETS,
        "met": {} if s is None else {
            "ratio_to_anchor": ratio.get("shifu", 0) >= TARGETS["ratio_to_anchor"],
            "api_cpu_ms_per_order": s["cpu_ms_per_order"]["api"] <= TARGETS["api_cpu_ms_per_order"],
            "statements_per_order": (s["statements_per_order"]["mean"] or 99) <= TARGETS["statements_per_order"],
            "orders_per_s": s["orders_per_s"] >= TARGETS["orders_per_s"],
            "p99_ms": s["latency_ms"]["p99"] <= TARGETS["p99_ms"],
        },
    }
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    try:
        plot(result, tallies, out.with_suffix(".png"))
        plotted = f", plot {out.with_suffix('.png')}"
    except ImportError:
        plotted = " (matplotlib not installed: no plot)"

    print(f"order intake on PostGIS, production path; {args.workers} uvicorn workers, concurrency "
          f"{args.concurrency}, {args.orders} orders per variant in {args.rounds} interleaved rounds")
    print(f"  {'variant':<20} {'orders/s':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'API ms':>7} {'PG ms':>6} "
          f"{'stmts':>6}  codes")
    for v, m in measured.items():
        lat, cpu = m["latency_ms"], m["cpu_ms_per_order"]
        print(f"  {v:<20} {m['orders_per_s']:>8} {lat['p50']:>7} {lat['p95']:>7} {lat['p99']:>7} {cpu['api']:>7} "
              f"{cpu['postgresql']:>6} {m['statements_per_order']['mean']!s:>6}  {m['status_codes']}")
    if ratio:
        print("  throughput over the anchor: " + ", ".join(f"{k} {x}x" for k, x in ratio.items())
              + f" (target >= {TARGETS['ratio_to_anchor']}x)")
    if events_cost:
        print(f"  event rows cost: {events_cost['api_cpu_share']:.1%} of API CPU, "
              f"{events_cost['postgresql_cpu_share']:.1%} of PostgreSQL CPU, "
              f"{events_cost['throughput_share']:.1%} of throughput (target <= 10%)")
    for v, c in checks.items():
        print(f"  {v}: {c['orders_in_database']} orders (one per 201: {c['one_order_per_201']}); replays "
              f"{c['replays_answered_as_replayed']}/{c['replays_sent']} replayed, {c['orders_created_by_replays']} new; "
              "rows/order " + " ".join(f"{t}={x}" for t, x in c["rows_per_order"].items() if x))
    print(f"  load average at end: {', '.join(f'{x:.1f}' for x in result['machine']['load_average_at_end'])}")
    print(f"  results {out}{plotted}")


if __name__ == "__main__":
    main()
