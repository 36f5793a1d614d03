"""A job's bill: base labour plus confirmed extras, each line saying who pays; frozen when the job
completes, with the technician's payout computed from it by the provider's rule.

Who pays: the consumer, unless the warranty decision bills the brand; then labour and parts go to the
brand (the brand the decision names, else the order's client) and surcharges stay with the consumer,
because after-hours visits, remote addresses and work at height are the consumer's circumstances,
not a defect of the product. When only the key parts are still covered (key_parts_only), the brand
pays the labour and the parts whose code is one of the decision's key parts (a compressor, a motor);
other parts are the consumer's, who confirmed them as extras.
"""

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actors import Actor
from app.errors import not_found
from app.events import bus
from app.jobs.models import Job, JobStatus
from app.orders.models import ServiceType
from app.pricing import charges as charge_service
from app.pricing.models import Bill, ChargeStatus, ItemKind, Payer, Payout, PayoutRule
from app.pricing.service import applicable_list, labour_item
from app.technicians.models import ProviderCompany, Technician
from app.warranty.service import decision_for_job


def warranty_decision(session: Session, job: Job):
    """The warranty domain's decision, or None (no decision: the consumer pays)."""
    return decision_for_job(session, job)


def _warranty_out(decision) -> dict | None:
    if decision is None:
        return None
    return {
        "status": str(getattr(decision, "status", "unknown")),
        "reason_zh": getattr(decision, "reason_zh", None),
        "reason_en": getattr(decision, "reason_en", None),
        "bill_to_brand": bool(getattr(decision, "bill_to_brand", False)),
    }


# --- the lines ----------------------------------------------------------------------------------------------


def _appliance_lines(job: Job) -> list:
    """The order's appliance lines this job serves (jobs are created in appliance order; a delivery of
    a delivery+install order carries every appliance)."""
    order = job.order
    appliances = list(order.appliances)
    if order.service_type == ServiceType.delivery_install:
        if job.service_type == ServiceType.delivery:
            return appliances
        picked = appliances[job.sequence - 1: job.sequence] if job.sequence >= 1 else []
    else:
        picked = appliances[job.sequence: job.sequence + 1]
    return picked if picked and picked[0].category == job.category else []


def labour_lines(session: Session, job: Job) -> list[dict]:
    """The applicable list's labour for the job's service type, per appliance line and quantity; if a
    line has no labour item, the job's catalogue price as one line."""
    lines = []
    for appliance in _appliance_lines(job):
        item = labour_item(applicable_list(session, job.order.client_id, appliance.category), job.service_type)
        if item is None:
            lines = []
            break
        lines.append(_line(ItemKind.labour, item.code, item.name_zh, item.name_en, item.unit,
                           item.unit_price_cents, appliance.quantity))
    return lines or [_line(ItemKind.labour, f"labour.{job.service_type}", "基础工费", "Base labour", "each",
                           job.base_price_cents, 1)]


def _line(kind, code, name_zh, name_en, unit, unit_price_cents, quantity, charge_id=None) -> dict:
    return {"kind": str(kind), "code": code, "name_zh": name_zh, "name_en": name_en, "unit": unit,
            "unit_price_cents": unit_price_cents, "quantity": quantity, "amount_cents": unit_price_cents * quantity,
            "payer": Payer.consumer.value, "charge_id": None if charge_id is None else str(charge_id)}


@dataclass
class BillView:
    job_id: uuid.UUID
    status: str  # draft | frozen
    frozen_at: object
    warranty: dict | None
    brand_client_id: uuid.UUID | None
    lines: list[dict]
    consumer_cents: int
    brand_cents: int
    total_cents: int


def compute(session: Session, job: Job) -> BillView:
    """The bill as it stands: pending, rejected and withdrawn charges are never on it."""
    decision = warranty_decision(session, job)
    warranty = _warranty_out(decision)
    lines = labour_lines(session, job)
    for c in charge_service.charges_of(session, [job.id]):
        if c.status == ChargeStatus.confirmed:
            lines.append(_line(c.kind, c.item_code, c.name_zh, c.name_en, c.unit, c.unit_price_cents, c.quantity, c.id))
    brand_client_id = None
    if warranty and warranty["bill_to_brand"]:
        brand_client_id = getattr(decision, "brand_client_id", None) or job.order.client_id
        for line in lines:
            if _brand_pays(line, warranty["status"], decision):
                line["payer"] = Payer.brand.value
    return _view(job.id, "draft", None, warranty, brand_client_id, lines)


def _brand_pays(line: dict, status: str, decision) -> bool:
    if line["kind"] == ItemKind.labour:
        return True
    if line["kind"] != ItemKind.part:
        return False
    if status == "key_parts_only":
        key_codes = {p.get("code") for p in (getattr(decision, "key_parts", None) or []) if isinstance(p, dict)}
        return line["code"] in key_codes
    return True


def _view(job_id, status, frozen_at, warranty, brand_client_id, lines) -> BillView:
    consumer = sum(ln["amount_cents"] for ln in lines if ln["payer"] == Payer.consumer)
    brand = sum(ln["amount_cents"] for ln in lines if ln["payer"] == Payer.brand)
    return BillView(job_id, status, frozen_at, warranty, brand_client_id, lines, consumer, brand, consumer + brand)


def bill_for(session: Session, job: Job) -> BillView:
    frozen = session.scalar(select(Bill).where(Bill.job_id == job.id))
    if frozen is not None:
        return _view(job.id, "frozen", frozen.frozen_at, frozen.warranty, frozen.brand_client_id, frozen.lines)
    return compute(session, job)


def order_bills(session: Session, order) -> list[BillView]:
    return [bill_for(session, j) for j in sorted(order.jobs, key=lambda j: j.sequence)
            if j.status != JobStatus.cancelled]


# --- freezing at completion --------------------------------------------------------------------------------


def freeze(session: Session, job: Job, actor: Actor) -> Bill:
    """Called when the job completes: close its charges, keep the bill as it is now, pay the technician."""
    existing = session.scalar(select(Bill).where(Bill.job_id == job.id))
    if existing is not None:
        return existing
    charge_service.close_at_completion(session, job, actor)
    view = compute(session, job)
    bill = Bill(
        job_id=job.id, lines=view.lines, warranty=view.warranty, brand_client_id=view.brand_client_id,
        consumer_cents=view.consumer_cents, brand_cents=view.brand_cents, total_cents=view.total_cents,
    )
    session.add(bill)
    session.flush()
    bus.publish(session, "bill.frozen", actor, {"bill_id": str(bill.id), "total_cents": bill.total_cents}, job=job)
    if job.technician_id is not None:
        payout = record_payout(session, job, view.lines)
        bus.publish(session, "payout.computed", actor,
                    {"payout_id": str(payout.id), "amount_cents": payout.amount_cents}, job=job)
    return bill


# --- payouts ------------------------------------------------------------------------------------------------

# Technicians without a provider company: 80% of labour (the platform keeps 20% for dispatch and
# guarantee), 20% of parts (the fitting; the rest is the material, which the platform's parts supply
# paid for), 90% of surcharges (they pay the technician's extra effort), no per-job fee.
PLATFORM_DEFAULT_RULE = {"labour_share_bp": 8000, "parts_share_bp": 2000, "surcharge_share_bp": 9000,
                         "per_job_fee_cents": 0}


def rule_for_provider(session: Session, provider_id: uuid.UUID | None) -> dict:
    """The provider's own rule; else its payout_share_bp on labour and surcharges with the platform's
    parts share; else (no provider) the platform default."""
    if provider_id is not None:
        rule = session.scalar(select(PayoutRule).where(PayoutRule.provider_id == provider_id))
        if rule is not None:
            return {"source": "provider_rule", "provider_id": provider_id, "labour_share_bp": rule.labour_share_bp,
                    "parts_share_bp": rule.parts_share_bp, "surcharge_share_bp": rule.surcharge_share_bp,
                    "per_job_fee_cents": rule.per_job_fee_cents}
        provider = session.get(ProviderCompany, provider_id)
        if provider is not None:
            return {"source": "provider_share", "provider_id": provider_id,
                    "labour_share_bp": provider.payout_share_bp,
                    "parts_share_bp": PLATFORM_DEFAULT_RULE["parts_share_bp"],
                    "surcharge_share_bp": provider.payout_share_bp, "per_job_fee_cents": 0}
    return {"source": "platform_default", "provider_id": None, **PLATFORM_DEFAULT_RULE}


def set_provider_rule(session: Session, provider_id: uuid.UUID, values: dict) -> dict:
    if session.get(ProviderCompany, provider_id) is None:
        raise not_found("provider", provider_id)
    rule = session.scalar(select(PayoutRule).where(PayoutRule.provider_id == provider_id))
    if rule is None:
        rule = PayoutRule(provider_id=provider_id, **values)
        session.add(rule)
    else:
        for k, v in values.items():
            setattr(rule, k, v)
    session.flush()
    return rule_for_provider(session, provider_id)


def _share(amount: int, bp: int) -> int:
    return (amount * bp + 5000) // 10000  # to the nearest fen, halves up


def payout_breakdown(lines: list[dict], rule: dict) -> dict:
    """The technician earns on every line whoever pays it: a warranty job is not worth less to them."""
    parts = {}
    for kind, key, bp_key in (
        ("labour", ItemKind.labour, "labour_share_bp"),
        ("parts", ItemKind.part, "parts_share_bp"),
        ("surcharges", ItemKind.surcharge, "surcharge_share_bp"),
    ):
        base = sum(ln["amount_cents"] for ln in lines if ln["kind"] == key)
        parts[kind] = {"base_cents": base, "share_bp": rule[bp_key], "amount_cents": _share(base, rule[bp_key])}
    gross = sum(p["amount_cents"] for p in parts.values())
    total = max(0, gross - rule["per_job_fee_cents"])
    rule_out = {**rule, "provider_id": None if rule["provider_id"] is None else str(rule["provider_id"])}
    return {"rule": rule_out, **parts, "per_job_fee_cents": rule["per_job_fee_cents"], "total_cents": total}


def record_payout(session: Session, job: Job, lines: list[dict]) -> Payout:
    tech = session.get(Technician, job.technician_id)
    breakdown = payout_breakdown(lines, rule_for_provider(session, tech.provider_id if tech else None))
    payout = Payout(job_id=job.id, technician_id=job.technician_id, amount_cents=breakdown["total_cents"],
                    breakdown=breakdown)
    session.add(payout)
    session.flush()
    return payout


def payouts_stmt(technician_id: uuid.UUID | None):
    stmt = select(Payout)
    if technician_id is not None:
        stmt = stmt.where(Payout.technician_id == technician_id)
    return stmt
