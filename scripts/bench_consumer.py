"""Measure the consumer pages (用户端): the bookable-slot answer's latency on a city of 2,000 technicians
(target p95 <= 150 ms), and the booking page's first load gzipped (target <= 200 KB) and time to
interactive on DevTools' "Slow 3G" profile through Chromium's DevTools protocol (target <= 3 s).
Prints the figures with the machine's load and writes JSON to bench-results/consumer.json. A benchmark,
not a test: run it on a quiet machine.

    .venv/bin/python scripts/bench_consumer.py                         # PostGIS scratch db shifu_bench_consumer
    .venv/bin/python scripts/bench_consumer.py --database-url sqlite:////tmp/consumer-bench.db
    .venv/bin/python scripts/bench_consumer.py --skip-page             # only the slots
"""

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("SPATIALITE_LIBRARY_PATH", "mod_spatialite")

import bench_candidates as roster  # noqa: E402  (the same city generator as the candidate-query benchmark)
from demo_server import start_demo_server  # noqa: E402
from sqlalchemy import text, update  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from tqdm import tqdm  # noqa: E402

CHROMIUM = os.environ.get("SHIFU_CHROMIUM", "/usr/bin/chromium")
TZ = ZoneInfo("Asia/Shanghai")
PG_ADMIN = os.environ.get("SHIFU_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
# Chrome DevTools' "Slow 3G" preset: 400 ms x 5 latency, 500 kbit/s x 0.8 each way.
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 500 * 1000 / 8 * 0.8,
           "uploadThroughput": 500 * 1000 / 8 * 0.8}
DB_NAME = "shifu_bench_consumer"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def prepare(url: str | None) -> str:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    if url is None:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
            c.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
        admin.dispose()
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{DB_NAME}"
        eng = create_engine(url, isolation_level="AUTOCOMMIT")
        with eng.connect() as c:
            c.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        eng.dispose()
    else:
        path = Path(url.split("///", 1)[-1])
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "head")
    return url


def build_city(engine, technicians: int, held: int, seed: int) -> dict:
    """The candidate benchmark's roster (its certificates start in its own future: made valid today),
    then `held` accepted jobs over the next days so routes are not empty."""
    from app.actors import SYSTEM, Actor
    from app.jobs import service as jobs
    from app.orders.schemas import OrderCreate
    from app.orders.service import create_order
    from app.reference import load_reference_data
    from app.technicians.candidates import candidates_for_job
    from app.technicians.models import TechnicianSkill

    t0 = time.perf_counter()
    roster.build_roster(engine, technicians, seed)
    with Session(engine) as s:
        load_reference_data(s)
        s.execute(update(TechnicianSkill).where(TechnicianSkill.valid_from > date.today()).values(valid_from=None))
        s.execute(update(TechnicianSkill).where(TechnicianSkill.valid_until < date.today() + timedelta(days=30))
                  .values(valid_until=None))
        s.commit()
    rng = random.Random(seed)
    assigned, refused = 0, {}
    kinds = [("air_conditioner", "repair"), ("washing_machine", "repair"), ("refrigerator", "repair"),
             ("air_conditioner", "install"), ("water_heater", "maintenance")]
    with Session(engine) as s:
        for _ in tqdm(range(held), desc="held jobs", unit="job"):
            category, kind = rng.choice(kinds)
            lon, lat = roster.home_location(rng)
            day = datetime.now(TZ).date() + timedelta(days=rng.randint(0, 2))
            start = datetime.combine(day, datetime.min.time(), TZ) + timedelta(hours=rng.choice([8, 10, 12, 14, 16]))
            body = {"service_type": kind, "appliances": [{"category": category}], "contact": {"name": "压测", "phone": "13800000000"},
                    "address": "杭州", "location": {"lon": lon, "lat": lat},
                    "windows": [{"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()}]}
            try:
                new = create_order(s, OrderCreate.model_validate(body), Actor("ops", None), client_id=None)
            except Exception as exc:  # e.g. nobody covers that spot: counted, not hidden
                s.rollback()
                refused[type(exc).__name__] = refused.get(type(exc).__name__, 0) + 1
                continue
            job = new.jobs[0]
            found = candidates_for_job(s, job, limit=3)
            if found:
                jobs.assign(s, job, rng.choice(found)[0].id, SYSTEM, "benchmark")
                assigned += 1
            s.commit()
    return {"build_seconds": round(time.perf_counter() - t0, 1), "held_jobs": assigned, "orders_refused": refused}


def percentile(values, q):
    return roster.percentile(values, q)


def time_slots(url: str, queries: int, seed: int) -> dict:
    """GET /v1/booking-slots through the app (validation, the query, insertion checks, JSON)."""
    from fastapi.testclient import TestClient

    from app.config import Settings
    from app.main import create_app

    settings = Settings(database_url=url, load_demo=False, consumer_requests_per_minute=10**6)
    app = create_app(settings)
    rng = random.Random(seed + 1)
    kinds = [("air_conditioner", "repair"), ("washing_machine", "repair"), ("refrigerator", "repair"),
             ("water_heater", "maintenance"), ("television", "repair")]
    latencies, statuses, free = [], {}, []
    with TestClient(app) as c:
        for i in tqdm(range(queries + 20), desc="slots", unit="req"):
            lon, lat = roster.home_location(rng)
            category, kind = rng.choice(kinds)
            t0 = time.perf_counter()
            r = c.get("/v1/booking-slots", params={"lon": lon, "lat": lat, "category": category, "service_type": kind})
            ms = (time.perf_counter() - t0) * 1000
            if i < 20:
                continue  # warm-up: connection pool, statement caches
            latencies.append(ms)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            if r.status_code == 200:
                slots = r.json()["slots"]
                free.append(sum(s["status"] == "available" for s in slots) / max(1, len(slots)))
    return {
        "queries": queries, "statuses": statuses,
        "p50_ms": round(percentile(latencies, 0.5), 1), "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1), "max_ms": round(max(latencies), 1),
        "share_of_slots_available": round(sum(free) / len(free), 3) if free else None,
        "target_p95_ms": 150,
    }


def page_load(base: str) -> dict:
    """The booking page on Slow 3G, cache empty: bytes on the wire (gzipped) until it is usable, and the
    time to interactive (navigation start until the appliance choices can be tapped: scripts run, the
    catalogue answered), and until the map with its pin is drawn."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="zh-CN", timezone_id="Asia/Shanghai")
        page = ctx.new_page()
        cdp = ctx.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        wire = {}
        urls = {}
        # data: URLs (the icon font inside the CSS) are reported too but never cross the network.
        cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: wire.__setitem__(e["requestId"], e["encodedDataLength"]))
        page.goto(f"{base}/book", wait_until="commit")
        page.wait_for_selector("[data-category]", timeout=60000)
        out["interactive_ms"] = round(page.evaluate("performance.now()"))
        page.wait_for_selector(".map-pin", timeout=60000)
        out["map_drawn_ms"] = round(page.evaluate("performance.now()"))
        page.wait_for_timeout(500)
        by_kind = {"assets": 0, "api": 0, "shell": 0}
        for rid, n in wire.items():
            u = urls.get(rid, "")
            if u.startswith("data:"):
                continue
            by_kind["assets" if "/consumer/assets/" in u else "api" if "/v1/" in u else "shell"] += n
        out["wire_bytes"] = by_kind
        out["first_load_gzip_bytes"] = sum(by_kind.values())
        browser.close()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url", help="default: a PostGIS scratch database")
    ap.add_argument("--technicians", type=int, default=2000)
    ap.add_argument("--held-jobs", type=int, default=1500)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--skip-slots", action="store_true")
    ap.add_argument("--skip-page", action="store_true")
    args = ap.parse_args(argv)
    result = {"at": datetime.now(timezone.utc).isoformat(), "machine": platform.node(), "cpus": os.cpu_count()}
    if not args.skip_slots:
        from app.db import make_engine

        url = prepare(args.database_url)
        engine = make_engine(url)
        print(f"building a city of {args.technicians} technicians on {engine.dialect.name} ...", flush=True)
        result["city"] = {"technicians": args.technicians, "database": engine.dialect.name,
                          **build_city(engine, args.technicians, args.held_jobs, args.seed)}
        engine.dispose()
        result["load_before_slots"] = load()
        result["slots"] = time_slots(url, args.queries, args.seed)
        result["load_after_slots"] = load()
        s = result["slots"]
        print(f"slots ({engine.dialect.name}, {args.technicians} technicians, {result['city']['held_jobs']} held jobs): "
              f"p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms (target <= 150), p99 {s['p99_ms']} ms; "
              f"answers {s['statuses']}; load {result['load_after_slots']}")
    if not args.skip_page:
        with tempfile.TemporaryDirectory(prefix="shifu-consumer-bench-") as tmp:
            proc, base = start_demo_server(Path(tmp))
            try:
                result["load_before_page"] = load()
                result["page"] = page_load(base)
                result["load_after_page"] = load()
            finally:
                proc.terminate()
                proc.wait(timeout=20)
        pg = result["page"]
        print(f"booking page on Slow 3G: {pg['first_load_gzip_bytes'] / 1024:.0f} KB on the wire (target <= 200 KB; "
              f"assets {pg['wire_bytes']['assets'] / 1024:.0f} KB, API {pg['wire_bytes']['api'] / 1024:.0f} KB), "
              f"interactive after {pg['interactive_ms']} ms (target <= 3000), map drawn after {pg['map_drawn_ms']} ms; "
              f"load {result['load_after_page']}")
    out = ROOT / "bench-results" / "consumer.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"written {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
