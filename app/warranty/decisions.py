"""Deciding a job's warranty: which product, which policy, which dates, who pays, and why.

The decision is taken once, from the facts at the order's creation (the day the consumer asked for
the visit), and stored with its reason, so a later policy change never rewrites what was promised.
A cover "until D" (purchase date + N months) includes the day D.

Who pays (bill_to_brand):
- in_warranty: the brand (labour and parts).
- key_parts_only: the brand as well. The whole-unit cover has ended but the key parts are still
  covered, and whether the fault is in a key part is only known on site; the brand's key-part
  promise makes the brand answerable for the visit, and anything outside it reaches the consumer
  only as an extra charge from the price list that the consumer confirms.
- out_of_warranty / unknown: not the brand; the consumer pays only what they confirm.
- maintenance: routine care is not a defect, so never the brand, whatever the cover.
- in cover but the brand has no account on the platform to bill: not the brand (the reason says so).
- rework within the rework period: never the consumer. bill_to_brand is True (the brand side carries
  the visit) and the rework link names the original technician it is charged back to.
"""

import re
import uuid
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clients.models import Client, ClientKind
from app.config import get_settings
from app.jobs.models import Job
from app.orders.models import Order, OrderAppliance, ServiceType
from app.warranty.models import (
    Product,
    ReworkLink,
    WarrantyDecision,
    WarrantyPolicy,
    WarrantyStatus,
)
from app.warranty.service import effective_policy

DECIDED_KINDS = {ServiceType.repair, ServiceType.maintenance, ServiceType.rework}


def add_months(d: date, months: int) -> date:
    years, month0 = divmod(d.month - 1 + months, 12)
    year, month = d.year + years, month0 + 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def city_date(at: datetime) -> date:
    return at.astimezone(ZoneInfo(get_settings().city_timezone)).date()


def appliance_for(order: Order, job: Job) -> OrderAppliance | None:
    """The order line a job works on: one job per line, after the delivery job of a delivery+install."""
    index = job.sequence - (1 if order.service_type == ServiceType.delivery_install else 0)
    return order.appliances[index] if 0 <= index < len(order.appliances) else None


def _brand_tokens(name: str) -> set[str]:
    return {t for t in re.split(r"[\s/|,，、()（）·\-]+", name.casefold()) if len(t) >= 2}


def same_brand(a: str, b: str) -> bool:
    """"格力 Gree", "GREE" and "格力" name the same brand: any shared word of two characters or more."""
    return a.strip().casefold() == b.strip().casefold() or bool(_brand_tokens(a) & _brand_tokens(b))


def find_product(session: Session, order: Order, appliance: OrderAppliance | None) -> Product | None:
    if appliance is None or not appliance.serial:
        return None
    same = select(Product).where(Product.serial == appliance.serial, Product.category == appliance.category)
    if order.client_id is not None:
        product = session.scalar(same.where(Product.client_id == order.client_id))
        if product is not None:
            return product
    if appliance.brand:
        for product, name in session.execute(same.add_columns(Client.name).join(Client, Client.id == Product.client_id)):
            if same_brand(name, appliance.brand):
                return product
    return None


def brand_for(session: Session, order: Order, appliance: OrderAppliance | None) -> uuid.UUID | None:
    """Without a registered product: the brand that posted the order, or the brand the appliance names."""
    if order.client_id is not None:
        client = session.get(Client, order.client_id)
        if client is not None and client.kind == ClientKind.brand:
            return client.id
    if appliance is not None and appliance.brand:
        brands = session.execute(select(Client.id, Client.name).where(Client.kind == ClientKind.brand, Client.active))
        return next((cid for cid, name in brands if same_brand(name, appliance.brand)), None)
    return None


@dataclass
class Reason:
    zh: list[str]
    en: list[str]

    def add(self, zh: str, en: str) -> None:
        self.zh.append(zh)
        self.en.append(en)


def _parts(policy_parts: list[dict]) -> tuple[str, str]:
    return "、".join(p["name_zh"] for p in policy_parts) or "关键部件", ", ".join(p["name_en"] for p in policy_parts) or "key parts"


def _judge(d: WarrantyDecision, category: str, policy: WarrantyPolicy | None, product: Product | None,
           appliance: OrderAppliance | None, why: Reason) -> str:
    """Fills in the cover dates; returns the status and writes the rule and dates into `why`."""
    if policy is None:
        why.add(f"没有适用于该品类（{category}）的保修政策，无法判断保修",
                f"no warranty policy applies to this category ({category}): warranty cannot be decided")
        return WarrantyStatus.unknown
    if d.purchase_date is None:
        serial = appliance.serial if appliance is not None else None
        if serial:
            why.add(f"序列号 {serial} 未登记为产品，工单也未提供购买日期，无法判断保修",
                    f"serial {serial} is not a registered product and the order gives no purchase date: "
                    "warranty cannot be decided")
        else:
            why.add("工单未提供序列号和购买日期，无法判断保修",
                    "the order gives neither a serial number nor a purchase date: warranty cannot be decided")
        return WarrantyStatus.unknown

    source_zh, source_en = ("产品登记", "registered product") if product else ("工单填写，未核实", "stated on the order, not verified")
    policy_zh, policy_en = ("品牌保修政策", "the brand's policy") if policy.client_id else ("平台默认政策（三包）", "platform default (三包)")
    why.add(f"购买于 {d.purchase_date}（{source_zh}），按{policy_zh}",
            f"purchased {d.purchase_date} ({source_en}), under {policy_en}")
    if product is not None and product.channel in policy.excluded_channels:
        why.add(f"购买渠道 {product.channel} 不在保修范围内，不予保修",
                f"the sales channel {product.channel} is excluded from the cover: out of warranty")
        return WarrantyStatus.out_of_warranty

    d.whole_unit_until = add_months(d.purchase_date, policy.whole_unit_months)
    d.key_parts_until = add_months(d.purchase_date, policy.key_part_months)
    on = d.decided_for
    whole_zh = f"整机保修 {policy.whole_unit_months} 个月至 {d.whole_unit_until}"
    whole_en = f"whole unit covered {policy.whole_unit_months} months until {d.whole_unit_until}"
    if on <= d.whole_unit_until:
        why.add(f"{whole_zh}，报修日 {on} 在保修期内", f"{whole_en}; reported {on}: in warranty")
        return WarrantyStatus.in_warranty
    why.add(f"{whole_zh}，已过期", f"{whole_en}, expired")
    names_zh, names_en = _parts(d.key_parts)
    parts_zh = f"{names_zh}保修 {policy.key_part_months} 个月至 {d.key_parts_until}"
    parts_en = f"{names_en} covered {policy.key_part_months} months until {d.key_parts_until}"
    if d.key_parts and on <= d.key_parts_until:
        why.add(f"{parts_zh}，仍在保：仅当故障在{names_zh}时免费维修",
                f"{parts_en}, still covered: the repair is free only if the fault is in the {names_en}")
        return WarrantyStatus.key_parts_only
    if d.key_parts:
        why.add(f"{parts_zh}，已过期", f"{parts_en}, expired")
    return WarrantyStatus.out_of_warranty


def decide(session: Session, order: Order, job: Job, rework: ReworkLink | None) -> WarrantyDecision:
    appliance = appliance_for(order, job)
    product = find_product(session, order, appliance)
    brand_id = product.client_id if product is not None else brand_for(session, order, appliance)
    policy = effective_policy(session, brand_id, job.category)
    purchase, source = (product.purchase_date, "product") if product is not None else (
        (appliance.purchase_date, "order") if appliance is not None and appliance.purchase_date else (None, None)
    )
    d = WarrantyDecision(
        job_id=job.id, brand_client_id=brand_id, product_id=product.id if product else None,
        policy_id=policy.id if policy else None, purchase_date=purchase, purchase_date_source=source,
        decided_for=city_date(order.created_at), key_parts=list(policy.key_parts) if policy else [],
    )
    why = Reason([], [])
    d.status = _judge(d, job.category, policy, product, appliance, why)
    covered = d.status in (WarrantyStatus.in_warranty, WarrantyStatus.key_parts_only)
    d.bill_to_brand = rework is not None or (
        covered and job.service_type != ServiceType.maintenance and brand_id is not None
    )
    if rework is not None:
        days = get_settings().rework_days
        why.add(
            f"返修：原工单 {str(rework.original_job_id)[:8]} 完成后第 {rework.days_after} 天再次报修（返修期 {days} 天），"
            "消费者免费，费用由原师傅承担",
            f"rework: reported {rework.days_after} days after job {str(rework.original_job_id)[:8]} was completed "
            f"(rework period {days} days): free for the consumer, charged back to the original technician",
        )
    elif covered and job.service_type == ServiceType.maintenance:
        why.add("保养属于日常维护而非故障维修，不在保修范围内，费用由消费者承担",
                "maintenance is routine care, not a repair of a defect: not covered, the consumer pays")
    elif covered and brand_id is None:
        why.add("该品牌未在平台开通保修结算，请向品牌售后申请保修；本次仅收取消费者确认的费用",
                "the brand has no account on the platform to bill: claim the warranty from the brand; "
                "the consumer pays only what they confirm")
    elif d.status == WarrantyStatus.in_warranty:
        why.add("人工和配件费用由品牌承担，消费者无需支付", "labour and parts are billed to the brand, not the consumer")
    elif d.status == WarrantyStatus.key_parts_only:
        why.add("上门检测和关键部件维修由品牌承担；故障不在关键部件时，其他费用须经消费者确认才收取",
                "the visit and a key-part repair are billed to the brand; if the fault is elsewhere, anything "
                "else is charged only once the consumer confirms it")
    d.reason_zh = "；".join(why.zh) + "。"
    d.reason_en = "; ".join(why.en) + "."
    return d
