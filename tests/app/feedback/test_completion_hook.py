"""Finishing a job refreshes the technician's score at once: the record it is measured on changed."""

from app.actors import Actor
from app.events import bus
from app.technicians.models import Technician
from tests.app.feedback.builders import visit


def _told(db, job, type_, actor):
    bus.publish(db, type_, actor, {"status": job.status, "from_status": None, "reason": None}, job=job)


def test_completing_a_job_recomputes_the_technicians_quality_score(db):
    v = visit(db)
    tech = db.get(Technician, v.tech.id)
    tech.quality_score = 0.1
    db.flush()
    _told(db, v.job, "job.completed", Actor("technician", str(tech.id)))
    assert tech.quality_score > 0.8  # a newcomer's priors


def test_other_transitions_leave_the_score_alone(db):
    v = visit(db, completed=False)
    tech = db.get(Technician, v.tech.id)
    tech.quality_score = 0.1
    db.flush()
    _told(db, v.job, "job.started", Actor("technician", str(tech.id)))
    assert tech.quality_score == 0.1
