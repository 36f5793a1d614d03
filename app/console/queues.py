"""The queues a dispatcher works through, each row named in words: jobs whose offers ran out (ops
queue), jobs at risk, SLA breaches, open complaint tickets and custom charges awaiting approval."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.console.risk import at_risk
from app.feedback.models import ComplaintTicket, TicketStatus
from app.planning.names import job_labels, technician_names
from app.planning.offers import ops_queue_stmt
from app.pricing.models import ChargeStatus, JobCharge
from app.sla.models import SlaBreach
from app.technicians.models import TechnicianSkill

LIMIT = 200


def _label(labels: dict, job_id) -> dict:
    lab = labels.get(str(job_id)) if job_id else None
    return {"address": lab["address"], "category": lab["category"], "category_zh": lab["category_zh"],
            "category_en": lab["category_en"], "status": lab["status"]} if lab else {}


def queues(session: Session) -> dict:
    ops = list(session.scalars(ops_queue_stmt().limit(LIMIT)))
    breaches = list(session.scalars(select(SlaBreach).order_by(SlaBreach.detected_at.desc()).limit(LIMIT)))
    tickets = list(session.scalars(select(ComplaintTicket).where(
        ComplaintTicket.status.in_([TicketStatus.open, TicketStatus.acknowledged]))
        .order_by(ComplaintTicket.resolution_due_at).limit(LIMIT)))
    charges = list(session.scalars(select(JobCharge).where(JobCharge.status == ChargeStatus.awaiting_approval)
                                   .order_by(JobCharge.created_at).limit(LIMIT)))
    job_ids = {j.id for j in ops} | {b.job_id for b in breaches if b.job_id} | {t.job_id for t in tickets if t.job_id} \
        | {c.job_id for c in charges}
    labels = job_labels(session, job_ids)
    names = technician_names(session, {b.technician_id for b in breaches} | {t.technician_id for t in tickets})
    return {
        "ops_queue": [{"job_id": str(j.id), "window_start": j.window_start.isoformat(),
                       "window_end": j.window_end.isoformat(), **_label(labels, j.id)} for j in ops],
        "at_risk": at_risk(session),
        "sla_breaches": [{"id": str(b.id), "kind": b.kind, "sla_code": b.sla_code, "title_zh": b.title_zh,
                          "title_en": b.title_en, "due_at": b.due_at.isoformat(), "detected_at": b.detected_at.isoformat(),
                          "job_id": str(b.job_id) if b.job_id else None,
                          "technician_name": names.get(str(b.technician_id)), **_label(labels, b.job_id)}
                         for b in breaches],
        "tickets": [{"id": str(t.id), "status": t.status, "category": t.category, "severity": t.severity,
                     "description": t.description, "resolution_due_at": t.resolution_due_at.isoformat(),
                     "job_id": str(t.job_id) if t.job_id else None, "technician_name": names.get(str(t.technician_id)),
                     "job": _label(labels, t.job_id)} for t in tickets],
        "charges": [{"id": str(c.id), "job_id": str(c.job_id), "name_zh": c.name_zh, "name_en": c.name_en,
                     "reason": c.reason, "amount_cents": c.amount_cents, "quantity": c.quantity,
                     "created_at": c.created_at.isoformat(), **_label(labels, c.job_id)} for c in charges],
    }


def expiring_certificates(session: Session, today: date, days: int) -> list[dict]:
    rows = session.execute(select(TechnicianSkill).where(
        TechnicianSkill.valid_until.is_not(None), TechnicianSkill.valid_until <= today + timedelta(days=days))
        .order_by(TechnicianSkill.valid_until)).scalars().all()
    names = technician_names(session, {r.technician_id for r in rows})
    return [{"technician_id": str(r.technician_id), "technician_name": names.get(str(r.technician_id)),
             "skill": r.skill, "certificate_name": r.certificate_name, "certificate_number": r.certificate_number,
             "valid_until": r.valid_until.isoformat(), "expired": r.valid_until < today} for r in rows]
