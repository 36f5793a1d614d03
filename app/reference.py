"""Reference data every installation needs, loaded on start and safe to load again: the service
catalogue, the standard process templates, the platform's default price list and warranty policies."""

from sqlalchemy.orm import Session

from app.catalogue.service import load_catalogue
from app.checklists.service import load_library
from app.pricing.service import load_default_prices
from app.warranty.service import load_default_policies


def load_reference_data(session: Session) -> dict:
    return {
        "catalogue": load_catalogue(session),
        "templates": load_library(session),
        "prices": load_default_prices(session),
        "warranty_policies": load_default_policies(session),
    }
