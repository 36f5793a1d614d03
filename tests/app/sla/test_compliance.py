"""A technician's SLA compliance (feeds its quality score): SLAs met out of SLAs decided."""

from datetime import timedelta

from app.sla import service as sla
from tests.app.sla.builders import Node, assign, checklist, complete_node, node, story, work_to
from tests.factories import make_technician


def test_compliance_counts_decided_slas_met_on_time_and_breached(db):
    s = story(db)
    checklist(db, s.job, Node("t_contact", "accepted", 30), Node("t_photo", "accepted", 60),
              Node("t_checkin", "arrived", 10))
    assign(db, s)
    complete_node(db, s.job, "t_contact")  # on time
    complete_node(db, s.job, "t_photo", at=node(db, s.job, "t_photo").due_at + timedelta(minutes=5))  # late
    work_to(db, s, "schedule")  # appointment confirmed at once: met
    # Still running, so neither met nor breached: t_checkin (not started), arrive, close.
    assert sla.compliance(db, s.tech.id) == (2, 3)
    assert sla.compliance(db, make_technician(db, name="赵师傅").id) == (0, 0)


def test_a_breach_counts_against_whoever_held_the_job_when_the_deadline_passed(db):
    s = story(db)
    checklist(db, s.job, Node("t_contact", "accepted", 30))
    assign(db, s)
    sla.sweep(db, node(db, s.job, "t_contact").due_at + timedelta(minutes=1))
    successor = make_technician(db, name="赵师傅")
    assign(db, s, successor)  # reassigned after the miss
    assert sla.compliance(db, s.tech.id) == (0, 1)
    assert sla.compliance(db, successor.id) == (0, 0)
