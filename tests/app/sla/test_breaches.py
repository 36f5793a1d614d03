"""Breaches are recorded as they happen, and the sweep catches the ones nobody's action revealed."""

import threading
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.sla import service as sla
from app.sla.models import SlaBreach
from tests.app.sla.builders import Node, assign, checklist, complete_node, node, story, work_to


def _breaches(db, **where):
    db.expire_all()
    return list(db.scalars(select(SlaBreach).filter_by(**where)))


def test_a_node_completed_late_is_recorded_the_moment_it_completes(db):
    s = story(db, city="ningbo")
    checklist(db, s.job, Node("t_contact", "accepted", 30, title_zh="联系用户", title_en="Contact the consumer"))
    assign(db, s)
    due = node(db, s.job, "t_contact").due_at
    done = complete_node(db, s.job, "t_contact", at=due + timedelta(minutes=45))
    [b] = _breaches(db, kind="node", subject_id=done.id)
    assert (b.sla_code, b.node_code, b.due_at, b.detected_at) == ("t_contact", "t_contact", due, done.completed_at)
    assert (b.technician_id, b.client_id, b.city, b.job_id) == (s.tech.id, s.client.id, "ningbo", s.job.id)
    assert b.title_zh == "联系用户" and "45 min late" in b.detail


def test_a_node_completed_on_time_records_nothing(db):
    s = story(db)
    checklist(db, s.job, Node("t_contact", "accepted", 30))
    assign(db, s)
    complete_node(db, s.job, "t_contact", at=node(db, s.job, "t_contact").due_at)
    assert _breaches(db, job_id=s.job.id) == []


def test_the_sweep_finds_an_overdue_open_node_and_a_late_arrival_and_a_second_run_records_nothing(db):
    s = story(db)
    checklist(db, s.job, Node("t_photo", "window_start", 30), Node("t_later", "window_end", 24 * 60))
    assign(db, s)
    work_to(db, s, "schedule", "depart")
    before = sla.sweep(db, s.job.window_start)
    assert _breaches(db, job_id=s.job.id, kind="node") == [] and before["nodes"] == 0
    after_window = s.job.window_end + timedelta(minutes=5)
    first = sla.sweep(db, after_window)
    db.commit()
    assert first["nodes"] >= 1 and first["jobs"] >= 1
    [photo] = _breaches(db, job_id=s.job.id, kind="node")
    assert photo.node_code == "t_photo" and photo.due_at == s.job.window_start + timedelta(minutes=30)
    assert photo.detected_at == after_window and photo.technician_id == s.tech.id
    arrive = _breaches(db, job_id=s.job.id, kind="job", sla_code="arrive")
    assert [(b.due_at, b.technician_id) for b in arrive] == [(s.job.window_end, s.tech.id)]
    assert sla.sweep(db, after_window + timedelta(minutes=1)) == {"nodes": 0, "jobs": 0, "tickets": 0}
    assert len(_breaches(db, job_id=s.job.id, kind="node")) == 1


def test_a_deadline_missed_before_a_reschedule_stays_missed(db):
    from app.actors import Actor
    from app.jobs import service as jobs

    s = story(db)
    checklist(db, s.job, Node("t_remind", "job_created", -60))  # overdue from the start
    assign(db, s)
    start = s.job.window_start + timedelta(days=1)
    window = (start, start + timedelta(hours=2))
    jobs.act(db, s.job, "reschedule", Actor("ops", None), reason="consumer away", window=window)
    db.commit()
    assert len(_breaches(db, job_id=s.job.id, kind="node")) == 1  # revealed by the transition, before any sweep


def test_a_cancelled_job_owes_nothing_more(db):
    from app.actors import Actor
    from app.jobs import service as jobs

    s = story(db)
    checklist(db, s.job, Node("t_photo", "window_start", 30))
    jobs.act(db, s.job, "cancel", Actor("ops", None), reason="duplicate order")
    db.commit()
    counts = sla.sweep(db, s.job.window_end + timedelta(days=3))
    assert _breaches(db, job_id=s.job.id) == [] and counts["nodes"] == 0


def test_record_breach_is_idempotent(db):
    s = story(db)
    kw = dict(kind="job", subject_id=s.job.id, sla_code="arrive", due_at=s.job.window_end,
              detected_at=s.job.window_end + timedelta(minutes=1), job_id=s.job.id)
    assert sla.record_breach(db, **kw) is not None
    assert sla.record_breach(db, **kw) is None
    assert len(_breaches(db, job_id=s.job.id)) == 1


def test_two_sweeps_at_once_record_each_breach_once(live_app, backend):
    with Session(backend.engine) as db:
        s = story(db)
        checklist(db, s.job, Node("t_photo", "window_start", 30))
        assign(db, s)
        db.commit()
        later = s.job.window_end + timedelta(minutes=5)
    gate = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            with Session(backend.engine) as session, session.begin():
                gate.wait(timeout=10)
                results.append(sla.sweep(session, later))
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    with Session(backend.engine) as db:
        per_subject = db.execute(
            select(SlaBreach.kind, SlaBreach.subject_id, SlaBreach.sla_code, func.count())
            .group_by(SlaBreach.kind, SlaBreach.subject_id, SlaBreach.sla_code)
        ).all()
    assert per_subject and all(row[3] == 1 for row in per_subject)
    assert sum(r["nodes"] + r["jobs"] for r in results) == len(per_subject)

