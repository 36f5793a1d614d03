"""Benchmark the live event stream: lag from an order's commit to its arrival at 200 SSE subscribers
(target p99 <= 1 s), and what the subscribers cost the API process.

Creates a scratch PostGIS database (or uses the embedded SQLite with --sqlite), starts the API with
uvicorn on loopback, opens N subscribers to /v1/events/stream (ops, `types=order.created`), then posts
orders at a steady rate. Lag is measured from the moment the order's POST returned (just after its
commit) to the moment each subscriber parsed the event: a slight overestimate of commit-to-receipt.
Prints the figures and writes JSON.

    .venv/bin/python scripts/bench_events_stream.py                  # 200 subscribers, 5 orders/s for 20 s
    .venv/bin/python scripts/bench_events_stream.py --subscribers 50 --rate 10 --seconds 10
"""

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import httpx  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from tqdm import tqdm  # noqa: E402

from bench_intake import (  # noqa: E402  (one home for the scratch database, the server and the orders)
    DEFAULT_PG_ADMIN, cpu_seconds, create_database, free_port, make_bodies, pct, prepare, start_server, stop_server,
)


def ops_token(url: str, port: int) -> str:
    from app.db import make_engine
    from app.users import service as users
    from app.users.schemas import UserCreate

    engine = make_engine(url)
    with Session(engine) as s:
        users.create_user(s, UserCreate(username="bench-ops", password="bench-pass-123", role="dispatcher"))
        s.commit()
    engine.dispose()
    r = httpx.post(f"http://127.0.0.1:{port}/v1/auth/login", json={"username": "bench-ops", "password": "bench-pass-123"})
    r.raise_for_status()
    return r.json()["access_token"]


async def subscriber(port: int, token: str, ready: asyncio.Event, counter: list, seen: dict, i: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(timeout=None) as c:
        async with c.stream("GET", f"http://127.0.0.1:{port}/v1/events/stream", headers=headers,
                            params={"types": "order.created"}) as r:
            async for line in r.aiter_lines():
                if line.startswith(": connected"):
                    counter[0] += 1
                    if counter[0] == counter[1]:
                        ready.set()
                elif line.startswith("data: "):
                    event = json.loads(line[6:])
                    seen.setdefault(event["subject"]["order_id"], {}).setdefault(i, []).append(
                        (time.monotonic(), event["type"]))


async def run(port: int, api_key: str, token: str, n_subs: int, rate: float, seconds: float, seed: int) -> dict:
    ready = asyncio.Event()
    counter = [0, n_subs]
    seen: dict[str, dict[int, list]] = {}  # order -> subscriber -> [(arrival, type)]
    subs = [asyncio.create_task(subscriber(port, token, ready, counter, seen, i)) for i in range(n_subs)]
    await asyncio.wait_for(ready.wait(), 120)
    bodies = make_bodies(int(rate * seconds), seed)
    committed: dict[str, float] = {}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
        t0 = time.monotonic()
        for i, body in enumerate(tqdm(bodies, desc="orders", unit="order", file=sys.stderr)):
            await asyncio.sleep(max(0.0, t0 + i / rate - time.monotonic()))
            r = await c.post("/v1/orders", content=body, headers={"X-API-Key": api_key, "Content-Type": "application/json"})
            r.raise_for_status()
            committed[r.json()["id"]] = time.monotonic()
    await asyncio.sleep(3)  # let the last events arrive
    for t in subs:
        t.cancel()
    lags, missing, duplicates, unexpected = [], 0, 0, 0
    for order_id, at in committed.items():
        by_sub = seen.get(order_id, {})
        missing += n_subs - len(by_sub)
        for arrivals in by_sub.values():
            duplicates += len(arrivals) - 1
            unexpected += sum(1 for _, t in arrivals if t != "order.created")
            lags.append((arrivals[0][0] - at) * 1000)
    return {"orders": len(committed), "deliveries": len(lags), "missing": missing, "duplicates": duplicates,
            "other_types": unexpected, "lags_ms": lags}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", default=DEFAULT_PG_ADMIN, help="PostgreSQL admin URL for the scratch database")
    ap.add_argument("--sqlite", action="store_true", help="use a scratch SQLite/SpatiaLite file instead")
    ap.add_argument("--subscribers", type=int, default=200)
    ap.add_argument("--rate", type=float, default=5.0, help="orders per second")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", default=str(ROOT / "bench-results" / "events_stream.json"))
    args = ap.parse_args()
    if args.subscribers < 1 or args.rate <= 0 or args.seconds <= 0:
        sys.exit("bench_events_stream: --subscribers, --rate and --seconds must be positive")

    if args.sqlite:
        url, drop = f"sqlite:///{tempfile.mkdtemp(prefix='shifu-bench-')}/bench.db", (lambda: None)
    else:
        url, drop = create_database(args.database_url)
    proc = None
    try:
        api_key = prepare(url)
        port = free_port()
        proc = start_server(url, port, workers=1)
        token = ops_token(url, port)
        cpu0, load0 = cpu_seconds(proc.pid), os.getloadavg()
        run_ = asyncio.run(run(port, api_key, token, args.subscribers, args.rate, args.seconds, args.seed))
        cpu = cpu_seconds(proc.pid) - cpu0
    finally:
        if proc is not None:
            stop_server(proc)
        drop()
    lags = run_.pop("lags_ms")
    result = {
        "benchmark": "events_stream", "database": "sqlite" if args.sqlite else "postgresql",
        "subscribers": args.subscribers, "rate_per_s": args.rate, "seconds": args.seconds, **run_,
        "lag_ms": {"p50": round(pct(lags, 50), 1), "p90": round(pct(lags, 90), 1), "p99": round(pct(lags, 99), 1),
                   "max": round(max(lags), 1) if lags else None},
        "target_p99_ms": 1000, "api_cpu_seconds": round(cpu, 2),
        "api_cpu_ms_per_delivery": round(cpu * 1000 / max(1, run_["deliveries"]), 3),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_at_start": list(load0), "load_average_at_end": list(os.getloadavg())},
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    lag = result["lag_ms"]
    print(f"{result['orders']} orders x {args.subscribers} subscribers on {result['database']}: "
          f"{result['deliveries']} deliveries, {result['missing']} missing, {result['duplicates']} duplicates; lag p50 {lag['p50']} ms, "
          f"p99 {lag['p99']} ms (target <= 1000), max {lag['max']} ms; API CPU {result['api_cpu_ms_per_delivery']} ms "
          f"per delivery; load {result['machine']['load_average_at_end'][0]:.2f} -> {out}")


if __name__ == "__main__":
    main()
