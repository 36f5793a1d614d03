"""Names beside ids: technicians' names and jobs' addresses and categories, so the plans, rankings and
explanations a dispatcher reads say "王师傅01" and "西湖区文三路 12 号 · 空调", not a UUID."""

import re
import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalogue.models import ApplianceCategory
from app.jobs.models import Job
from app.orders.models import Order
from app.technicians.models import Technician

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def technician_names(session: Session, ids: Iterable[uuid.UUID | str]) -> dict[str, str]:
    wanted = {uuid.UUID(str(i)) for i in ids if i}
    if not wanted:
        return {}
    rows = session.execute(select(Technician.id, Technician.name).where(Technician.id.in_(wanted)))
    return {str(i): name for i, name in rows}


def job_labels(session: Session, ids: Iterable[uuid.UUID | str]) -> dict[str, dict]:
    """job id -> address, category (code and names), service type, window and holder."""
    wanted = {uuid.UUID(str(i)) for i in ids if i}
    if not wanted:
        return {}
    rows = session.execute(
        select(Job.id, Job.category, Job.service_type, Job.window_start, Job.window_end, Job.status,
               Job.technician_id, Order.address, Order.external_order_id,
               ApplianceCategory.name_zh, ApplianceCategory.name_en)
        .join(Order, Order.id == Job.order_id)
        .join(ApplianceCategory, ApplianceCategory.code == Job.category)
        .where(Job.id.in_(wanted)))
    return {str(r.id): {
        "address": r.address, "category": r.category, "category_zh": r.name_zh, "category_en": r.name_en,
        "service_type": r.service_type, "window_start": r.window_start, "window_end": r.window_end,
        "status": r.status, "technician_id": r.technician_id, "order_ref": r.external_order_id,
    } for r in rows}


def job_title(label: dict | None) -> str:
    return f"{label['address']} · {label['category_zh']}" if label else "?"


def humanise(text: str | None, names: dict[str, str]) -> str | None:
    """Every id in `text` replaced by the name it stands for (ids without a name are kept)."""
    if not text:
        return text
    return UUID_RE.sub(lambda m: names.get(m.group(0), m.group(0)), text)


def ids_in(text: str | None) -> set[str]:
    return set(UUID_RE.findall(text or ""))
