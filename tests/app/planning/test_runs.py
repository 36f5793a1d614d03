"""Ops plan tomorrow: a run is queued at once, a worker solves it, ops preview and commit it into offers."""

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy.orm import Session

from app.jobs.models import Job, JobOffer
from tests.factories import HANGZHOU, make_client, make_order, make_technician, ops_headers, technician_headers

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def queue_name(live_app):
    name = f"shifu-test-{uuid.uuid4().hex[:8]}"
    live_app.state.settings = live_app.state.settings.model_copy(update={"queue_name": name})
    return name


def run_worker(queue_name: str) -> None:
    redis = Redis.from_url("redis://127.0.0.1:6379/0")
    SimpleWorker([Queue(queue_name, connection=redis)], connection=redis).work(burst=True)


def tomorrow_at(hour: int) -> datetime:
    day = datetime.now(TZ).date() + timedelta(days=1)
    return datetime.combine(day, time(hour), TZ)


@pytest.fixture
def city(backend, live_app):
    """Two technicians near West Lake, three repair jobs tomorrow, one far outside every area."""
    with Session(backend.engine) as s:
        brand = make_client(s, dispatch_mode="assign")
        shop = make_client(s, dispatch_mode="grab")
        wang = make_technician(s, name="王师傅", lon=HANGZHOU[0], lat=HANGZHOU[1])
        li = make_technician(s, name="李师傅", lon=HANGZHOU[0] + 0.02, lat=HANGZHOU[1])
        zhao = make_technician(s, name="赵师傅", lon=HANGZHOU[0] - 0.02, lat=HANGZHOU[1])
        jobs = [
            make_order(s, brand.id, start=tomorrow_at(9), lon=HANGZHOU[0] + 0.005, lat=HANGZHOU[1])[1][0],
            make_order(s, brand.id, start=tomorrow_at(14), lon=HANGZHOU[0] + 0.015, lat=HANGZHOU[1] + 0.01)[1][0],
            make_order(s, shop.id, start=tomorrow_at(10), lon=HANGZHOU[0] - 0.01, lat=HANGZHOU[1] - 0.01)[1][0],
            make_order(s, brand.id, start=tomorrow_at(10), lon=121.47, lat=31.23)[1][0],  # Shanghai
        ]
        return {"techs": {"wang": wang.id, "li": li.id, "zhao": zhao.id, "wang_obj": wang},
                "jobs": [j.id for j in jobs], "brand": brand, "shop": shop}


def test_run_is_queued_at_once_solved_by_the_worker_and_previewed(backend, live_app, queue_name, city):
    with TestClient(live_app) as api:
        with Session(backend.engine) as s:
            ops = ops_headers(api, s)
        day = (datetime.now(TZ).date() + timedelta(days=1)).isoformat()
        r = api.post("/v1/dispatch/runs", json={"date": day, "time_limit_seconds": 1}, headers=ops)
        assert r.status_code == 202, r.text
        run_id = r.json()["id"]
        assert r.json()["status"] == "queued"
        run_worker(queue_name)
        run = api.get(f"/v1/dispatch/runs/{run_id}", headers=ops).json()
        assert run["status"] == "succeeded", run
        assert run["progress"] == 100 and run["problem_stats"]["jobs"] == 4
        plan = api.get(f"/v1/dispatch/runs/{run_id}/plan", headers=ops).json()
        planned = {s["job_id"]: s for r in plan["routes"] for s in r["stops"]}
        assert set(planned) == {str(j) for j in city["jobs"][:3]}
        for s in planned.values():
            assert s["explanation"]["text"]
        first = planned[str(city["jobs"][0])]
        assert tomorrow_at(9) <= datetime.fromisoformat(first["start"]) <= tomorrow_at(11)
        assert first["start"].endswith("+08:00")
        assert plan["unassigned"] == [
            {"job_id": str(city["jobs"][3]), "reason": "OUTSIDE_EVERY_SERVICE_AREA",
             "detail": plan["unassigned"][0]["detail"], "job": plan["unassigned"][0]["job"]}
        ]
        assert plan["unassigned"][0]["job"]["address"] and plan["routes"][0]["technician_name"]
        # Nothing is offered until ops commit the plan.
        with Session(backend.engine) as s:
            assert s.query(JobOffer).count() == 0

        r = api.post(f"/v1/dispatch/runs/{run_id}/commit", headers=ops)
        assert r.status_code == 200 and r.json()["status"] == "committed"
        assert r.json()["commit_summary"]["assigned"] == 2 and r.json()["commit_summary"]["offered"] == 1
        with Session(backend.engine) as s:
            for job_id in city["jobs"][:3]:
                offers = s.query(JobOffer).filter_by(job_id=job_id).all()
                mode = "grab" if job_id == city["jobs"][2] else "assign"
                assert len(offers) == (3 if mode == "grab" else 1), (mode, offers)
                tech = next(r["technician_id"] for r in plan["routes"] for st in r["stops"] if st["job_id"] == str(job_id))
                assert tech in {str(o.technician_id) for o in offers}
                # Assign mode: the planned technician's at once; grab mode: offered, first accept wins.
                job = s.get(Job, job_id)
                assert job.status == ("offered" if mode == "grab" else "accepted"), mode
                if mode == "assign":
                    assert str(job.technician_id) == tech and offers[0].status == "accepted"
        assert api.post(f"/v1/dispatch/runs/{run_id}/commit", headers=ops).status_code == 409


def test_a_declined_assignment_is_offered_to_the_next_candidate(backend, live_app, queue_name, city):
    job_id = city["jobs"][0]
    with Session(backend.engine) as s:
        from app.planning.offers import make_offers

        job = s.get(Job, job_id)
        make_offers(s, job, [city["techs"]["wang"]])
        s.commit()
    with TestClient(live_app) as api:
        r = api.post(f"/v1/jobs/{job_id}/decline", json={"reason": "车坏了"},
                     headers=technician_headers(api, city["techs"]["wang_obj"]))
        assert r.status_code == 200, r.text
    with Session(backend.engine) as s:
        offers = {o.technician_id: o.status for o in s.query(JobOffer).filter_by(job_id=job_id)}
        assert offers[city["techs"]["wang"]] == "declined"
        assert list(offers.values()).count("open") == 1
        assert s.get(Job, job_id).status == "offered"


def test_expired_offers_go_to_the_next_candidates_then_to_the_ops_queue(backend, live_app, city):
    from app.models_base import utcnow
    from app.planning.offers import expire_offers, make_offers

    job_id = city["jobs"][0]
    with Session(backend.engine) as s:
        make_offers(s, s.get(Job, job_id), [city["techs"]["wang"]])
        s.commit()
    rounds = []
    base = utcnow()
    for day in range(1, 5):  # each sweep a day after the last: every open offer has expired
        with Session(backend.engine) as s:
            later = base + timedelta(days=day)
            rounds.append(expire_offers(s, later))
            assert expire_offers(s, later)["expired_offers"] == 0  # a second sweep finds nothing
            s.commit()
    # Three technicians cover the job: three rounds of one offer each, then ops must decide.
    assert [r["jobs_reoffered"] for r in rounds] == [1, 1, 0, 0]
    assert rounds[2]["jobs_to_ops_queue"] == 1
    with TestClient(live_app) as api:
        with Session(backend.engine) as s:
            ops = ops_headers(api, s)
        queue = api.get("/v1/dispatch/queue", headers=ops).json()
        assert [j["id"] for j in queue] == [str(job_id)]


def test_runs_refuse_past_dates_and_only_finished_plans_commit(backend, live_app, queue_name, city):
    with TestClient(live_app) as api:
        with Session(backend.engine) as s:
            ops = ops_headers(api, s)
        r = api.post("/v1/dispatch/runs", json={"date": "2020-01-01"}, headers=ops)
        assert r.status_code == 422 and r.json()["field"] == "date"
        day = (datetime.now(TZ).date() + timedelta(days=1)).isoformat()
        run_id = api.post("/v1/dispatch/runs", json={"date": day, "time_limit_seconds": 1}, headers=ops).json()["id"]
        r = api.post(f"/v1/dispatch/runs/{run_id}/commit", headers=ops)
        assert r.status_code == 409 and r.json()["current_status"] == "queued"
        tech = technician_headers(api, city["techs"]["wang_obj"])
        assert api.post("/v1/dispatch/runs", json={"date": day}, headers=tech).status_code == 403
        run_worker(queue_name)


def test_an_urgent_job_is_offered_at_once_to_the_cheapest_technician(api, db):
    """Real-time mode: no run needed; the nearest qualified technician gets the offer with an ETA."""
    near = make_technician(db, name="近师傅", lon=HANGZHOU[0] + 0.004, lat=HANGZHOU[1])
    make_technician(db, name="远师傅", lon=HANGZHOU[0] - 0.03, lat=HANGZHOU[1] - 0.03)
    brand = make_client(db, dispatch_mode="assign")
    start = datetime.now(TZ).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if not 8 <= start.hour <= 17:
        start = tomorrow_at(10)
    _, jobs = make_order(db, brand.id, urgency="urgent", start=start, lon=HANGZHOU[0] + 0.005, lat=HANGZHOU[1])
    offers = db.query(JobOffer).filter_by(job_id=jobs[0].id).all()
    assert [o.technician_id for o in offers] == [near.id]
    assert db.get(Job, jobs[0].id).status == "offered"
    ops = ops_headers(api, db)
    ranking = api.get(f"/v1/dispatch/jobs/{jobs[0].id}/ranking?k=5", headers=ops).json()
    assert [r["technician_id"] for r in ranking][:1] == [str(near.id)]
    assert ranking[0]["extra_travel_seconds"] < ranking[-1]["extra_travel_seconds"] or len(ranking) == 1
    assert ranking[0]["eta"].endswith("+08:00")
