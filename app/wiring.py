"""Which domains react to events, in the one order they run in. Every entry point (the web app, the
workers, the periodic commands, scripts) imports this module once before it changes anything."""

from app.events import bus
from app.warranty import subscribers as _warranty  # noqa: F401  (rework and warranty first: the bill reads them)
from app.checklists import subscribers as _checklists  # noqa: F401,E402
from app.pricing import subscribers as _pricing  # noqa: F401,E402
from app.sla import subscribers as _sla  # noqa: F401,E402  (after checklists: clocks run on nodes)
from app.feedback import subscribers as _feedback  # noqa: F401,E402  (after warranty: reads rework links)
from app.orders import subscribers as _orders  # noqa: F401,E402
from app.planning import subscribers as _planning  # noqa: F401,E402  (last: offers go out on a finished job)

bus.mark_wired(__name__)
