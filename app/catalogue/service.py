"""The service catalogue shipped in data/catalogue.json, loaded into the database on first start."""

import json
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalogue.models import ApplianceCategory, CatalogueEntry, Skill
from app.errors import invalid

DATA = Path(__file__).parent / "data" / "catalogue.json"


@lru_cache
def catalogue_data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def load_catalogue(session: Session) -> int:
    """Insert whatever part of the shipped catalogue is missing; returns rows added. Safe to repeat."""
    data = catalogue_data()
    added = 0
    have = set(session.scalars(select(ApplianceCategory.code)))
    for c in data["categories"]:
        if c["code"] not in have:
            session.add(ApplianceCategory(**c))
            added += 1
    have = set(session.scalars(select(Skill.code)))
    for s in data["skills"]:
        if s["code"] not in have:
            session.add(Skill(**s))
            added += 1
    session.flush()
    have = set(session.execute(select(CatalogueEntry.category, CatalogueEntry.service_type)).tuples())
    for e in data["entries"]:
        if (e["category"], e["service_type"]) not in have:
            session.add(CatalogueEntry(**e))
            added += 1
    session.flush()
    return added


def entry_for(session: Session, category: str, service_type: str, field: str) -> CatalogueEntry:
    entry = session.scalar(
        select(CatalogueEntry).where(
            CatalogueEntry.category == category, CatalogueEntry.service_type == service_type
        )
    )
    if entry is None:
        if session.get(ApplianceCategory, category) is None:
            known = ", ".join(sorted(c["code"] for c in catalogue_data()["categories"]))
            raise invalid(field, f"unknown appliance category {category!r} (known: {known})", code="unknown-category")
        raise invalid(field, f"the catalogue has no {service_type!r} service for {category!r}", code="unknown-service")
    return entry


def known_skills(session: Session) -> set[str]:
    return set(session.scalars(select(Skill.code)))


def list_entries(session: Session) -> list[CatalogueEntry]:
    return list(session.scalars(select(CatalogueEntry).order_by(CatalogueEntry.category, CatalogueEntry.service_type)))
