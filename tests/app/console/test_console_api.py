"""A dispatcher steers the day through the console's API: moves checked with dispatch's rules and
saved with a reason, pins kept by the next run, the at-risk queue, KPIs and names instead of ids."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.actors import SYSTEM
from app.jobs import service as jobs
from app.models_base import utcnow
from app.planning.models import DispatchRun, PlannedStop, RunStatus
from app.planning.translate import build_problem, day_context
from tests.factories import (
    HANGZHOU,
    make_client,
    make_order,
    make_technician,
    ops_headers,
)

TZ = ZoneInfo("Asia/Shanghai")


def tomorrow_at(hour: int) -> datetime:
    return datetime.combine(datetime.now(TZ).date() + timedelta(days=1), time(hour), TZ)


def _ac_job(db, hour=10):
    brand = make_client(db)
    return make_order(db, brand.id, start=tomorrow_at(hour))[1][0]


def test_a_move_to_a_technician_without_the_skill_is_refused_with_every_rule_named_and_nothing_saved(api, db):
    ops = ops_headers(api, db)
    job = _ac_job(db)
    tv_far = make_technician(db, name="电视师傅", skills=("tv_install",), lon=HANGZHOU[0] + 1, lat=HANGZHOU[1])
    body = {"technician_id": str(tv_far.id), "start": tomorrow_at(10).isoformat(), "reason": "客户要求"}
    check = api.post(f"/v1/dispatch/jobs/{job.id}/move-check", json=body, headers=ops).json()
    assert check["feasible"] is False and check["technician_name"] == "电视师傅"
    assert {"skill", "service_area"} <= {v["rule"] for v in check["violations"]}
    r = api.post(f"/v1/dispatch/jobs/{job.id}/move", json=body, headers=ops)
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    assert {v["rule"] for v in r.json()["violations"]} >= {"skill", "service_area"}
    assert api.get(f"/v1/jobs/{job.id}", headers=ops).json()["status"] == "pending"


def test_a_move_outside_the_window_and_shift_names_both(api, db):
    ops = ops_headers(api, db)
    job = _ac_job(db, hour=10)
    wang = make_technician(db, name="王师傅")
    body = {"technician_id": str(wang.id), "start": tomorrow_at(6).isoformat()}
    rules = {v["rule"] for v in api.post(f"/v1/dispatch/jobs/{job.id}/move-check", json=body, headers=ops).json()["violations"]}
    assert rules == {"window", "shift"}


def test_a_move_the_rules_allow_is_saved_with_its_reason_in_the_event_log(api, db):
    ops = ops_headers(api, db)
    job = _ac_job(db, hour=10)
    wang = make_technician(db, name="王师傅")
    body = {"technician_id": str(wang.id), "start": tomorrow_at(10).isoformat()}
    assert api.post(f"/v1/dispatch/jobs/{job.id}/move", json=body, headers=ops).status_code == 422  # no reason
    r = api.post(f"/v1/dispatch/jobs/{job.id}/move", json={**body, "reason": "老客户指定王师傅"}, headers=ops)
    assert r.status_code == 200, r.text
    assert r.json()["feasible"] and r.json()["start"].startswith(tomorrow_at(10).date().isoformat() + "T10:00")
    got = api.get(f"/v1/jobs/{job.id}", headers=ops).json()
    assert got["status"] == "accepted" and got["technician_id"] == str(wang.id)
    last = api.get(f"/v1/jobs/{job.id}/events", headers=ops).json()[-1]
    assert last["action"] == "assign" and last["reason"] == "老客户指定王师傅"
    # A second job at the same time on the same technician overlaps the first.
    other = _ac_job(db, hour=10)
    check = api.post(f"/v1/dispatch/jobs/{other.id}/move-check", json=body, headers=ops).json()
    assert [v["rule"] for v in check["violations"]] == ["overlap"]


def test_a_pinned_pending_job_is_planned_on_its_technician_by_the_next_run(api, db):
    ops = ops_headers(api, db)
    job = _ac_job(db)
    make_technician(db, name="李师傅")
    wang = make_technician(db, name="王师傅")
    r = api.put(f"/v1/dispatch/jobs/{job.id}/pin", json={"technician_id": str(wang.id), "reason": "电话约定"}, headers=ops)
    assert r.status_code == 200 and r.json()["technician_name"] == "王师傅"
    problem = build_problem(db, day_context(tomorrow_at(10).date(), "Asia/Shanghai"), 25)
    assert next(j for j in problem.jobs if j.id == str(job.id)).pinned_technician == str(wang.id)
    assert api.delete(f"/v1/dispatch/jobs/{job.id}/pin", headers=ops).status_code == 204
    assert api.delete(f"/v1/dispatch/jobs/{job.id}/pin", headers=ops).status_code == 404
    problem = build_problem(db, day_context(tomorrow_at(10).date(), "Asia/Shanghai"), 25)
    assert next(j for j in problem.jobs if j.id == str(job.id)).pinned_technician is None


def test_a_job_whose_technician_has_not_set_off_in_time_is_at_risk(api, db):
    ops = ops_headers(api, db)
    brand = make_client(db)
    start = utcnow().replace(second=0, microsecond=0) - timedelta(minutes=30)
    far_job = make_order(db, brand.id, start=start, hours=1)[1][0]   # window ends in 30 min
    near_job = make_order(db, brand.id, start=start + timedelta(hours=2), hours=2)[1][0]
    far = make_technician(db, name="远师傅", lon=HANGZHOU[0] + 0.3, lat=HANGZHOU[1])  # ~30 km away
    near = make_technician(db, name="近师傅")
    jobs.assign(db, far_job, far.id, SYSTEM, "test")
    jobs.assign(db, near_job, near.id, SYSTEM, "test")
    db.commit()
    risky = {r["job_id"]: r for r in api.get("/v1/console/at-risk", headers=ops).json()}
    assert risky[str(far_job.id)]["why"] == "not_departed_late" and risky[str(far_job.id)]["technician_name"] == "远师傅"
    assert risky[str(far_job.id)]["minutes_late"] > 0
    assert str(near_job.id) not in risky


def test_kpis_count_the_days_jobs_and_on_time_arrivals(api, db):
    ops = ops_headers(api, db)
    brand = make_client(db)
    today = datetime.now(TZ).date()
    start = datetime.combine(today, time(0, 30), TZ) if datetime.now(TZ).hour >= 2 else utcnow() - timedelta(minutes=30)
    a = make_order(db, brand.id, start=start, hours=23)[1][0]
    make_order(db, brand.id, start=start, hours=23)
    wang = make_technician(db, name="王师傅")
    jobs.assign(db, a, wang.id, SYSTEM, "test")
    jobs.act(db, a, "schedule", SYSTEM, scheduled_start=start + timedelta(minutes=5))
    jobs.act(db, a, "depart", SYSTEM)
    jobs.act(db, a, "arrive", SYSTEM)
    db.commit()
    days = api.get("/v1/console/kpis", headers=ops).json()["days"]
    assert len(days) == 7 and days[-1]["date"] == today.isoformat()
    k = days[-1]
    assert k["jobs_total"] == 2 and k["jobs_by_status"] == {"on_site": 1, "pending": 1}
    assert (k["arrived"], k["on_time_arrivals"], k["on_time_share"]) == (1, 1, 1.0)
    assert k["shift_minutes"] == 12 * 60 and k["utilisation"] is not None


def test_plans_and_the_board_say_names_and_addresses_not_ids(api, db):
    ops = ops_headers(api, db)
    job = _ac_job(db)
    wang = make_technician(db, name="王师傅")
    li = make_technician(db, name="李师傅")
    run = DispatchRun(local_date=tomorrow_at(10).date(), status=RunStatus.succeeded, time_limit_seconds=1)
    db.add(run)
    db.flush()
    t = tomorrow_at(10)
    db.add(PlannedStop(run_id=run.id, technician_id=wang.id, job_id=job.id, position=0, arrival=t, start=t,
                       end=t + timedelta(hours=1), travel_seconds=300, travel_distance_m=2000, explanation={
                           "technician_id": str(wang.id), "next_best": {"technician_id": str(li.id)},
                           "text": f"{wang.id}: 5 min from the previous stop; next best {li.id} would add 3.0 min"}))
    db.commit()
    plan = api.get(f"/v1/dispatch/runs/{run.id}/plan", headers=ops).json()
    route = plan["routes"][0]
    assert route["technician_name"] == "王师傅"
    stop = route["stops"][0]
    assert stop["job"]["address"] == "杭州市西湖区文三路 1 号" and stop["job"]["category_zh"]
    assert stop["explanation"]["text"] == "王师傅: 5 min from the previous stop; next best 李师傅 would add 3.0 min"
    assert stop["explanation"]["next_best"]["technician_name"] == "李师傅"
    board = api.get(f"/v1/console/board?date={t.date().isoformat()}", headers=ops).json()
    assert {"王师傅", "李师傅"} <= {x["name"] for x in board["technicians"]}
    assert [j["address"] for j in board["jobs"]] == ["杭州市西湖区文三路 1 号"]
    assert api.get("/v1/console/board?date=tomorrow", headers=ops).status_code == 422
