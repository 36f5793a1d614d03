"""Benchmark webhook fan-out: orders at a steady rate, each client event to 3 endpoints, delivered by
real RQ webhook workers to a receiver on loopback (target: commit -> receipt p99 <= 2 s).

Creates a scratch database (PostGIS by default, or SpatiaLite), a brand with three endpoints on a
loopback receiver, starts `python -m app.webhooks.delivery` worker process(es), then creates orders
through the order service (the real intake: its events, the domains' handlers, the outbox) at the
given rate, each in its own committed transaction. Measures, for every (event, endpoint), the lag
from the commit to the first receipt, the worker processes' CPU time per delivery, the outbox's own
time per order, and the load average. Prints the figures, writes JSON, drops the scratch database.

    .venv/bin/python scripts/bench_webhooks.py                       # 60 s at 1,000 orders/min
    .venv/bin/python scripts/bench_webhooks.py --seconds 20 --backend sqlite
"""

import argparse
import importlib.util
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SPATIALITE_LIBRARY_PATH", "mod_spatialite")

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

TARGET_P99_S = 2.0


def _intake_helpers():
    # The intake benchmark's realistic orders and database preparation, reused as they are.
    spec = importlib.util.spec_from_file_location("bench_intake", ROOT / "scripts" / "bench_intake.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Receiver:
    """Loopback HTTP receiver recording the first arrival of every (webhook-id, path)."""

    def __init__(self):
        self.first: dict[tuple[str, str], float] = {}
        self.requests = 0
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("content-length", 0)))
                at = time.time()
                with outer.lock:
                    outer.requests += 1
                    outer.first.setdefault((self.headers["webhook-id"], self.path), at)
                self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


def cpu_seconds(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) in pids or int(fields[1]) in pids:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q / 100 * (len(s) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="how long orders arrive (default 60)")
    ap.add_argument("--rate", type=float, default=1000.0, help="orders per minute (default 1000)")
    ap.add_argument("--endpoints", type=int, default=3)
    ap.add_argument("--workers", type=int, default=1, help="webhook worker processes (default 1)")
    ap.add_argument("--producers", type=int, default=4, help="threads creating the orders (default 4)")
    ap.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    ap.add_argument("--out", default=str(ROOT / "var" / "bench" / "webhooks.json"))
    args = ap.parse_args()

    intake = _intake_helpers()
    if args.backend == "postgresql":
        url, drop = intake.create_database(intake.DEFAULT_PG_ADMIN)
    else:
        tmp = tempfile.mkdtemp(prefix="shifu-bench-webhooks-")
        url, drop = f"sqlite:///{tmp}/bench.db", (lambda: None)
    queue = f"shifu-webhooks-bench-{uuid.uuid4().hex[:8]}"
    env_over = {"SHIFU_DATABASE_URL": url, "SHIFU_TASK_QUEUE": "rq", "SHIFU_WEBHOOK_DISPATCH": "queue",
                "SHIFU_WEBHOOK_QUEUE_NAME": queue, "SHIFU_WEBHOOK_ALLOW_LOOPBACK": "true", "SHIFU_LOAD_DEMO": "false"}
    os.environ.update(env_over)
    workers: list[subprocess.Popen] = []
    try:
        intake.prepare(url)
        run(args, url, intake, workers)
    finally:
        for w in workers:
            if w.poll() is None:
                os.killpg(w.pid, signal.SIGTERM)
                try:
                    w.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(w.pid, signal.SIGKILL)
        from redis import Redis
        from rq import Queue

        from app.config import get_settings

        Queue(queue, connection=Redis.from_url(get_settings().redis_url)).delete(delete_jobs=True)
        drop()


def run(args, url: str, intake, workers: list) -> None:
    import app.models  # noqa: F401
    import app.webhooks.subscribers  # noqa: F401  (until app.wiring lists it)
    import app.wiring  # noqa: F401
    from app.actors import Actor
    from app.clients.models import Client
    from app.config import get_settings
    from app.db import make_engine
    from app.events import bus
    from app.orders import service as orders
    from app.orders.schemas import OrderCreate
    from app.webhooks import outbox
    from app.webhooks import service as webhooks
    from app.webhooks.models import WebhookDelivery
    from app.webhooks.schemas import EndpointCreate

    settings = get_settings()
    engine = make_engine(url)
    receiver = Receiver()
    paths = [f"/endpoint-{i + 1}" for i in range(args.endpoints)]
    with Session(engine) as s:
        client_id = s.scalar(select(Client.id))
        for p in paths:
            webhooks.create(s, client_id, EndpointCreate(url=receiver.url(p), event_types=["*"]), settings)
        s.commit()

    # Which events each transaction wrote, and how long the outbox took for them.
    outbox_seconds = [0.0]
    fan_out = outbox.fan_out

    def timed_fan_out(session, p):
        t = time.perf_counter()
        fan_out(session, p)
        outbox_seconds[0] += time.perf_counter() - t
        session.info.setdefault("bench.events", []).append(str(p.event.id))

    bus._every[bus._every.index(fan_out)] = timed_fan_out

    env = {**os.environ}
    for _ in range(args.workers):
        workers.append(subprocess.Popen([sys.executable, "-m", "app.webhooks.delivery"], cwd=ROOT, env=env,
                                        stdout=subprocess.DEVNULL, start_new_session=True))
    # Count CPU only from when every worker is listening (importing the app is not delivery work).
    from redis import Redis
    from rq import Queue, Worker

    q = Queue(settings.webhook_queue_name, connection=Redis.from_url(settings.redis_url))
    deadline = time.monotonic() + 120
    while len(Worker.all(queue=q)) < args.workers and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)
    pids = [w.pid for w in workers]
    cpu0 = cpu_seconds(pids)
    load_before = os.getloadavg()

    n_orders = max(1, int(args.rate * args.seconds / 60))
    bodies = intake.make_bodies(n_orders, seed=int(time.time()) % 100000)
    actor = Actor("client", str(client_id))
    committed_at: dict[str, float] = {}
    intake_ms: list[float] = []
    interval = 60.0 / args.rate
    lock = threading.Lock()
    behind = [0]
    t0 = time.monotonic()

    def produce(k: int) -> None:
        # Producer k creates orders k, k + P, k + 2P, ... each at its own due time.
        for i in range(k, len(bodies), args.producers):
            wait = t0 + i * interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            elif wait < -1.0:
                with lock:
                    behind[0] += 1
            t = time.perf_counter()
            with Session(engine) as s:
                orders.create_order(s, OrderCreate.model_validate_json(bodies[i]), actor, client_id=client_id)
                events = s.info.pop("bench.events", [])
                s.commit()
            at = time.time()
            with lock:
                intake_ms.append((time.perf_counter() - t) * 1000)
                for e in events:
                    committed_at[e] = at

    producers = [threading.Thread(target=produce, args=(k,)) for k in range(args.producers)]
    for th in producers:
        th.start()
    for th in producers:
        th.join()
    behind = behind[0]
    load_elapsed = time.monotonic() - t0

    expected = {(e, p) for e in committed_at for p in paths}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with receiver.lock:
            if expected <= receiver.first.keys():
                break
        time.sleep(0.1)
    with Session(engine) as s:
        n_deliveries = s.scalar(select(func.count()).select_from(WebhookDelivery))
        by_status = dict(s.execute(select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)).all())
    cpu = cpu_seconds(pids) - cpu0
    load_after = os.getloadavg()
    with receiver.lock:
        lags = [receiver.first[k] - committed_at[k[0]] for k in expected if k in receiver.first]
        missing = len(expected - receiver.first.keys())
        requests = receiver.requests

    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "backend": args.backend,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in load_after]},
        "orders": len(bodies), "orders_per_minute_target": args.rate,
        "orders_per_minute_achieved": round(len(bodies) / load_elapsed * 60, 1), "orders_late_over_1s": behind,
        "endpoints": args.endpoints, "workers": args.workers, "producers": args.producers, "events": len(committed_at),
        "deliveries": n_deliveries, "delivery_status": by_status, "requests_received": requests,
        "missing": missing,
        "lag_s": {"p50": round(pct(lags, 50), 3), "p95": round(pct(lags, 95), 3), "p99": round(pct(lags, 99), 3),
                  "max": round(max(lags), 3) if lags else None, "mean": round(statistics.fmean(lags), 3) if lags else None},
        "target_p99_s": TARGET_P99_S,
        "worker_cpu_ms_per_delivery": round(cpu / max(1, len(lags)) * 1000, 3),
        "worker_cpu_share_of_one_core": round(cpu / load_elapsed, 3),
        "outbox_ms_per_order": round(outbox_seconds[0] / len(bodies) * 1000, 3),
        "intake_ms_per_order": {"p50": round(pct(intake_ms, 50), 2), "p99": round(pct(intake_ms, 99), 2)},
    }
    result["meets_target"] = bool(lags) and missing == 0 and result["lag_s"]["p99"] <= TARGET_P99_S
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"wrote {out}", file=sys.stderr)
    engine.dispose()


if __name__ == "__main__":
    main()
