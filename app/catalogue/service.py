"""The service catalogue shipped in data/catalogue.json, loaded into the database on first start."""

import json
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Entry:
    """A catalogue entry as intake reads it (a plain value: shared between requests and threads)."""

    category: str
    service_type: str
    skills: tuple[str, ...]
    duration_minutes: int
    base_price_cents: int
    title_zh: str
    title_en: str


# The catalogue of each database, read once: entries are only ever added (load_catalogue adds what is
# missing and changes nothing), so a remembered entry never goes stale, and a key not remembered sends
# the next lookup back to the database once.
_entries: dict[object, dict[tuple[str, str], Entry]] = {}


def _read_entries(session: Session) -> dict[tuple[str, str], Entry]:
    return {
        (e.category, e.service_type): Entry(e.category, e.service_type, tuple(e.skills), e.duration_minutes,
                                            e.base_price_cents, e.title_zh, e.title_en)
        for e in session.scalars(select(CatalogueEntry))
    }


def entry_for(session: Session, category: str, service_type: str, field: str) -> Entry:
    """The entry for a category's service, or a 422 naming `field` (an unknown category or service)."""
    database = session.get_bind().engine.url
    entries = _entries.get(database)
    entry = entries.get((category, service_type)) if entries is not None else None
    if entry is None:
        _entries[database] = entries = _read_entries(session)
        entry = entries.get((category, service_type))
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
