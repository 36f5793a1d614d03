"""Helpers for the technician-app browser tests: a phone-sized Chromium context (390×844, touch,
zh-CN, Asia/Shanghai, geolocation granted and set), logging in through the app, and test data."""

import uuid
from datetime import timedelta

import httpx
import pytest
from sqlalchemy.orm import Session

from app.actors import SYSTEM
from app.jobs import service as jobs
from app.jobs.models import Job
from app.web_app import DIST
from tests.app.orders.stories import order_body
from tests.factories import HANGZHOU, make_client, make_technician

AT_ORDER = {"longitude": HANGZHOU[0] + 0.01, "latitude": HANGZHOU[1] + 0.01}  # order_body's location
PASSWORD = "tech-pass-123"


def require_build():
    if not (DIST / "tech" / "index.html").is_file():
        pytest.fail("the technician app is not built: scripts/test.sh builds it (cd app/web && npm ci && npm run build)")


def phone(browser, geolocation=AT_ORDER):
    require_build()
    return browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True,
        locale="zh-CN", timezone_id="Asia/Shanghai", geolocation=geolocation, permissions=["geolocation"],
    )


def log_in(context, server, tech):
    page = context.new_page()
    page.goto(f"{server}/tech/")
    page.fill("input[name=phone]", tech.phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".van-tabs")
    return page


def install_order(backend, server, dispatch_mode="grab", names=("王师傅",)):
    """A grab-mode brand's air-conditioner install for today-or-tomorrow, and technicians to work it."""
    with Session(backend.engine, expire_on_commit=False) as s:
        brand = make_client(s, dispatch_mode=dispatch_mode)
        techs = [make_technician(s, name=n) for n in names]
    body = order_body("install")
    body["appliances"] = [{"category": "air_conditioner", "brand": "格力", "model": "KFR-35GW", "serial": "GR2026001",
                           "quantity": 1}]
    api = httpx.Client(base_url=server, timeout=30)
    order = api.post("/v1/orders", json=body, headers=brand.headers).json()
    return api, order, techs


def offer_to(backend, job_id, techs, hours=3):
    with Session(backend.engine) as s:
        jobs.offer(s, s.get(Job, uuid.UUID(job_id)), [t.id for t in techs], SYSTEM, timedelta(hours=hours))
        s.commit()


def assign_to(backend, job_id, tech):
    with Session(backend.engine) as s:
        jobs.assign(s, s.get(Job, uuid.UUID(job_id)), tech.id, SYSTEM, "nearest")
        s.commit()
