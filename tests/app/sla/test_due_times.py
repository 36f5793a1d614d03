"""Node due times follow the job's real history: creation, the window, acceptance, arrival, other nodes."""

from datetime import timedelta

from sqlalchemy import select

from app.actors import Actor
from app.jobs import service as jobs
from app.jobs.models import JobEvent
from tests.app.sla.builders import Node, assign, checklist, complete_node, node, story, work_to
from tests.factories import make_technician

OPS = Actor("ops", None)


def _event_at(db, job, action):
    return db.scalars(
        select(JobEvent.at).where(JobEvent.job_id == job.id, JobEvent.action == action).order_by(JobEvent.seq.desc())
    ).first()


def test_nodes_anchored_on_creation_or_the_window_are_due_from_the_moment_the_job_exists(db):
    s = story(db)
    checklist(db, s.job, Node("t_call", "job_created", 30), Node("t_remind", "window_start", -60),
              Node("t_arrive", "window_end", 0), Node("t_contact", "accepted", 30), Node("t_free"))
    assert node(db, s.job, "t_call").due_at == s.job.created_at + timedelta(minutes=30)
    assert node(db, s.job, "t_remind").due_at == s.job.window_start - timedelta(hours=1)
    assert node(db, s.job, "t_arrive").due_at == s.job.window_end
    assert node(db, s.job, "t_contact").due_at is None  # nobody has accepted yet
    assert node(db, s.job, "t_free").due_at is None  # no SLA at all


def test_acceptance_arrival_and_start_start_the_clocks_anchored_on_them(db):
    s = story(db)
    checklist(db, s.job, Node("t_contact", "accepted", 30), Node("t_checkin", "arrived", 10),
              Node("t_test", "started", 120))
    assign(db, s)
    assert node(db, s.job, "t_contact").due_at == _event_at(db, s.job, "assign") + timedelta(minutes=30)
    assert node(db, s.job, "t_checkin").due_at is None
    work_to(db, s, "schedule", "depart", "arrive", "start")
    assert node(db, s.job, "t_checkin").due_at == _event_at(db, s.job, "arrive") + timedelta(minutes=10)
    assert node(db, s.job, "t_test").due_at == _event_at(db, s.job, "start") + timedelta(hours=2)


def test_a_node_anchored_on_another_is_due_from_that_nodes_completion(db):
    s = story(db)
    checklist(db, s.job, Node("t_vacuum"), Node("t_leak", "node:t_vacuum", 15))
    assign(db, s)
    assert node(db, s.job, "t_leak").due_at is None
    done = complete_node(db, s.job, "t_vacuum")
    assert node(db, s.job, "t_leak").due_at == done.completed_at + timedelta(minutes=15)


def test_a_reschedule_moves_the_due_times_anchored_on_the_window(db):
    s = story(db)
    checklist(db, s.job, Node("t_arrive", "window_end", 0), Node("t_call", "job_created", 30))
    assign(db, s)
    new_start = s.job.window_start + timedelta(days=2)
    jobs.act(db, s.job, "reschedule", OPS, reason="consumer away", window=(new_start, new_start + timedelta(hours=3)))
    db.commit()
    assert node(db, s.job, "t_arrive").due_at == new_start + timedelta(hours=3)
    assert node(db, s.job, "t_call").due_at == s.job.created_at + timedelta(minutes=30)


def test_unassigning_stops_the_acceptance_clock_and_the_next_technician_starts_afresh(db):
    s = story(db)
    checklist(db, s.job, Node("t_contact", "accepted", 30))
    assign(db, s)
    first_due = node(db, s.job, "t_contact").due_at
    jobs.unassign(db, s.job, OPS, "consumer asked")
    db.commit()
    assert node(db, s.job, "t_contact").due_at is None
    assign(db, s, make_technician(db, name="赵师傅"))
    second_due = node(db, s.job, "t_contact").due_at
    assert second_due == _event_at(db, s.job, "assign") + timedelta(minutes=30) and second_due >= first_due
