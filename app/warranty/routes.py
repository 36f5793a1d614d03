import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.auth import ClientDep, OpsDep, PrincipalDep, SessionDep
from app.errors import not_found
from app.jobs.service import get_job, visible_job
from app.orders.tracking import order_for_token
from app.schemas_base import Page
from app.warranty import booking, qr, service
from app.warranty.models import Product
from app.warranty.schemas import (
    DecisionOut,
    PolicyIn,
    PolicyOut,
    ProductBatchIn,
    ProductBatchOut,
    ProductCreate,
    ProductOut,
    ReworkOut,
    ServiceCodeOut,
    TrackedDecisionOut,
)

products = APIRouter(prefix="/v1/products", tags=["warranty"])
policies = APIRouter(prefix="/v1/warranty-policies", tags=["warranty"])
jobs = APIRouter(prefix="/v1/jobs", tags=["warranty"])
public = APIRouter(tags=["consumers"])

# every router of this domain; app/main.py includes them all
routers = [products, policies, jobs, public]

# A code always leads to the same page, so its image can be cached (printed labels are fetched in bulk).
IMMUTABLE = {"Cache-Control": "public, max-age=86400"}
Scale = Annotated[int, Query(ge=1, le=40, description="pixels (PNG) or units (SVG) per module")]


def _base_url(request: Request) -> str:
    return request.app.state.settings.public_base_url


# --- products (brands) -----------------------------------------------------------------------------------


@products.post("", status_code=201, response_model=ProductOut,
               responses={409: {"description": "serial already registered by this brand"}})
def register_product(body: ProductCreate, request: Request, session: SessionDep, p: ClientDep):
    service.require_brand(p)
    return _render(request, service.register_product(session, p.id, body))


@products.post("/batch", response_model=ProductBatchOut,
               responses={413: {"description": "more than 500 products; nothing written"}})
def register_batch(body: ProductBatchIn, session: SessionDep, p: ClientDep):
    service.require_brand(p)
    return service.register_batch(session, p.id, body.products)


@products.get("", response_model=Page[ProductOut])
def list_products(
    request: Request,
    session: SessionDep,
    p: ClientDep,
    serial: Annotated[str | None, Query(max_length=100)] = None,
    category: Annotated[str | None, Query(max_length=40)] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    service.require_brand(p)
    rows, next_cursor = service.list_products(
        session, p.id, serial=serial, category=category, cursor=cursor, limit=limit
    )
    return {"items": [_render(request, r) for r in rows], "next_cursor": next_cursor}


@products.get("/{product_id}", response_model=ProductOut)
def get_product(product_id: uuid.UUID, request: Request, session: SessionDep, p: ClientDep):
    service.require_brand(p)
    return _render(request, service.own_product(session, p.id, product_id))


def _render(request: Request, product: Product) -> dict:
    return {
        **{c: getattr(product, c) for c in ProductOut.model_fields if c != "booking_url"},
        "booking_url": service.booking_url(_base_url(request), product.service_code),
    }


# --- service codes (anyone holding the code) --------------------------------------------------------------


@public.get("/v1/service-codes/{code}", response_model=ServiceCodeOut)
def service_code(code: str, request: Request, session: SessionDep):
    return booking.service_code_view(session, code, _base_url(request))


@public.get("/v1/service-codes/{code}/qr.png", response_class=Response,
            responses={200: {"content": {"image/png": {}}}})
def service_code_png(code: str, request: Request, session: SessionDep, scale: Scale = 8):
    product, _, _ = service.product_by_code(session, code)
    url = service.booking_url(_base_url(request), product.service_code)
    return Response(qr.png(url, scale), media_type="image/png", headers=IMMUTABLE)


@public.get("/v1/service-codes/{code}/qr.svg", response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}}}})
def service_code_svg(code: str, request: Request, session: SessionDep, scale: Scale = 8):
    product, _, _ = service.product_by_code(session, code)
    url = service.booking_url(_base_url(request), product.service_code)
    title = f"售后码 Service code {product.service_code}"
    return Response(qr.svg(url, scale, title), media_type="image/svg+xml", headers=IMMUTABLE)


# --- warranty policies (brands) ----------------------------------------------------------------------------


def _policy_out(policy) -> dict:
    return {
        "category": policy.category,
        "source": "platform_default" if policy.client_id is None else "brand",
        **{k: getattr(policy, k) for k in ("whole_unit_months", "key_part_months", "key_parts", "excluded_channels",
                                           "updated_at")},
    }


@policies.get("", response_model=list[PolicyOut])
def list_policies(session: SessionDep, p: ClientDep):
    service.require_brand(p)
    return [_policy_out(x) for x in service.list_policies(session, p.id)]


@policies.put("/{category}", response_model=PolicyOut)
def put_policy(category: str, body: PolicyIn, session: SessionDep, p: ClientDep):
    service.require_brand(p)
    return _policy_out(service.put_policy(session, p.id, category, body))


@policies.get("/{category}", response_model=PolicyOut)
def get_policy(category: str, session: SessionDep, p: ClientDep):
    service.require_brand(p)
    service.check_category(session, category, "category")
    policy = service.effective_policy(session, p.id, category)
    if policy is None:
        raise not_found("warranty policy for category", category)
    return _policy_out(policy)


# --- decisions and rework ----------------------------------------------------------------------------------


@jobs.get("/{job_id}/warranty", response_model=DecisionOut)
def job_warranty(job_id: uuid.UUID, session: SessionDep, p: PrincipalDep):
    job = visible_job(session, job_id, p)
    decision = service.decision_for_job(session, job)
    if decision is None:
        raise not_found(f"warranty decision for job {job_id} (only repair, maintenance and rework jobs have one)")
    return decision


@jobs.get("/{job_id}/rework", response_model=ReworkOut)
def job_rework(job_id: uuid.UUID, request: Request, session: SessionDep, _: OpsDep):
    job = get_job(session, job_id)
    rework_of, reworked_by = service.rework_links(session, job)
    return {
        "job_id": job.id, "rework_days": request.app.state.settings.rework_days,
        "rework_of": rework_of, "reworked_by": reworked_by,
    }


@public.get("/v1/track/{token}/warranty", response_model=list[TrackedDecisionOut])
def tracked_warranty(token: str, session: SessionDep):
    order = order_for_token(session, token)
    return [
        {
            "service_type": job.service_type, "category": job.category, "status": d.status,
            "reason_zh": d.reason_zh, "reason_en": d.reason_en, "consumer_pays": not d.bill_to_brand,
            "purchase_date": d.purchase_date, "whole_unit_until": d.whole_unit_until,
            "key_parts_until": d.key_parts_until, "key_parts": d.key_parts, "rework": d.rework is not None,
        }
        for d, job in service.decisions_of_order(session, order)
    ]
