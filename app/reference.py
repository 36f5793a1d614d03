"""Reference data every installation needs, loaded on start and safe to load again: the service
catalogue, the standard process templates, the platform's default price list and warranty policies."""

import importlib

from sqlalchemy.orm import Session

LOADERS = (
    ("catalogue", "app.catalogue.service", "load_catalogue"),
    ("templates", "app.checklists.service", "load_library"),
    ("prices", "app.pricing.service", "load_default_prices"),
    ("warranty_policies", "app.warranty.service", "load_default_policies"),
)


def load_reference_data(session: Session) -> dict:
    loaded = {}
    for name, module, function in LOADERS:
        try:  # TODO(lead): strict once every domain has landed
            loader = getattr(importlib.import_module(module), function)
        except (ImportError, AttributeError):
            continue
        try:  # TODO(lead): strict once every domain has landed
            loaded[name] = loader(session)
        except ModuleNotFoundError:
            continue
    return loaded
