"""How the sla domain hears about jobs (called from app/process.py).

Due times follow the job's real history: a transition (accept, arrive, reschedule, reassign, ...) or a
node completion moves anchors, and the breaches it reveals are recorded at that moment rather than
waiting for the next sweep.
"""

from app.models_base import utcnow
from app.sla import service


def on_jobs_created(session, order, jobs, actor) -> None:
    # The checklists hook ran first, so the jobs' nodes exist.
    service.start_clocks(session, jobs)


def after_transition(session, job, action, from_status, actor) -> None:
    service.reconcile(session, job, utcnow())


def after_node_completed(session, job, node, actor) -> None:
    # A late completion is recorded with detected_at = completed_at; nodes anchored on this one start.
    service.reconcile(session, job, utcnow())
