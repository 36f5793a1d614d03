"""A complaint ticket's states and the moves between them.

    open ─acknowledge─▶ acknowledged ─resolve─▶ resolved
      └────────reject──────────┴──────reject──▶ rejected

Acknowledging is the first response; resolving or rejecting closes the ticket. Notes may be added
in any state (a follow-up after closing belongs on the same timeline).
"""

from datetime import datetime

from app.feedback.models import TicketStatus

MOVES: dict[str, tuple[frozenset[str], str]] = {
    "acknowledge": (frozenset({TicketStatus.open}), TicketStatus.acknowledged),
    "resolve": (frozenset({TicketStatus.acknowledged}), TicketStatus.resolved),
    "reject": (frozenset({TicketStatus.open, TicketStatus.acknowledged}), TicketStatus.rejected),
}


def allowed_actions(status: str) -> list[str]:
    return [a for a, (sources, _) in MOVES.items() if status in sources] + ["note"]


def is_overdue(ticket, now: datetime) -> bool:
    """Still waiting for an answer, or still open, past its due time."""
    return (ticket.first_response_at is None and ticket.first_response_due_at < now) or (
        ticket.resolved_at is None and ticket.resolution_due_at < now
    )
