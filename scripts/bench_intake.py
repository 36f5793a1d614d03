"""Benchmark order intake over HTTP with Idempotency-Keys (targets on PostGIS: >= 300 orders/s, p99 <= 50 ms).

Creates a scratch PostgreSQL/PostGIS database, migrates it with Alembic, loads the catalogue and a
brand with an API key, starts the API with uvicorn on loopback, then posts N realistic Hangzhou
orders (every service type, 1-3 appliances, 1-2 windows, unique external ids), each with its own
Idempotency-Key, from an httpx client with bounded concurrency. Afterwards it checks the database
holds exactly one order per accepted request and replays a sample of keys (which must create
nothing). Prints the figures, writes JSON and a plot, and drops the scratch database.

    .venv/bin/python scripts/bench_intake.py                          # 5,000 orders, 2 workers
    .venv/bin/python scripts/bench_intake.py --orders 2000 --workers 1 --concurrency 8
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
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from tqdm import tqdm  # noqa: E402

DEFAULT_PG_ADMIN = os.environ.get("SHIFU_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TZ = ZoneInfo("Asia/Shanghai")
BBOX = (119.95, 30.05, 120.45, 30.45)
TARGET_RATE, TARGET_P99_MS = 300.0, 50.0
CATEGORIES = ["air_conditioner", "tv", "refrigerator", "washing_machine", "water_heater", "water_purifier",
              "range_hood", "dishwasher", "small_appliance"]
# Intake mix of a brand's after-sales feed: mostly installs and repairs.
SERVICE_MIX = [("install", 30), ("delivery_install", 20), ("repair", 25), ("maintenance", 10), ("delivery", 7),
               ("uninstall", 4), ("relocation", 4)]


def fail(msg: str) -> None:
    print(f"bench_intake: {msg}", file=sys.stderr)
    sys.exit(2)


# ---- the scratch database -------------------------------------------------------------------------------


def create_database(admin_url: str) -> tuple[str, callable]:
    from app.scratchdb import create_postgis_database

    try:
        return create_postgis_database(admin_url, prefix="shifu_bench_intake")
    except Exception as exc:
        fail(f"cannot create a scratch database through {admin_url}: {exc.__class__.__name__}: {exc}".splitlines()[0])


def prepare(url: str) -> str:
    """Migrate, load the catalogue, create a brand; returns its API key."""
    from app.catalogue.service import load_catalogue
    from app.clients import service as clients
    from app.clients.schemas import ClientCreate
    from app.db import make_engine
    from app.scratchdb import migrate

    migrate(url)
    engine = make_engine(url)
    with Session(engine) as s:
        load_catalogue(s)
        client = clients.create_client(s, ClientCreate(name="美的 Midea (bench)"))
        _, key = clients.issue_api_key(s, client.id, "bench")
        s.commit()
    engine.dispose()
    return key


def count_orders(url: str) -> int:
    from app.db import make_engine
    from app.orders.models import Order

    engine = make_engine(url)
    with Session(engine) as s:
        n = s.scalar(select(func.count()).select_from(Order))
    engine.dispose()
    return n


# ---- the server ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int, workers: int) -> subprocess.Popen:
    # The scratch city has no technicians and orders windows into the evening: the coverage and
    # service-hours refusals (measured nowhere here) are switched off, so every order is accepted.
    env = {**os.environ, "SHIFU_DATABASE_URL": url, "SHIFU_LOAD_DEMO": "false", "SHIFU_REQUIRE_COVERAGE": "false",
           "SHIFU_SERVICE_HOURS": ""}
    cmd = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            fail(f"uvicorn exited with code {proc.returncode} before it was ready")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(proc)
    fail("uvicorn did not become ready within 60 s")


def cpu_seconds(root_pid: int) -> float:
    """CPU time (user + system) used so far by a process and its children (the uvicorn workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == root_pid or ppid == root_pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# ---- the load -----------------------------------------------------------------------------------------------


def make_bodies(n: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    kinds, weights = zip(*SERVICE_MIX)
    now = datetime.now(timezone.utc)
    out = []
    for i in range(n):
        kind = rng.choices(kinds, weights)[0]
        start = (now + timedelta(days=rng.randint(1, 14))).astimezone(TZ).replace(
            hour=rng.choice([9, 10, 13, 14, 15, 18]), minute=0, second=0, microsecond=0
        )
        windows = [{"start": start.isoformat(), "end": (start + timedelta(hours=rng.choice([2, 3, 4]))).isoformat()}]
        if rng.random() < 0.3:
            later = start + timedelta(days=1)
            windows.append({"start": later.isoformat(), "end": (later + timedelta(hours=3)).isoformat()})
        body = {
            "service_type": kind,
            "appliances": [
                {"category": rng.choice(CATEGORIES), "brand": "美的 Midea", "model": f"M{rng.randint(100, 999)}",
                 "serial": f"SN{seed}{i:07d}{j}", "purchase_date": "2026-06-18", "quantity": rng.choice([1, 1, 1, 2])}
                for j in range(rng.choice([1, 1, 1, 2, 3]))
            ],
            "contact": {"name": "王女士", "phone": f"138{rng.randint(0, 10**8 - 1):08d}"},
            "address": f"杭州市西湖区文三路 {rng.randint(1, 999)} 号",
            "location": {"lon": round(rng.uniform(BBOX[0], BBOX[2]), 6), "lat": round(rng.uniform(BBOX[1], BBOX[3]), 6)},
            "windows": windows,
            "urgency": rng.choice(["normal"] * 8 + ["urgent", "emergency"]),
            "external_order_id": f"MIDEA-{seed}-{i:07d}",
        }
        if kind == "repair":
            body["problem_description"] = "不制冷，外机有异响"
        out.append(json.dumps(body, ensure_ascii=False).encode())
    return out


async def drive(port: int, api_key: str, bodies: list[bytes], keys: list[str], concurrency: int,
                deadline_s: float, label: str) -> dict:
    """Post every body with its key from `concurrency` workers; returns latencies, codes, timings."""
    latencies: list[float] = [0.0] * len(bodies)
    finished_at: list[float] = [0.0] * len(bodies)
    codes: dict[int, int] = {}
    replayed = 0
    next_index = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    bar = tqdm(total=len(bodies), desc=label, unit="order", file=sys.stderr, smoothing=0.05)
    t_start = time.perf_counter()
    stop_at = t_start + deadline_s

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30) as client:
        async def worker():
            nonlocal next_index, replayed
            while next_index < len(bodies) and time.perf_counter() < stop_at:
                i = next_index
                next_index += 1
                headers = {"X-API-Key": api_key, "Idempotency-Key": keys[i], "Content-Type": "application/json"}
                t0 = time.perf_counter()
                try:
                    r = await client.post("/v1/orders", content=bodies[i], headers=headers)
                    code = r.status_code
                    replayed += r.headers.get("Idempotent-Replayed") == "true"
                except httpx.HTTPError:
                    code = 0
                t1 = time.perf_counter()
                latencies[i], finished_at[i] = t1 - t0, t1 - t_start
                codes[code] = codes.get(code, 0) + 1
                bar.update(1)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - t_start
    bar.close()
    done = sum(codes.values())
    return {
        "sent": done, "elapsed_s": elapsed, "codes": codes, "replayed": replayed,
        "latencies_s": latencies[:done] if done == len(bodies) else [x for x in latencies if x > 0],
        "finished_at_s": [x for x in finished_at if x > 0],
        "timed_out": done < len(bodies),
    }


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s)) - 1))]


def summary(run: dict) -> dict:
    ok = run["codes"].get(201, 0)
    lat_ms = [x * 1000 for x in run["latencies_s"]]
    return {
        "requests": run["sent"],
        "created_201": ok,
        "status_codes": {str(k): v for k, v in sorted(run["codes"].items())},
        "replayed": run["replayed"],
        "elapsed_s": round(run["elapsed_s"], 3),
        "orders_per_s": round(ok / run["elapsed_s"], 1) if run["elapsed_s"] else 0.0,
        "latency_ms": {
            "p50": round(pct(lat_ms, 50), 2), "p95": round(pct(lat_ms, 95), 2), "p99": round(pct(lat_ms, 99), 2),
            "max": round(max(lat_ms), 2) if lat_ms else None,
            "mean": round(statistics.fmean(lat_ms), 2) if lat_ms else None,
        },
        "timed_out": run["timed_out"],
    }


def plot(run: dict, result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lat_ms = [x * 1000 for x in run["latencies_s"]]
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4.5))
    a.hist(lat_ms, bins=80, color="#3b7dd8")
    for q, style in ((50, "-"), (99, "--")):
        a.axvline(pct(lat_ms, q), color="k", linestyle=style, label=f"p{q} {pct(lat_ms, q):.1f} ms")
    a.axvline(TARGET_P99_MS, color="r", linestyle=":", label=f"p99 target {TARGET_P99_MS:.0f} ms")
    a.set_xlabel("latency per order POST (ms)")
    a.set_ylabel("requests")
    a.legend()
    finished = sorted(run["finished_at_s"])
    if finished:
        seconds = int(finished[-1]) + 1
        per_s = [0] * seconds
        for t in finished:
            per_s[min(int(t), seconds - 1)] += 1
        b.plot(range(seconds), per_s, color="#3b7dd8", label="orders/s")
    b.axhline(TARGET_RATE, color="r", linestyle=":", label=f"target {TARGET_RATE:.0f}/s")
    b.set_xlabel("seconds into the run")
    b.set_ylabel("orders completed per second")
    b.legend()
    m = result["measured"]
    fig.suptitle(f"Order intake on PostGIS: {m['orders_per_s']} orders/s, p99 {m['latency_ms']['p99']} ms "
                 f"({result['config']['workers']} uvicorn workers, concurrency {result['config']['concurrency']})")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", default=DEFAULT_PG_ADMIN,
                    help="PostgreSQL URL of a database to connect to for creating the scratch database")
    ap.add_argument("--orders", type=int, default=5000)
    ap.add_argument("--warmup", type=int, default=300, help="orders posted first and not measured")
    ap.add_argument("--concurrency", type=int, default=16, help="requests in flight at once")
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    ap.add_argument("--replays", type=int, default=200, help="keys re-sent afterwards; must create nothing")
    ap.add_argument("--time-limit", type=float, default=300, help="seconds allowed for the measured run")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=str(ROOT / "bench-results" / "intake.json"))
    ap.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = ap.parse_args()
    if not args.database_url.startswith("postgresql"):
        fail("--database-url must be a PostgreSQL URL (the benchmark measures the production database)")
    if args.orders < 1 or args.concurrency < 1 or args.workers < 1:
        fail("--orders, --concurrency and --workers must be at least 1")

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    print(f"scratch database via {args.database_url.split('@')[-1]} ...", file=sys.stderr)
    url, drop = create_database(args.database_url)
    proc = None
    try:
        api_key = prepare(url)
        bodies = make_bodies(args.warmup + args.orders, args.seed)
        keys = [f"bench-{args.seed}-{i}-{uuid.uuid4().hex[:8]}" for i in range(len(bodies))]
        port = free_port()
        proc = start_server(url, port, args.workers)
        print(f"uvicorn on 127.0.0.1:{port} with {args.workers} workers; concurrency {args.concurrency}", file=sys.stderr)

        warm = asyncio.run(drive(port, api_key, bodies[:args.warmup], keys[:args.warmup], args.concurrency,
                                 args.time_limit, "warm-up")) if args.warmup else None
        server_cpu, client_cpu = cpu_seconds(proc.pid), time.process_time()
        run = asyncio.run(drive(port, api_key, bodies[args.warmup:], keys[args.warmup:], args.concurrency,
                                args.time_limit, "intake"))
        server_cpu, client_cpu = cpu_seconds(proc.pid) - server_cpu, time.process_time() - client_cpu
        before_replay = count_orders(url)
        sample = random.Random(args.seed).sample(range(len(bodies)), min(args.replays, len(bodies)))
        replay = asyncio.run(drive(port, api_key, [bodies[i] for i in sample], [keys[i] for i in sample],
                                   args.concurrency, 60, "replays")) if sample else None
        after_replay = count_orders(url)
    finally:
        if proc is not None:
            stop_server(proc)
        if not args.keep:
            drop()

    measured = summary(run)
    # CPU per order shows what the run cost regardless of what else the machine was doing.
    measured["cpu_ms_per_order"] = {
        "api_server": round(server_cpu * 1000 / max(1, run["sent"]), 2),
        "load_client": round(client_cpu * 1000 / max(1, run["sent"]), 2),
    }
    created_total = (warm["codes"].get(201, 0) if warm else 0) + measured["created_201"]
    result = {
        "benchmark": "order intake (POST /v1/orders with Idempotency-Key)",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_at_end": list(os.getloadavg())},
        "config": {"orders": args.orders, "warmup": args.warmup, "concurrency": args.concurrency,
                   "workers": args.workers, "database": "PostgreSQL/PostGIS (scratch, migrated with Alembic)",
                   "client": "httpx.AsyncClient over loopback, one Idempotency-Key per order", "seed": args.seed},
        "measured": measured,
        "checks": {
            "orders_in_database": before_replay,
            "orders_created_by_requests": created_total,
            "one_order_per_created_request": before_replay == created_total,
            "replays_sent": replay["sent"] if replay else 0,
            "replays_answered_as_replayed": replay["replayed"] if replay else 0,
            "orders_created_by_replays": after_replay - before_replay,
        },
        "targets": {"orders_per_s": TARGET_RATE, "p99_ms": TARGET_P99_MS},
        "met": {"throughput": measured["orders_per_s"] >= TARGET_RATE,
                "p99": measured["latency_ms"]["p99"] <= TARGET_P99_MS},
    }
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    try:
        plot(run, result, out.with_suffix(".png"))
        plotted = f", plot {out.with_suffix('.png')}"
    except ImportError:
        plotted = " (matplotlib not installed: no plot)"

    m, c = measured, result["checks"]
    lat = m["latency_ms"]
    print(f"order intake on PostgreSQL/PostGIS, {args.workers} uvicorn workers, concurrency {args.concurrency}")
    print(f"  {m['created_201']}/{m['requests']} created in {m['elapsed_s']} s -> {m['orders_per_s']} orders/s "
          f"(target >= {TARGET_RATE:.0f}: {'met' if result['met']['throughput'] else 'MISSED'})")
    print(f"  latency p50 {lat['p50']} ms, p95 {lat['p95']} ms, p99 {lat['p99']} ms, max {lat['max']} ms "
          f"(p99 target <= {TARGET_P99_MS:.0f} ms: {'met' if result['met']['p99'] else 'MISSED'})")
    print(f"  CPU per order: API server {m['cpu_ms_per_order']['api_server']} ms, load client "
          f"{m['cpu_ms_per_order']['load_client']} ms (machine load average at end: "
          f"{', '.join(f'{x:.1f}' for x in result['machine']['load_average_at_end'])})")
    print(f"  status codes {m['status_codes']}; orders in database {c['orders_in_database']} "
          f"(= created: {c['one_order_per_created_request']}); replays {c['replays_answered_as_replayed']}/"
          f"{c['replays_sent']} replayed, {c['orders_created_by_replays']} new orders")
    print(f"  results {out}{plotted}")
    if m["timed_out"]:
        print(f"  NOTE: stopped at the {args.time_limit:.0f} s time limit before all orders were sent")


if __name__ == "__main__":
    main()
