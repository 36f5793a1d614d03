"""Price lists: the platform default shipped as data, each client's own per category, and which one
applies to a job (the client's own if it has one for the category, else the default)."""

import hashlib
import json
import uuid
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.catalogue.models import ApplianceCategory
from app.errors import conflict, invalid, not_found
from app.orders.models import ServiceType
from app.pricing.models import ItemKind, PriceItem, PriceList
from app.pricing.schemas import PriceItemIn

DATA = Path(__file__).parent / "data" / "default_prices.json"
# Service types a job can have (delivery_install is an order type that becomes delivery + install jobs).
JOB_SERVICE_TYPES = frozenset(s.value for s in ServiceType) - {ServiceType.delivery_install}


@lru_cache
def default_data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _content_hash(items: list[dict]) -> str:
    return hashlib.sha256(json.dumps(items, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --- reading ----------------------------------------------------------------------------------------


def current_list(session: Session, client_id: uuid.UUID | None, category: str) -> PriceList | None:
    owner = PriceList.client_id.is_(None) if client_id is None else PriceList.client_id == client_id
    return session.scalar(
        select(PriceList)
        .where(PriceList.category == category, owner, PriceList.current.is_(True))
        .options(selectinload(PriceList.items))
        .order_by(PriceList.version.desc())
        .limit(1)
    )


def applicable_list(session: Session, client_id: uuid.UUID | None, category: str) -> PriceList | None:
    """The client's own current list for the category, else the platform default."""
    own = current_list(session, client_id, category) if client_id is not None else None
    return own or current_list(session, None, category)


def list_for_job(session: Session, job) -> PriceList | None:
    return applicable_list(session, job.order.client_id, job.category)


def labour_item(price_list: PriceList | None, service_type: str) -> PriceItem | None:
    if price_list is None:
        return None
    return next(
        (i for i in price_list.items if i.kind == ItemKind.labour and i.service_type == service_type), None
    )


def extra_items(price_list: PriceList | None) -> list[PriceItem]:
    """What a technician may add to a job: parts and surcharges (labour is the job's base line)."""
    return [i for i in price_list.items if i.kind != ItemKind.labour] if price_list else []


def check_category(session: Session, category: str) -> None:
    if session.get(ApplianceCategory, category) is None:
        known = ", ".join(sorted(session.scalars(select(ApplianceCategory.code))))
        raise invalid("category", f"unknown appliance category {category!r} (known: {known})", code="unknown-category")


def effective_list(session: Session, client_id: uuid.UUID | None, category: str) -> PriceList:
    check_category(session, category)
    pl = applicable_list(session, client_id, category)
    if pl is None:
        raise not_found("price list for category", category)
    return pl


# --- writing ----------------------------------------------------------------------------------------


def validate_items(items: list[PriceItemIn]) -> None:
    """Rules across items that one item's schema cannot see; names the offending items[i].field."""
    seen_codes: dict[str, int] = {}
    seen_labour: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.code in seen_codes:
            raise invalid(f"items[{i}].code", f"duplicate code {item.code!r} (also items[{seen_codes[item.code]}])",
                          code="duplicate-code")
        seen_codes[item.code] = i
        if item.kind == ItemKind.labour:
            if item.service_type not in JOB_SERVICE_TYPES:
                known = ", ".join(sorted(JOB_SERVICE_TYPES))
                raise invalid(f"items[{i}].service_type", f"a labour item names its service type, one of: {known}",
                              code="invalid-service-type")
            if item.service_type in seen_labour:
                raise invalid(
                    f"items[{i}].service_type",
                    f"labour for {item.service_type!r} is already items[{seen_labour[item.service_type]}]",
                    code="duplicate-labour",
                )
            seen_labour[item.service_type] = i
        elif item.service_type is not None:
            raise invalid(f"items[{i}].service_type", "only labour items name a service type",
                          code="invalid-service-type")


def replace_list(session: Session, client_id: uuid.UUID | None, category: str, items: list[PriceItemIn]) -> PriceList:
    """Make `items` the current list: a new version, unless they equal the current one. Older versions
    stay, so nothing already charged from them changes."""
    check_category(session, category)
    validate_items(items)
    rows = [i.model_dump() for i in items]
    digest = _content_hash(rows)
    old = current_list(session, client_id, category)
    if old is not None and old.content_hash == digest:
        return old
    owner = PriceList.client_id.is_(None) if client_id is None else PriceList.client_id == client_id
    last = session.scalar(select(func.max(PriceList.version)).where(PriceList.category == category, owner)) or 0
    new = PriceList(
        id=uuid.uuid4(), client_id=client_id, category=category, version=last + 1, current=True, content_hash=digest,
        items=[PriceItem(position=n, **row) for n, row in enumerate(rows)],
    )
    try:
        with session.begin_nested():
            if old is not None:
                old.current = False
            session.add(new)
    except IntegrityError:
        # Another replacement took the same version number first.
        raise conflict("price-list-changed", f"the {category} price list was replaced meanwhile; send it again",
                       category=category) from None
    return new


def load_default_prices(session: Session) -> int:
    """Make the shipped platform default lists current (after the catalogue is loaded); returns how many
    list versions were added. Safe to repeat: unchanged lists are left alone, changed ones get a version."""
    added = 0
    for entry in default_data()["lists"]:
        items = [PriceItemIn(**row) for row in entry["items"]]
        before = current_list(session, None, entry["category"])
        if replace_list(session, None, entry["category"], items) is not before:
            added += 1
    session.flush()
    return added
