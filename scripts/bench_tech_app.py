"""Measure the technician app (师傅端): first-load JavaScript + CSS gzipped (target <= 250 KB), time from
navigation to a usable job list on DevTools' "Slow 3G" profile through Chromium's DevTools protocol
(target <= 3 s; cold = first visit, warm = a later visit with the service worker and the cached day),
and Lighthouse performance and accessibility of /tech/ (target >= 90 each). Prints the figures and
writes JSON to bench-results/tech_app.json. A benchmark, not a test: run it on a quiet machine.

    .venv/bin/python scripts/bench_tech_app.py                  # builds nothing: run scripts/run.sh or npm run build first
    .venv/bin/python scripts/bench_tech_app.py --no-lighthouse  # skip Lighthouse (it comes from npm via npx)
"""

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
DIST = ROOT / "app" / "web" / "dist" / "tech"
CHROMIUM = os.environ.get("SHIFU_CHROMIUM", "/usr/bin/chromium")
# Chrome DevTools' "Slow 3G" preset: 400 ms x 5 latency, 500 kbit/s x 0.8 each way.
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 500 * 1000 / 8 * 0.8,
           "uploadThroughput": 500 * 1000 / 8 * 0.8}


def first_load_bytes() -> dict:
    """The JS and CSS the shell (index.html) loads before the first screen, raw and gzipped."""
    html = (DIST / "index.html").read_text()
    refs = re.findall(r'<script[^>]+src="/tech/([^"]+)"', html) + re.findall(
        r'<link[^>]+rel="(?:stylesheet|modulepreload)"[^>]+href="/tech/([^"]+)"', html)
    files = []
    for ref in dict.fromkeys(refs):
        data = (DIST / ref).read_bytes()
        files.append({"file": ref, "bytes": len(data), "gzip_bytes": len(gzip.compress(data, 9))})
    return {"files": files, "total_bytes": sum(f["bytes"] for f in files),
            "total_gzip_bytes": sum(f["gzip_bytes"] for f in files)}


from demo_server import start_demo_server  # noqa: E402

_GIVE_JOBS = """
import os
from sqlalchemy import select
from sqlalchemy.orm import Session
import app.wiring  # noqa: F401  (every domain hears the assignment)
from app.actors import SYSTEM
from app.db import make_engine
from app.jobs import service as jobs
from app.jobs.models import Job
from app.technicians.models import Technician
e = make_engine(os.environ["SHIFU_DATABASE_URL"])
with Session(e) as s:
    tech = s.scalar(select(Technician).where(Technician.phone == "13900000001"))
    for j in s.scalars(select(Job).where(Job.status == "pending").order_by(Job.window_start).limit(3)).all():
        jobs.assign(s, j, tech.id, SYSTEM, "benchmark")
    s.commit()
"""


def time_to_job_list(base: str) -> dict:
    """Navigation start to the first job card on screen, logged in, on Slow 3G: cold, then warm."""
    import httpx
    from playwright.sync_api import sync_playwright

    token = httpx.post(f"{base}/v1/auth/login", json={"username": "13900000001", "password": "shifu-tech-demo"}).json()
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="zh-CN", timezone_id="Asia/Shanghai")
        ctx.add_init_script(f"localStorage.getItem('shifu.token') || localStorage.setItem('shifu.token', {json.dumps(token['access_token'])})")
        page = ctx.new_page()
        cdp = ctx.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        for visit in ("cold", "warm"):
            page.goto(f"{base}/tech/", wait_until="commit")
            page.click(".van-tab:nth-child(2)", timeout=60000)  # tomorrow's jobs: the demo plans tomorrow
            page.wait_for_selector("[data-job]", timeout=60000)
            out[f"{visit}_ms"] = page.evaluate("performance.now()")
            page.wait_for_timeout(3000 if visit == "cold" else 0)  # let the service worker install and cache
            if visit == "cold":
                page.wait_for_function("navigator.serviceWorker.controller !== null || true")
        browser.close()
    return {k: round(v) for k, v in out.items()}


def lighthouse(base: str) -> dict:
    cmd = os.environ.get("SHIFU_LIGHTHOUSE") or shutil.which("lighthouse")
    args = [cmd] if cmd else ["npx", "--yes", "lighthouse@12"]
    with tempfile.TemporaryDirectory() as d:
        report = Path(d) / "lh.json"
        r = subprocess.run(
            [*args, f"{base}/tech/", "--quiet", "--output=json", f"--output-path={report}",
             "--only-categories=performance,accessibility", "--form-factor=mobile",
             "--chrome-flags=--headless=new --no-sandbox"],
            env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=600)
        if not report.exists():
            return {"error": (r.stderr or r.stdout)[-800:]}
        data = json.loads(report.read_text())
    cats = data["categories"]
    audits = data["audits"]
    return {
        "url": f"{base}/tech/ (the login screen: Lighthouse is not logged in)",
        "performance": round(cats["performance"]["score"] * 100),
        "accessibility": round(cats["accessibility"]["score"] * 100),
        "first_contentful_paint_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "largest_contentful_paint_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "total_blocking_time_ms": round(audits["total-blocking-time"]["numericValue"]),
        "throttling": "Lighthouse default mobile (simulated slow 4G, 4x CPU slowdown)",
        "failed_accessibility_audits": [a for a, v in audits.items() if v.get("score") == 0
                                        and a in {r["id"] for r in cats["accessibility"]["auditRefs"]}],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-lighthouse", action="store_true")
    ap.add_argument("--json", default=str(ROOT / "bench-results" / "tech_app.json"))
    args = ap.parse_args()
    if not (DIST / "index.html").exists():
        sys.exit("app/web/dist/tech is not built: run scripts/run.sh, or cd app/web && npm ci && npm run build")
    result = {"first_load": first_load_bytes(), "targets": {"first_load_gzip_kb": 250, "job_list_slow_3g_ms": 3000,
                                                             "lighthouse_min": 90}}
    with tempfile.TemporaryDirectory(prefix="shifu-bench-tech-") as tmp:
        proc, base = start_demo_server(Path(tmp), then=_GIVE_JOBS)
        try:
            result["job_list_slow_3g"] = time_to_job_list(base)
            if not args.no_lighthouse:
                result["lighthouse"] = lighthouse(base)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    fl = result["first_load"]
    print(f"first-load JS+CSS: {fl['total_bytes'] / 1024:.1f} KB raw, {fl['total_gzip_bytes'] / 1024:.1f} KB gzipped "
          f"(target <= 250 KB)")
    t = result["job_list_slow_3g"]
    print(f"job list on Slow 3G: cold {t['cold_ms']} ms, warm {t['warm_ms']} ms (target <= 3000 ms)")
    if "lighthouse" in result:
        lh = result["lighthouse"]
        print("lighthouse:", {k: v for k, v in lh.items() if k in ("performance", "accessibility", "error",
                                                                     "failed_accessibility_audits")})
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
