"""The one job state machine: which action moves a job from which states to which state.

Every change of a job's status goes through `transition` in service.py, which checks this table,
updates the row only if nobody changed it meanwhile (version check), and appends an event.
"""

from app.jobs.models import JobStatus as S

# action -> (states it may start from, state it leads to). None means "decided by the service".
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "release": (frozenset({S.awaiting_goods}), S.pending),
    "offer": (frozenset({S.pending, S.offered}), S.offered),
    "accept": (frozenset({S.offered}), S.accepted),
    "decline": (frozenset({S.offered}), None),  # stays offered while other offers are open
    "expire_offers": (frozenset({S.offered}), S.pending),
    "assign": (frozenset({S.pending, S.offered}), S.accepted),
    "reassign": (frozenset({S.accepted, S.scheduled, S.rescheduled}), S.accepted),
    "unassign": (frozenset({S.offered, S.accepted, S.scheduled, S.rescheduled}), S.pending),
    "schedule": (frozenset({S.accepted, S.rescheduled}), S.scheduled),
    "reschedule": (frozenset({S.accepted, S.scheduled, S.en_route}), S.rescheduled),
    # The consumer moved a visit nobody holds yet to another window (it stays with dispatch).
    "rebook": (frozenset({S.pending}), S.pending),
    "depart": (frozenset({S.scheduled}), S.en_route),
    "arrive": (frozenset({S.en_route}), S.on_site),
    "start": (frozenset({S.on_site}), S.in_progress),
    "complete": (frozenset({S.in_progress}), S.completed),
    "fail": (frozenset({S.en_route, S.on_site, S.in_progress}), S.failed),
    "cancel": (
        frozenset({S.awaiting_goods, S.pending, S.offered, S.accepted, S.scheduled, S.rescheduled, S.en_route}),
        S.cancelled,
    ),
}

TERMINAL = frozenset({S.completed, S.failed, S.cancelled})
# States in which a technician holds the job.
HELD = frozenset({S.accepted, S.scheduled, S.rescheduled, S.en_route, S.on_site, S.in_progress})

# What the assigned technician may do through the transitions endpoint; ops may do all of these too.
TECHNICIAN_ACTIONS = frozenset({"schedule", "reschedule", "depart", "arrive", "start", "complete", "fail"})
OPS_ACTIONS = TECHNICIAN_ACTIONS | {"cancel"}
REASON_REQUIRED = frozenset({"reschedule", "rebook", "fail", "cancel", "assign", "reassign", "unassign"})


def allowed_actions(status: str) -> list[str]:
    return sorted(a for a, (sources, _) in TRANSITIONS.items() if status in sources)
