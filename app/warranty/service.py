"""Products and their service codes, warranty policies, and the warranty answers other domains read.

Services only flush; the request's session commits or rolls back.
"""

import json
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.catalogue.models import ApplianceCategory
from app.catalogue.service import catalogue_data
from app.clients.models import Client, ClientKind
from app.errors import ProblemError, conflict, forbidden, invalid, not_found
from app.jobs.models import Job, JobStatus
from app.orders.batch import _validation_error
from app.pagination import paginate
from app.warranty import codes
from app.warranty.models import Product, ReworkLink, WarrantyDecision, WarrantyPolicy
from app.warranty.schemas import MAX_BATCH, PolicyIn, ProductCreate

DEFAULTS = Path(__file__).parent / "data" / "default_policies.json"


def require_brand(principal) -> None:
    if principal.client is None or principal.client.kind != ClientKind.brand:
        raise forbidden("products and warranty policies belong to brands (clients of kind brand)")


def check_category(session: Session, category: str, field: str) -> ApplianceCategory:
    found = session.get(ApplianceCategory, category)
    if found is None:
        known = ", ".join(sorted(c["code"] for c in catalogue_data()["categories"]))
        raise invalid(field, f"unknown appliance category {category!r} (known: {known})", code="unknown-category")
    return found


def booking_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/book/{code}"


# --- products ------------------------------------------------------------------------------------------


def _duplicate_serial(serial: str, existing: uuid.UUID) -> ProblemError:
    return conflict(
        "duplicate-serial", f"serial {serial!r} is already registered as product {existing}",
        field="serial", existing_product_id=str(existing),
    )


def _product_with_serial(session: Session, client_id: uuid.UUID, serial: str) -> uuid.UUID | None:
    return session.scalar(select(Product.id).where(Product.client_id == client_id, Product.serial == serial))


def _unused_code(session: Session) -> str:
    # 50 random bits: a clash is practically impossible, but cheap to rule out.
    for _ in range(5):
        code = codes.new_code()
        if session.scalar(select(Product.id).where(Product.service_code == code)) is None:
            return code
    raise RuntimeError("could not draw an unused service code")


def register_product(session: Session, client_id: uuid.UUID, data: ProductCreate) -> Product:
    check_category(session, data.category, "category")
    existing = _product_with_serial(session, client_id, data.serial)
    if existing is not None:
        raise _duplicate_serial(data.serial, existing)
    product = Product(client_id=client_id, service_code=_unused_code(session), **data.model_dump())
    try:
        with session.begin_nested():
            session.add(product)
            session.flush()
    except IntegrityError:
        # A concurrent request registered the same serial between our check and insert.
        existing = _product_with_serial(session, client_id, data.serial)
        if existing is None:
            raise
        raise _duplicate_serial(data.serial, existing) from None
    return product


def too_large(count: int) -> ProblemError:
    return ProblemError(
        413, "batch-too-large", f"products: a batch holds at most {MAX_BATCH} products; this one has {count}",
        title="Batch too large", field="products", limit=MAX_BATCH, count=count,
    )


def register_batch(session: Session, client_id: uuid.UUID, rows: list[Any]) -> dict:
    """Each row on its own: bad rows are reported with their index, good rows kept. A row is checked
    before anything is written and inserted in its own savepoint, so a refused row leaves nothing."""
    if len(rows) > MAX_BATCH:
        raise too_large(len(rows))
    results: list[dict] = []
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            error = {"field": None, "detail": "each product must be a JSON object", "code": "validation-error"}
            results.append({"index": index, "status": "rejected", "error": error})
            continue
        serial = row.get("serial")
        out = {"index": index, "serial": serial if isinstance(serial, str) else None}
        try:
            product = register_product(session, client_id, ProductCreate.model_validate(row))
        except ValidationError as exc:
            results.append({**out, "status": "rejected", "error": _validation_error(exc)})
        except ProblemError as exc:
            error = {"field": exc.field, "detail": exc.detail, "code": exc.code}
            results.append({**out, "status": "rejected", "error": error})
        else:
            results.append({**out, "status": "created", "product_id": product.id, "service_code": product.service_code})
    created = sum(1 for r in results if r["status"] == "created")
    return {"created": created, "rejected": len(results) - created, "results": results}


def own_product(session: Session, client_id: uuid.UUID, product_id: uuid.UUID) -> Product:
    product = session.get(Product, product_id)
    if product is None or product.client_id != client_id:
        raise not_found("product", product_id)  # another brand's product does not exist for this caller
    return product


def list_products(
    session: Session, client_id: uuid.UUID, *, serial: str | None, category: str | None, cursor: str | None, limit: int
) -> tuple[list[Product], str | None]:
    stmt = select(Product).where(Product.client_id == client_id)
    if serial:
        stmt = stmt.where(Product.serial == serial)
    if category:
        stmt = stmt.where(Product.category == category)
    return paginate(session, stmt, Product, cursor, limit)


def product_by_code(session: Session, raw_code: str) -> tuple[Product, Client, ApplianceCategory]:
    code = codes.normalise(raw_code)
    row = None
    if code is not None:
        row = session.execute(
            select(Product, Client, ApplianceCategory)
            .join(Client, Client.id == Product.client_id)
            .join(ApplianceCategory, ApplianceCategory.code == Product.category)
            .where(Product.service_code == code)
        ).first()
    if row is None or not row.Client.active:
        raise not_found("service code", raw_code[:40])
    return row.Product, row.Client, row.ApplianceCategory


# --- policies ------------------------------------------------------------------------------------------


def effective_policy(session: Session, client_id: uuid.UUID | None, category: str) -> WarrantyPolicy | None:
    """The brand's own policy for the category, else the platform default, else None."""
    return session.scalar(
        select(WarrantyPolicy)
        .where(
            WarrantyPolicy.category == category,
            or_(WarrantyPolicy.client_id == client_id, WarrantyPolicy.client_id.is_(None)),
        )
        .order_by(WarrantyPolicy.client_id.is_(None))  # the brand's own first
        .limit(1)
    )


def put_policy(session: Session, client_id: uuid.UUID, category: str, data: PolicyIn) -> WarrantyPolicy:
    check_category(session, category, "category")
    if data.key_part_months < data.whole_unit_months:
        raise invalid(
            "key_part_months",
            f"key parts are covered at least as long as the whole unit ({data.whole_unit_months} months)",
        )
    seen: set[str] = set()
    for i, part in enumerate(data.key_parts):
        if part.code in seen:
            raise invalid(f"key_parts[{i}].code", f"key part {part.code!r} is listed twice")
        seen.add(part.code)
    if data.key_part_months > data.whole_unit_months and not data.key_parts:
        raise invalid("key_parts", "name the key parts that the longer key-part cover applies to")
    values = data.model_dump(mode="json")
    policy = session.scalar(
        select(WarrantyPolicy).where(WarrantyPolicy.client_id == client_id, WarrantyPolicy.category == category)
    )
    if policy is None:
        policy = WarrantyPolicy(client_id=client_id, category=category)
        session.add(policy)
    for k, v in values.items():
        setattr(policy, k, v)
    session.flush()
    return policy


def list_policies(session: Session, client_id: uuid.UUID) -> list[WarrantyPolicy]:
    """The policy in force for every category: the brand's own where it set one, else the default."""
    rows = session.scalars(
        select(WarrantyPolicy)
        .where((WarrantyPolicy.client_id == client_id) | WarrantyPolicy.client_id.is_(None))
        .order_by(WarrantyPolicy.category)
    ).all()
    by_category: dict[str, WarrantyPolicy] = {}
    for p in rows:
        if p.client_id is not None or p.category not in by_category:
            by_category[p.category] = p
    return list(by_category.values())


@lru_cache
def default_policy_data() -> list[dict]:
    return json.loads(DEFAULTS.read_text(encoding="utf-8"))["policies"]


def load_default_policies(session: Session) -> int:
    """Insert or bring up to date the platform default policies; returns rows changed. Safe to repeat."""
    have = {p.category: p for p in session.scalars(select(WarrantyPolicy).where(WarrantyPolicy.client_id.is_(None)))}
    known = set(session.scalars(select(ApplianceCategory.code)))
    changed = 0
    for entry in default_policy_data():
        if entry["category"] not in known:
            continue  # the catalogue is loaded first; a category it lacks has no jobs to decide
        values = {"excluded_channels": [], **entry}
        policy = have.get(entry["category"])
        if policy is None:
            session.add(WarrantyPolicy(client_id=None, **values))
        elif any(getattr(policy, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(policy, k, v)
        else:
            continue
        changed += 1
    session.flush()
    return changed


# --- what other domains read ----------------------------------------------------------------------------


def decision_for_job(session: Session, job: Job) -> WarrantyDecision | None:
    """The warranty decision taken when the job was created (repair, maintenance and rework jobs)."""
    return session.scalar(select(WarrantyDecision).where(WarrantyDecision.job_id == job.id))


def decisions_of_order(session: Session, order) -> list[tuple[WarrantyDecision, Job]]:
    return list(session.execute(
        select(WarrantyDecision, Job)
        .join(Job, Job.id == WarrantyDecision.job_id)
        .where(Job.order_id == order.id)
        .order_by(Job.sequence)
    ).all())


def rework_links(session: Session, job: Job) -> tuple[ReworkLink | None, list[ReworkLink]]:
    """(the link saying which job this one redoes, the links of later jobs that redo this one)."""
    links = session.scalars(
        select(ReworkLink)
        .where(or_(ReworkLink.job_id == job.id, ReworkLink.original_job_id == job.id))
        .order_by(ReworkLink.created_at)
    ).all()
    return (next((lk for lk in links if lk.job_id == job.id), None),
            [lk for lk in links if lk.original_job_id == job.id])


def rework_stats(session: Session, technician_id: uuid.UUID) -> tuple[int, int]:
    """(rework jobs counted against the technician, jobs the technician completed).

    A rework visit that was cancelled (the consumer withdrew it) does not count."""
    reworks = session.scalar(
        select(func.count())
        .select_from(ReworkLink)
        .join(Job, Job.id == ReworkLink.job_id)
        .where(ReworkLink.original_technician_id == technician_id, Job.status != JobStatus.cancelled)
    )
    completed = session.scalar(
        select(func.count()).select_from(Job).where(Job.technician_id == technician_id, Job.status == JobStatus.completed)
    )
    return reworks or 0, completed or 0
