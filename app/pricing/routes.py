"""HTTP routes: price lists, a job's price items and extra charges, bills and payouts, and the consumer's
side of charges and bills through the tracking link."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from app.actors import Actor
from app.auth import ClientDep, OpsDep, PrincipalDep, SessionDep, TechnicianDep
from app.errors import forbidden, not_found
from app.jobs import service as jobs
from app.orders.tracking import CONSUMER, order_for_token
from app.pagination import paginate
from app.pricing import billing, charges, service
from app.pricing.models import ChargeStatus, JobCharge, Payout
from app.pricing.schemas import (
    BillOut,
    ChargeIn,
    ChargeOut,
    ChargeSheetOut,
    ConsumerChargeOut,
    JobPriceItemsOut,
    OptionalReasonIn,
    OrderBillOut,
    PayoutOut,
    PayoutRuleIn,
    PayoutRuleOut,
    PriceItemOut,
    PriceListIn,
    PriceListOut,
    ReasonIn,
    StaffBillOut,
)
from app.schemas_base import Page
from app.technicians.models import ProviderCompany

router = APIRouter(tags=["pricing"])
public = APIRouter(tags=["pricing"])


# --- price lists ---------------------------------------------------------------------------------------------


@router.put("/v1/price-lists/{category}", response_model=PriceListOut)
def replace_price_list(category: str, body: PriceListIn, session: SessionDep, p: ClientDep):
    return PriceListOut.of(service.replace_list(session, p.id, category, body.items))


@router.get("/v1/price-lists/{category}", response_model=PriceListOut)
def get_price_list(category: str, session: SessionDep, p: PrincipalDep, client_id: uuid.UUID | None = None):
    """A client gets the list that applies to its orders; ops any client's (or the default without client_id)."""
    if p.kind == "client":
        if client_id is not None and client_id != p.id:
            raise not_found("price list for category", category)
        client_id = p.id
    elif not p.is_ops:
        raise forbidden("price lists are for clients and ops; a technician sees a job's at /v1/jobs/{id}/price-items")
    return PriceListOut.of(service.effective_list(session, client_id, category))


# --- a job's items and charges ---------------------------------------------------------------------------------


@router.get("/v1/jobs/{job_id}/price-items", response_model=JobPriceItemsOut)
def job_price_items(job_id: uuid.UUID, session: SessionDep, p: PrincipalDep):
    return _price_items(session, jobs.visible_job(session, job_id, p))


def _price_items(session, job) -> JobPriceItemsOut:
    pl = service.list_for_job(session, job)
    return JobPriceItemsOut(
        job_id=job.id, price_list_id=pl.id if pl else None, is_default=pl is None or pl.client_id is None,
        version=pl.version if pl else None, items=[PriceItemOut.of(i) for i in service.extra_items(pl)],
    )


@router.get("/v1/jobs/{job_id}/charges", response_model=ChargeSheetOut)
def job_charges(job_id: uuid.UUID, session: SessionDep, p: PrincipalDep):
    job = _staff_job(session, job_id, p)
    sheet = charges.sheet_for(session, job)
    return ChargeSheetOut(job_id=job.id, closed=sheet.closed_at is not None, closed_at=sheet.closed_at,
                          charges=charges.charges_of(session, [job.id]))


@router.post("/v1/jobs/{job_id}/charges", status_code=201, response_model=ChargeOut)
def add_charge(job_id: uuid.UUID, body: ChargeIn, session: SessionDep, p: TechnicianDep):
    job = charges.technicians_job(session, job_id, p.technician_id)
    return charges.add_charge(session, job, body, Actor.of(p))


@router.post("/v1/jobs/{job_id}/charges/close", response_model=ChargeSheetOut)
def close_charges(job_id: uuid.UUID, session: SessionDep, p: TechnicianDep):
    job = charges.technicians_job(session, job_id, p.technician_id)
    sheet = charges.close(session, job, Actor.of(p))
    return ChargeSheetOut(job_id=job.id, closed=True, closed_at=sheet.closed_at,
                          charges=charges.charges_of(session, [job.id]))


@router.get("/v1/charges", response_model=Page[ChargeOut])
def list_charges(
    session: SessionDep,
    _: OpsDep,
    status: ChargeStatus | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    """Ops' queue, e.g. ?status=awaiting_approval for custom items to review."""
    rows, next_cursor = paginate(session, charges.charges_stmt(status), JobCharge, cursor, limit)
    return Page[ChargeOut](items=rows, next_cursor=next_cursor)


@router.post("/v1/charges/{charge_id}/approve", response_model=ChargeOut)
def approve_charge(charge_id: uuid.UUID, session: SessionDep, p: OpsDep):
    return charges.move(session, charges.get_charge(session, charge_id), "approve", Actor.of(p))


@router.post("/v1/charges/{charge_id}/reject", response_model=ChargeOut)
def reject_charge(charge_id: uuid.UUID, body: ReasonIn, session: SessionDep, p: OpsDep):
    return charges.move(session, charges.get_charge(session, charge_id), "reject", Actor.of(p), body.reason)


@router.post("/v1/charges/{charge_id}/withdraw", response_model=ChargeOut)
def withdraw_charge(charge_id: uuid.UUID, session: SessionDep, p: TechnicianDep, body: OptionalReasonIn | None = None):
    charge = charges.get_charge(session, charge_id)
    charges.technicians_job(session, charge.job_id, p.technician_id)  # someone else's charge is 404
    return charges.move(session, charge, "withdraw", Actor.of(p), body.reason if body else None)


# --- bills and payouts ------------------------------------------------------------------------------------------


def _staff_job(session, job_id: uuid.UUID, p):
    """Ops, the order's client, or the job's own technician (an offered one sees no money yet)."""
    job = jobs.visible_job(session, job_id, p)
    if p.technician_id is not None and job.technician_id != p.technician_id:
        raise not_found("job", job_id)
    return job


@router.get("/v1/jobs/{job_id}/bill", response_model=StaffBillOut)
def job_bill(job_id: uuid.UUID, session: SessionDep, p: PrincipalDep):
    return billing.bill_for(session, _staff_job(session, job_id, p))


@router.get("/v1/providers/{provider_id}/payout-rule", response_model=PayoutRuleOut)
def get_payout_rule(provider_id: uuid.UUID, session: SessionDep, _: OpsDep):
    if session.get(ProviderCompany, provider_id) is None:
        raise not_found("provider", provider_id)
    return billing.rule_for_provider(session, provider_id)


@router.put("/v1/providers/{provider_id}/payout-rule", response_model=PayoutRuleOut)
def set_payout_rule(provider_id: uuid.UUID, body: PayoutRuleIn, session: SessionDep, _: OpsDep):
    return billing.set_provider_rule(session, provider_id, body.model_dump())


@router.get("/v1/technicians/me/payouts", response_model=Page[PayoutOut])
def my_payouts(
    session: SessionDep, p: TechnicianDep, cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    rows, next_cursor = paginate(session, billing.payouts_stmt(p.technician_id), Payout, cursor, limit)
    return Page[PayoutOut](items=rows, next_cursor=next_cursor)


@router.get("/v1/payouts", response_model=Page[PayoutOut])
def list_payouts(
    session: SessionDep, _: OpsDep, technician_id: uuid.UUID | None = None, cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    rows, next_cursor = paginate(session, billing.payouts_stmt(technician_id), Payout, cursor, limit)
    return Page[PayoutOut](items=rows, next_cursor=next_cursor)


# --- the consumer, through the tracking link ------------------------------------------------------------------------


@public.get("/v1/track/{token}/charges", response_model=list[ConsumerChargeOut])
def track_charges(token: str, session: SessionDep):
    order = order_for_token(session, token)
    return [ConsumerChargeOut.of(c) for c in charges.consumer_charges(session, order)]


@public.post("/v1/track/{token}/charges/{charge_id}/confirm", response_model=ConsumerChargeOut)
def confirm_charge(token: str, charge_id: uuid.UUID, session: SessionDep):
    charge = charges.consumer_charge(session, order_for_token(session, token), charge_id)
    return ConsumerChargeOut.of(charges.move(session, charge, "confirm", CONSUMER))


@public.post("/v1/track/{token}/charges/{charge_id}/reject", response_model=ConsumerChargeOut)
def consumer_reject_charge(token: str, charge_id: uuid.UUID, session: SessionDep, body: OptionalReasonIn | None = None):
    charge = charges.consumer_charge(session, order_for_token(session, token), charge_id)
    return ConsumerChargeOut.of(charges.move(session, charge, "reject", CONSUMER, body.reason if body else None))


@public.get("/v1/track/{token}/price-items", response_model=list[JobPriceItemsOut])
def track_price_items(token: str, session: SessionDep):
    """The published prices for each visit of the order, so the consumer can check any extra asked for."""
    order = order_for_token(session, token)
    return [_price_items(session, job) for job in sorted(order.jobs, key=lambda j: j.sequence)]


@public.get("/v1/track/{token}/bill", response_model=OrderBillOut)
def track_bill(token: str, session: SessionDep):
    order = order_for_token(session, token)
    bills = billing.order_bills(session, order)
    return OrderBillOut(order_id=order.id, bills=[BillOut.model_validate(b, from_attributes=True) for b in bills],
                        consumer_cents=sum(b.consumer_cents for b in bills))


# every router of this domain; app/main.py includes them all
routers = [router, public]
