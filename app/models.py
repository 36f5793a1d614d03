"""Every model, imported once so metadata is complete for Alembic and the app."""

from app.catalogue.models import ApplianceCategory, CatalogueEntry, Skill  # noqa: F401
from app.clients.models import ApiKey, Client  # noqa: F401
from app.idempotency.models import IdempotencyRecord  # noqa: F401
from app.jobs.models import Job, JobEvent, JobOffer  # noqa: F401
from app.models_base import Base  # noqa: F401
from app.orders.models import Order, OrderAppliance, OrderWindow  # noqa: F401
from app.technicians.models import DayOff, ProviderCompany, Technician, TechnicianSkill, WeeklyShift  # noqa: F401
from app.users.models import AuthToken, LoginFailure, User  # noqa: F401
from app.planning.models import DispatchRun, PlannedStop, PlannedUnassigned  # noqa: F401
from app.checklists.models import ClientNode, JobNode, NodePhoto, ProcessTemplate, TemplateNode  # noqa: F401
import app.sla.models  # noqa: F401,E402
import app.pricing.models  # noqa: F401,E402
import app.warranty.models  # noqa: F401,E402
import app.feedback.models  # noqa: F401,E402
import app.events.models  # noqa: F401,E402
import app.webhooks.models  # noqa: F401,E402
import app.consumer.models  # noqa: F401,E402
