"""The ops console (调度台) in a desktop browser (1440×900, zh-CN, Asia/Shanghai) on the demo city:
a dispatcher runs tomorrow's dispatch and commits it, drags a job to a technician without the skill
(refused, nothing saved) and to one who can take it (saved with the reason), watches an arrival sent
through the API appear without a reload, finds a late technician in the at-risk queue, and reads KPIs
that match the API's own counts.

One server, one demo city and one logged-in page for the whole module; each story stands on its own
(the drag story commits tomorrow's plan itself when the first story did not run in its worker).
"""

import os
import re
import threading
import time
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actors import SYSTEM
from app.demo.seed import DEMO, seed_demo
from app.jobs import service as jobs
from app.jobs.models import Job, JobEvent
from app.main import create_app
from app.models_base import utcnow
from app.technicians.models import Technician
from app.web_app import DIST
from tests.app.orders.stories import order_body
from tests.browser.fixtures import _free_port
from tests.conftest import _settings, wipe
from tests.factories import make_technician

TZ = ZoneInfo("Asia/Shanghai")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")
SHOTS = os.environ.get("SHIFU_CONSOLE_SCREENSHOTS")  # a directory: save each screen there


def shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


@pytest.fixture(scope="module")
def city(backend):
    if not (DIST / "console" / "index.html").is_file():
        pytest.fail("the console is not built: scripts/test.sh builds it (cd app/web && npm ci && npm run build)")
    with Session(backend.engine) as s:
        seed_demo(s)
        s.commit()
    settings = _settings(backend.url).model_copy(update={"task_queue": "thread", "load_demo": False})
    app = create_app(settings, engine=backend.engine)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    api = httpx.Client(base_url=base, timeout=30)
    tok = api.post("/v1/auth/login", json={"username": DEMO.dispatcher[0], "password": DEMO.dispatcher[1]}).json()
    api.headers["Authorization"] = f"Bearer {tok['access_token']}"
    yield {"base": base, "api": api, "engine": backend.engine}
    srv.should_exit = True
    thread.join(timeout=10)
    wipe(backend.engine)
    from app.reference import load_reference_data

    with Session(backend.engine) as s:
        load_reference_data(s)
        s.commit()


@pytest.fixture(scope="module")
def page(browser, city):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    pg = ctx.new_page()
    pg.goto(f"{city['base']}/console/")
    pg.fill("input[name=username]", DEMO.dispatcher[0])
    pg.fill("input[name=password]", DEMO.dispatcher[1])
    pg.click("[data-test=login]")
    pg.wait_for_selector("[data-test=map] .leaflet-interactive")
    pg.wait_for_selector("[data-test=live]:has-text('实时')")
    yield pg
    ctx.close()


@pytest.fixture(scope="module")
def committed_plan(city):
    """Tomorrow's plan committed: by the first story when it ran in this worker, else here through the API
    (the suite's work stealing may hand the stories of one module to different workers)."""
    api = city["api"]
    if not any(r["status"] == "committed" and r["local_date"] == tomorrow() for r in api.get("/v1/dispatch/runs").json()):
        run = api.post("/v1/dispatch/runs", json={"date": tomorrow(), "time_limit_seconds": 3}).json()
        deadline = time.monotonic() + 120
        while api.get(f"/v1/dispatch/runs/{run['id']}").json()["status"] != "succeeded":
            assert time.monotonic() < deadline, "the dispatch run did not finish"
            time.sleep(0.2)
        assert api.post(f"/v1/dispatch/runs/{run['id']}/commit").status_code == 200


def tab(page, name):
    page.click(f"[data-tab={name}]")


def tomorrow() -> str:
    return (datetime.now(TZ).date() + timedelta(days=1)).isoformat()


def test_a_dispatcher_runs_tomorrows_dispatch_reads_the_plan_in_names_and_commits_it(city, page):
    # An order outside every service area, so the plan has a job it must explain leaving out.
    shanghai = city["api"].post("/v1/orders", headers={"X-API-Key": DEMO.brand_key}, json=order_body(
        "repair", address="上海市黄浦区南京东路 100 号", location={"lon": 121.48, "lat": 31.24},
        windows=[{"start": f"{tomorrow()}T10:00:00+08:00", "end": f"{tomorrow()}T12:00:00+08:00"}]))
    assert shanghai.status_code == 201, shanghai.text
    shot(page, "map")
    tab(page, "runs")
    page.fill("[data-test=run-limit] input", "3")
    page.click("[data-test=run-start]")
    page.wait_for_selector("[data-test=run-progress]")
    page.wait_for_selector("[data-test=plan-rows] .el-table__row", timeout=60000)
    rows = page.inner_text("[data-test=plan-rows]")
    assert "师傅" in rows and "杭州市" in rows and not UUID.search(rows), rows[:500]
    assert "min from the previous stop" in rows or "分钟" in rows
    shot(page, "runs")
    page.click("text=未分配")
    far = shanghai.json()["jobs"][0]["id"]
    reason = page.inner_text(f"[data-unassigned='{far}']")
    assert "地址不在任何师傅的服务区域内" in reason
    page.click("[data-test=preview]")
    page.wait_for_selector(".vis-item.job.preview")
    shot(page, "timeline-preview")
    tab(page, "runs")
    page.wait_for_selector("[data-test=plan-rows] .el-table__row")
    page.click("[data-test=commit]")
    page.wait_for_selector("[data-test=committed]")
    with Session(city["engine"]) as s:
        held = s.scalars(select(Job).where(Job.technician_id.is_not(None))).all()
    assert len(held) >= 20


def _pick_move(city):
    """A held air-conditioner job, a technician who lacks its skills and one the move check accepts."""
    api = city["api"]
    board = api.get(f"/v1/console/board?date={tomorrow()}").json()
    techs = board["technicians"]
    for job in board["jobs"]:
        if not job["technician_id"] or job["status"] != "accepted" or not job["required_skills"]:
            continue
        start = job["planned_start"]
        bad = next((t for t in techs if not set(job["required_skills"]) & set(t["skills"])), None)
        for t in techs:
            if t["id"] == job["technician_id"] or bad is None:
                continue
            if not set(job["required_skills"]) <= set(t["skills"]):
                continue
            r = api.post(f"/v1/dispatch/jobs/{job['id']}/move-check", json={"technician_id": t["id"], "start": start}).json()
            if r["feasible"]:
                return job, bad, t
    pytest.fail("the demo plan has no job that another technician could take")


def only(page, names):
    """Show only these technicians' rows on the timeline."""
    page.locator("[data-test=timeline-filter]").click()
    for name in names:
        page.locator(".el-select-dropdown__item:visible", has_text=re.compile(f"^{name}$")).click()
    page.keyboard.press("Escape")


def _drag_to_row(page, job_id, tech_id):
    """Drag the job's bar onto the technician's row; the move dialog opens with the rule check."""
    for _ in range(3):  # a drag that starts while the bar is being redrawn is lost, as by hand: drag again
        box = page.locator(f"[data-jobitem='{job_id}']").bounding_box()
        row = page.locator(f".vis-foreground .vis-group.tech-{tech_id}").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        # Paced like a hand, and sideways first: the timeline's pan recogniser starts on horizontal
        # motion; a sideways wobble under ten minutes keeps the job's time.
        for k in range(1, 11):
            page.mouse.move(x + 20, y + (row["y"] + row["height"] / 2 - y) * k / 10)
            page.wait_for_timeout(30)
        page.mouse.up()
        try:
            page.wait_for_selector("[data-test=move-check] .el-alert", timeout=3000)
            return
        except Exception:
            continue
    pytest.fail("dragging the job did not open the move dialog")


def test_a_drag_to_a_technician_without_the_skill_is_refused_and_to_one_who_can_is_saved(city, committed_plan, page):
    job, bad, good = _pick_move(city)
    tab(page, "timeline")
    page.click("[data-test=tomorrow]")
    only(page, [t["name"] for t in city["api"].get(f"/v1/console/board?date={tomorrow()}").json()["technicians"]
                if t["id"] in (job["technician_id"], bad["id"], good["id"])])
    page.wait_for_function("document.querySelectorAll('.vis-foreground .vis-group').length === 3")
    page.wait_for_selector(f"[data-jobitem='{job['id']}']")
    _drag_to_row(page, job["id"], bad["id"])
    dialog = page.wait_for_selector("[data-test=move-check] [data-rule=skill]")
    assert "技能" in dialog.inner_text()
    assert page.is_disabled("[data-test=move-save]")
    shot(page, "move-refused")
    page.click(".el-dialog__headerbtn")
    with Session(city["engine"]) as s:
        assert str(s.get(Job, uuid.UUID(job["id"])).technician_id) == job["technician_id"]
    _drag_to_row(page, job["id"], good["id"])
    assert page.is_visible("[data-test=move-check] .el-alert--success"), page.inner_text(".el-dialog")
    page.fill("input[data-test=move-reason]", "客户点名要这位师傅")
    page.click("[data-test=move-save]")
    page.wait_for_selector("[data-test=move-check]", state="hidden")
    with Session(city["engine"]) as s:
        assert str(s.get(Job, uuid.UUID(job["id"])).technician_id) == good["id"]
        last = s.scalars(select(JobEvent).where(JobEvent.job_id == uuid.UUID(job["id"])).order_by(JobEvent.seq.desc())).first()
        assert (last.action, last.reason, last.actor_type) == ("reassign", "客户点名要这位师傅", "ops")
    page.wait_for_selector(f".vis-foreground .vis-group.tech-{good['id']} [data-jobitem='{job['id']}']")
    shot(page, "timeline")


def test_an_arrival_sent_through_the_api_shows_on_map_and_timeline_within_two_seconds(city, page):
    api = city["api"]
    now = utcnow()
    order = api.post("/v1/orders", headers={"X-API-Key": DEMO.brand_key}, json=order_body(
        "repair", address="杭州市西湖区文三路 120 号", location={"lon": 120.14, "lat": 30.28},
        windows=[{"start": (now - timedelta(minutes=30)).isoformat(), "end": (now + timedelta(minutes=90)).isoformat()}]))
    assert order.status_code == 201, order.text
    job_id = order.json()["jobs"][0]["id"]
    board = api.get("/v1/console/board").json()
    tech_id = board["technicians"][0]["id"]
    assert api.post(f"/v1/jobs/{job_id}/assign", json={"technician_id": tech_id, "reason": "就近"}).status_code == 200
    job = {"id": job_id, "planned_start": None, "window_start": now.isoformat()}
    page.click("[data-test=today]")
    with Session(city["engine"]) as s:
        phone = s.get(Technician, uuid.UUID(tech_id)).phone
    tech = httpx.Client(base_url=city["base"], timeout=30)
    tok = tech.post("/v1/auth/login", json={"username": phone, "password": DEMO.technician[1]}).json()
    tech.headers["Authorization"] = f"Bearer {tok['access_token']}"
    assert tech.post(f"/v1/jobs/{job['id']}/transitions", json={
        "action": "schedule", "scheduled_start": job["planned_start"] or job["window_start"]}).status_code == 200
    tab(page, "map")
    page.wait_for_selector(f"[data-tech='{tech_id}']")
    # Setting off shows on the map...
    assert tech.post(f"/v1/jobs/{job['id']}/transitions", json={"action": "depart"}).status_code == 200
    page.wait_for_selector(f"[data-tech='{tech_id}'][data-state='en_route']", timeout=2000)
    # ...and arriving on the timeline (this technician's row), each within two seconds, without a reload.
    tab(page, "timeline")
    only(page, [next(t["name"] for t in board["technicians"] if t["id"] == tech_id)])
    page.wait_for_selector(f"[data-jobitem='{job['id']}']")
    assert tech.post(f"/v1/jobs/{job['id']}/transitions", json={"action": "arrive"}).status_code == 200
    page.wait_for_selector(f"[data-actualitem='{job['id']}']", timeout=2000)
    tab(page, "map")
    page.wait_for_selector(f"[data-tech='{tech_id}'][data-state='on_site']", timeout=2000)


def test_the_at_risk_queue_shows_a_late_technician_and_kpis_match_the_api(city, page):
    api = city["api"]
    now = utcnow()
    with Session(city["engine"]) as s:
        far = make_technician(s, name="远郊师傅", lon=120.60, lat=30.30)  # ~45 km east of the job
        order = api.post("/v1/orders", headers={"X-API-Key": DEMO.brand_key}, json=order_body(
            "repair", address="杭州市西湖区文三路 300 号", location={"lon": 120.13, "lat": 30.28},
            windows=[{"start": (now - timedelta(minutes=30)).isoformat(), "end": (now + timedelta(minutes=40)).isoformat()}]))
        assert order.status_code == 201, order.text
        job_id = order.json()["jobs"][0]["id"]
        jobs.assign(s, s.get(Job, uuid.UUID(job_id)), far.id, SYSTEM, "test: a far technician holds it")
        s.commit()
    tab(page, "queues")
    row = page.wait_for_selector(f"[data-risk='{job_id}']")
    assert "师傅尚未出发" in row.inner_text() and "迟到" in row.inner_text()
    shot(page, "queues")
    today = datetime.now(TZ).date()
    start = datetime.combine(today, datetime.min.time(), TZ)
    listed = api.get("/v1/jobs", params={"window_from": start.isoformat(),
                                          "window_to": (start + timedelta(days=1)).isoformat(), "limit": 200}).json()["items"]
    mine = [j for j in listed if start <= datetime.fromisoformat(j["window_start"]) < start + timedelta(days=1)]
    tab(page, "kpis")
    page.wait_for_selector("[data-test=chart-status] canvas")
    assert page.inner_text("[data-kpi=total] .v").strip() == str(len(mine))
    kpi = api.get("/v1/console/kpis", params={"days": 1}).json()["days"][0]
    by_status = {}
    for j in mine:
        by_status[j["status"]] = by_status.get(j["status"], 0) + 1
    assert kpi["jobs_by_status"] == by_status and kpi["jobs_total"] == len(mine)
    shot(page, "kpis")
    tab(page, "technicians")
    page.wait_for_selector("[data-test=certs] .el-table__row")
    shot(page, "technicians")
    page.click("[data-test=lang]")
    tab(page, "map")
    page.wait_for_selector("text=Off duty")
