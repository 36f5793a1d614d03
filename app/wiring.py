"""Which domains react to events, in the one order they react in. Every entry point (the web app, the
workers, the periodic commands, scripts) imports this module once before it changes anything."""

from app.checklists import subscribers as checklists
from app.events import bus
from app.feedback import subscribers as feedback
from app.orders import subscribers as orders
from app.planning import subscribers as planning
from app.pricing import subscribers as pricing
from app.sla import subscribers as sla
from app.warranty import subscribers as warranty
from app.webhooks import subscribers as webhooks

# Written as a sequence, not left to the imports above (a tidy-up that sorts them must not change it):
# warranty and rework first (the bill reads them); checklists before SLAs (clocks run on nodes); pricing
# before orders (the bill is frozen before the order closes); feedback after warranty (it reads rework
# links); dispatch last (offers go out for a job every other domain has finished with). Webhooks hear
# every event after its type's own handlers, whatever their place here.
ORDER = (warranty, checklists, pricing, sla, feedback, orders, planning, webhooks)

if not bus.is_wired():
    for domain in ORDER:
        domain.register()
    bus.mark_wired(__name__)
