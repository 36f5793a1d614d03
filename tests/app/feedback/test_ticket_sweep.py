"""The SLA sweep finds tickets nobody answered or closed in time and records each breach once."""

from datetime import timedelta

from sqlalchemy import select

from app.actors import Actor
from app.feedback import tickets
from app.feedback.models import ComplaintTicket
from app.feedback.schemas import AcknowledgeIn, ComplaintIn
from app.feedback.service import sweep_overdue_tickets
from app.orders.tracking import CONSUMER
from app.sla.models import SlaBreach
from tests.app.feedback.builders import visit

OPS = Actor("ops", "ops-1")


def file(db, v, category: str) -> ComplaintTicket:
    body = ComplaintIn(job_id=v.job.id, category=category, description="投诉")
    ticket = tickets.file_complaint(db, v.order, body, CONSUMER)
    db.commit()
    return ticket


def breaches(db) -> list[tuple[str, str]]:
    return sorted((str(b.subject_id), b.sla_code) for b in db.scalars(select(SlaBreach).where(SlaBreach.kind == "ticket")))


def test_an_unanswered_ticket_breaches_first_response_then_resolution_each_recorded_once(db):
    v = visit(db)
    high, normal = file(db, v, "overcharge"), file(db, v, "rude")
    t0 = high.created_at

    assert sweep_overdue_tickets(db, t0 + timedelta(hours=1)) == 0
    assert sweep_overdue_tickets(db, t0 + timedelta(hours=3)) == 1  # high: answer within 2 h
    assert breaches(db) == [(str(high.id), "ticket_first_response")]
    b = db.scalar(select(SlaBreach).where(SlaBreach.subject_id == high.id))
    assert b.due_at == high.first_response_due_at and b.detected_at == t0 + timedelta(hours=3)
    assert (b.job_id, b.technician_id, b.city) == (v.job.id, v.tech.id, "hangzhou")
    assert sweep_overdue_tickets(db, t0 + timedelta(hours=3, minutes=5)) == 0  # already recorded

    assert sweep_overdue_tickets(db, t0 + timedelta(hours=25)) == 2  # normal's 4 h answer, high's 24 h close
    assert breaches(db) == sorted([
        (str(high.id), "ticket_first_response"), (str(high.id), "ticket_resolution"),
        (str(normal.id), "ticket_first_response"),
    ])
    assert sweep_overdue_tickets(db, t0 + timedelta(hours=25)) == 0


def test_a_ticket_answered_and_closed_in_time_never_breaches(db):
    v = visit(db)
    t = file(db, v, "damage")
    tickets.acknowledge(db, t.id, AcknowledgeIn(), OPS, None)
    tickets.reject(db, t.id, "不属实", OPS, None)
    db.commit()
    assert sweep_overdue_tickets(db, t.created_at + timedelta(days=10)) == 0
    assert breaches(db) == []


def test_a_ticket_answered_late_still_counts_as_a_breach(db):
    v = visit(db)
    t = file(db, v, "fake_repair")
    t.first_response_due_at = t.created_at - timedelta(minutes=1)  # as if filed hours ago
    db.commit()
    tickets.acknowledge(db, t.id, AcknowledgeIn(), OPS, None)
    db.commit()
    assert sweep_overdue_tickets(db, t.first_response_at + timedelta(seconds=1)) == 1
    assert breaches(db) == [(str(t.id), "ticket_first_response")]
