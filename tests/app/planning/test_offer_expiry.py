"""Offer deadlines that fit the job's day, and an assign-mode (派单) job given back before its deadline."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from app.actors import SYSTEM
from app.config import Settings
from app.jobs.models import Job, JobOffer
from app.planning.expiry import offer_deadline
from app.planning.offers import assign_planned
from tests.factories import make_client, make_order, make_technician, technician_headers

TZ = ZoneInfo("Asia/Shanghai")
S = Settings(load_demo=False)


def _day_after_tomorrow_at_10() -> datetime:
    day = datetime.now(TZ).date() + timedelta(days=2)
    return datetime(day.year, day.month, day.day, 10, tzinfo=TZ).astimezone(timezone.utc)


def local(d: int, h: int, m: int = 0) -> datetime:
    return datetime(2026, 12, d, h, m, tzinfo=TZ)


def test_same_day_offers_run_the_short_ttl():
    assert offer_deadline(local(2, 15), local(2, 9), S) == local(2, 9, 15)


def test_a_same_day_offer_never_runs_past_the_lead_time():
    assert offer_deadline(local(2, 11), local(2, 8, 50), S) == local(2, 9)


def test_a_later_day_offer_stays_open_until_the_evening_before():
    assert offer_deadline(local(3, 9), local(2, 10), S) == local(2, 20)


def test_an_early_window_moves_the_deadline_to_two_hours_before_it():
    late = Settings(load_demo=False, offer_cutoff_local="23:30")
    assert offer_deadline(local(3, 1), local(2, 10), late) == local(2, 23)


def test_after_the_cut_off_a_later_day_offer_gets_the_short_ttl():
    assert offer_deadline(local(3, 9), local(2, 21), S) == local(2, 21, 15)


def test_the_cut_off_is_a_setting():
    late = Settings(load_demo=False, offer_cutoff_local="22:30")
    assert offer_deadline(local(3, 9), local(2, 10), late) == local(2, 22, 30)


def test_an_assigned_technician_gives_the_job_back_with_a_reason_and_it_is_reoffered(api, db):
    wang, li = make_technician(db), make_technician(db, name="李师傅")
    brand = make_client(db, dispatch_mode="assign")
    _, (job,) = make_order(db, brand.id, start=_day_after_tomorrow_at_10())
    o = assign_planned(db, job, wang.id, SYSTEM)
    db.commit()
    assert db.get(Job, job.id).status == "accepted" and db.get(Job, job.id).technician_id == wang.id
    assert o.expires_at.astimezone(TZ).hour == 20
    hw = technician_headers(api, wang)
    assert "give_back" in api.get(f"/v1/jobs/{job.id}", headers=hw).json()["allowed_actions"]
    no_reason = api.post(f"/v1/dispatch/jobs/{job.id}/give-back", json={}, headers=hw)
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
    r = api.post(f"/v1/dispatch/jobs/{job.id}/give-back", json={"reason": "车坏了"}, headers=hw)
    assert r.status_code == 200, r.text
    db.expire_all()
    offers = {x.technician_id: x.status for x in db.query(JobOffer).filter_by(job_id=job.id)}
    assert offers == {wang.id: "declined", li.id: "open"}
    assert db.get(Job, job.id).status == "offered" and db.get(Job, job.id).technician_id is None


def test_after_the_deadline_the_assignment_cannot_be_given_back_in_the_app(api, db):
    wang = make_technician(db)
    brand = make_client(db, dispatch_mode="assign")
    _, (job,) = make_order(db, brand.id, start=_day_after_tomorrow_at_10())
    o = assign_planned(db, job, wang.id, SYSTEM)
    o.expires_at = datetime.now(timezone.utc) - timedelta(minutes=1)
    db.commit()
    hw = technician_headers(api, wang)
    assert "give_back" not in api.get(f"/v1/jobs/{job.id}", headers=hw).json()["allowed_actions"]
    r = api.post(f"/v1/dispatch/jobs/{job.id}/give-back", json={"reason": "车坏了"}, headers=hw)
    assert r.status_code == 409 and r.json()["type"].endswith("/decline-deadline-passed")
