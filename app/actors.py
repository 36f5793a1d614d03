"""Who did something, as recorded in event logs: a client, consumer, technician, ops user or the system."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    type: str  # client | consumer | technician | ops | system
    id: str | None = None

    @classmethod
    def of(cls, principal) -> "Actor":
        if principal.kind == "client":
            return cls("client", str(principal.id))
        if principal.technician_id is not None:
            return cls("technician", str(principal.technician_id))
        return cls("ops", str(principal.id))


SYSTEM = Actor("system", None)
