"""Job-level SLAs read off a job's event log, with made-up timestamps (no database, no sleeping)."""

import uuid
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from app.sla import timeline as tl
from app.sla.definitions import BY_CODE

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)  # 09:00 in Hangzhou
WINDOW_END = T0 + timedelta(hours=6)
A, B = uuid.uuid4(), uuid.uuid4()


def ev(action: str, minutes: float, **data):
    actor = data.pop("actor", None)
    return SimpleNamespace(action=action, at=T0 + timedelta(minutes=minutes), actor_type="technician",
                           actor_id=str(actor) if actor else None, data=data or None)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def evaluate(code: str, events, now_minutes: float):
    return tl.evaluate(BY_CODE[code], events, WINDOW_END, at(now_minutes))


def test_an_offer_taken_within_30_minutes_is_met_and_the_clock_runs_from_the_first_offer():
    taken = [ev("create", 0), ev("offer", 10), ev("accept", 35, actor=A)]
    assert evaluate("respond", taken, 60).state == tl.MET
    # Declined, offered again: the consumer has been waiting since the first offer.
    reoffered = [ev("create", 0), ev("offer", 10), ev("decline", 20), ev("offer", 30), ev("accept", 45, actor=A)]
    r = evaluate("respond", reoffered, 60)
    assert r.state == tl.BREACHED and r.due_at == at(40) and r.detected_at == at(45)
    assert r.technician_id is None  # nobody held the job: it counts against no technician


def test_an_offer_nobody_takes_is_pending_then_breached_as_time_passes():
    events = [ev("create", 0), ev("offer", 10)]
    assert evaluate("respond", events, 39).state == tl.PENDING
    r = evaluate("respond", events, 41)
    assert r.state == tl.BREACHED and r.detected_at == at(41)


def test_respond_does_not_apply_to_a_job_ops_assigned_without_offering_it():
    events = [ev("create", 0), ev("assign", 5, technician_id=str(A))]
    assert evaluate("respond", events, 120).state == tl.NOT_APPLICABLE
    assert evaluate("respond", [ev("create", 0)], 120).state == tl.NOT_STARTED


def test_a_new_technician_gets_a_fresh_appointment_clock_but_a_missed_one_stays_missed():
    events = [ev("create", 0), ev("assign", 10, technician_id=str(A)), ev("reassign", 100, technician_id=str(B)),
              ev("schedule", 200)]
    r = evaluate("appointment", events, 300)
    assert r.state == tl.MET and r.due_at == at(220) and r.technician_id == B
    late = [ev("create", 0), ev("assign", 10, technician_id=str(A)), ev("reassign", 140, technician_id=str(B)),
            ev("schedule", 150)]
    r = evaluate("appointment", late, 300)
    assert r.state == tl.BREACHED and r.due_at == at(130) and r.technician_id == A


def test_unassigning_stops_the_appointment_clock_until_someone_takes_the_job_again():
    events = [ev("create", 0), ev("assign", 10, technician_id=str(A)), ev("unassign", 60)]
    assert evaluate("appointment", events, 1000).state == tl.NOT_STARTED


def test_arrival_is_due_by_the_end_of_the_window_in_force():
    arrived = [ev("create", 0), ev("assign", 10, technician_id=str(A)), ev("arrive", 6 * 60)]
    assert evaluate("arrive", arrived, 999).state == tl.MET
    late = [ev("create", 0), ev("assign", 10, technician_id=str(A)), ev("arrive", 6 * 60 + 1)]
    r = evaluate("arrive", late, 999)
    assert r.state == tl.BREACHED and r.due_at == WINDOW_END and r.technician_id == A


def test_a_reschedule_before_the_window_ends_moves_the_deadline_one_after_it_does_not():
    new_end = (T0 + timedelta(days=1)).isoformat()
    early = [ev("create", 0), ev("reschedule", 60, window=[T0.isoformat(), new_end]), ev("arrive", 20 * 60)]
    r = evaluate("arrive", early, 9999)
    assert r.state == tl.MET and r.due_at == T0 + timedelta(days=1)
    after = [ev("create", 0), ev("reschedule", 7 * 60, window=[T0.isoformat(), new_end]), ev("arrive", 20 * 60)]
    r = evaluate("arrive", after, 9999)
    assert r.state == tl.BREACHED and r.due_at == WINDOW_END and r.detected_at == at(7 * 60)


def test_close_is_due_48_hours_after_arrival_and_a_cancelled_or_failed_job_owes_nothing_more():
    base = [ev("create", 0), ev("assign", 1, technician_id=str(A)), ev("arrive", 60), ev("start", 70)]
    assert evaluate("close", base + [ev("complete", 60 + 48 * 60)], 99999).state == tl.MET
    assert evaluate("close", base + [ev("complete", 61 + 48 * 60)], 99999).state == tl.BREACHED
    assert evaluate("close", base + [ev("fail", 120)], 99999).state == tl.WAIVED
    assert evaluate("close", base, 61 + 48 * 60).state == tl.BREACHED
    assert evaluate("close", [ev("create", 0), ev("cancel", 5)], 99999).state == tl.NOT_APPLICABLE


def test_the_holder_at_a_deadline_is_who_held_the_job_then():
    events = [ev("create", 0), ev("accept", 10, actor=A), ev("reassign", 50, technician_id=str(B)), ev("unassign", 90)]
    assert [tl.holder_at(events, at(m)) for m in (5, 10, 49, 50, 95)] == [None, A, A, B, None]
