"""The job-level SLAs (工单时效), as data: change a limit here and every job is measured by it.

Node SLAs live on the nodes themselves (sla_anchor + sla_minutes, from the template library).
These are the promises about the job as a whole, each measured from the job's event log:

- respond (接单响应): once the platform offers a job, a technician takes it within 30 minutes.
  Counted from the *first* offer: re-offering after declines or expiries does not restart the
  consumer's wait ("nobody answering for days" is exactly what this catches).
- appointment (预约确认): the technician who took the job confirms the visit time with the consumer
  (the `schedule` action) within 2 hours. A new technician (reassign) gets a fresh clock.
- arrive (按时上门): on site by the end of the appointment window in force. A reschedule agreed
  before the window ended moves the deadline; one made after it had passed does not undo the miss.
- close (完工时效): the job is completed within 48 hours of arrival.
"""

from dataclasses import dataclass

from app.jobs.models import JobStatus as S


@dataclass(frozen=True)
class JobSla:
    code: str
    title_zh: str
    title_en: str
    anchor: str  # offered | accepted | window_end | arrived
    minutes: int
    outcome: str  # accepted | scheduled | arrived | completed
    # Breaches count against the technician holding the job when the deadline passed.
    technician_responsible: bool
    # While the job is in one of these states the SLA may still be undecided (the sweep's pre-filter).
    open_statuses: frozenset[str]


JOB_SLAS: tuple[JobSla, ...] = (
    JobSla("respond", "接单响应", "Offer taken by a technician", "offered", 30, "accepted", False,
           frozenset({S.pending, S.offered})),
    JobSla("appointment", "预约确认", "Appointment confirmed with the consumer", "accepted", 120, "scheduled", True,
           frozenset({S.accepted, S.rescheduled})),
    JobSla("arrive", "按时上门", "On site by the end of the appointment window", "window_end", 0, "arrived", True,
           frozenset({S.pending, S.offered, S.accepted, S.scheduled, S.rescheduled, S.en_route})),
    JobSla("close", "完工时效", "Completed within 48 hours of arrival", "arrived", 48 * 60, "completed", True,
           frozenset({S.on_site, S.in_progress})),
)

BY_CODE = {s.code: s for s in JOB_SLAS}

# A pending SLA due within this many minutes puts the job "at risk".
AT_RISK_MINUTES = 30

# Job events that start (or restart) a clock, and those that meet it.
ANCHOR_ACTIONS: dict[str, frozenset[str]] = {
    "offered": frozenset({"offer"}),
    "accepted": frozenset({"accept", "assign", "reassign"}),
    "arrived": frozenset({"arrive"}),
    "started": frozenset({"start"}),
    "completed": frozenset({"complete"}),
}
OUTCOME_ACTIONS: dict[str, frozenset[str]] = {
    "accepted": frozenset({"accept", "assign"}),
    "scheduled": frozenset({"schedule"}),
    "arrived": frozenset({"arrive"}),
    "completed": frozenset({"complete"}),
}
# The job ended without its work being done: clocks stop.
STOP_ACTIONS = frozenset({"cancel", "fail"})
