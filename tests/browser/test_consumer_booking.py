"""In a real browser, at phone size: a consumer books a repair without a service code (pin dragged on the
map, a full slot refused, a free one taken, the phone checked by SMS code, the price shown), books from a
product's service code using the phone's position, and is told before submitting that nobody covers an
address."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.orders.models import Order, OrderAppliance
from app.warranty.schemas import ProductCreate
from app.warranty.service import load_default_policies, register_product
from tests.app.consumer.stories import WASHER_SKILLS, busy_morning, tomorrow_at
from tests.app.warranty.builders import product_body
from tests.browser.consumer_phone import (
    SHANGHAI,  # noqa: F401
    assert_fits_the_phone,
    assert_no_raw_codes,
    drag_by_touch,
    phone,
    shot,
    sms,
    verify_phone,
)
from tests.factories import make_client, make_technician


@pytest.fixture
def verifying(live_app):
    live_app.state.settings.consumer_phone_verification = True
    return live_app


def orders(backend) -> list[Order]:
    with Session(backend.engine) as s:
        return list(s.scalars(select(Order)))


def test_booking_without_a_code_drag_the_pin_refuse_a_full_slot_take_a_free_one(backend, verifying, server, browser, sms):
    with Session(backend.engine, expire_on_commit=False) as s:
        tech = make_technician(s, name="赵师傅", skills=WASHER_SKILLS)
        busy_morning(s, tech)
    context = phone(browser, "large")
    page = context.new_page()
    page.goto(f"{server}/book")
    page.wait_for_selector(".map-pin")
    shot(page, "book")
    page.click("[data-category=washing_machine]")
    page.fill("textarea[name=problem]", "脱水时噪音很大")
    page.fill("input[name=address]", "湖墅南路 88 号 3 幢 502")
    drag_by_touch(page, page.wait_for_selector(".map-pin"), 40, 30)
    page.wait_for_selector("[data-pin]")

    page.click(".van-tab:has-text('明天')")
    full = page.wait_for_selector(f"[data-slot='{tomorrow_at(10).isoformat()}']")
    assert full.get_attribute("data-status") == "full"
    full.click(force=True)  # aria-disabled for screen readers, yet a finger can still tap it
    page.wait_for_selector(".van-toast:has-text('已约满')")
    shot(page, "book-full-slot")
    assert page.query_selector("[data-chosen]") is None
    page.click(f"[data-slot='{tomorrow_at(14).isoformat()}']")
    assert "14:00–16:00" in page.inner_text("[data-chosen]")
    page.wait_for_selector("[data-price] .money:has-text('¥')")

    page.fill("input[name=name]", "张先生")
    page.click("[data-submit]")  # not yet verified: told so in words, nothing sent
    assert "请先验证手机号" in page.inner_text("[data-error]")
    verify_phone(page, sms)
    assert_no_raw_codes(page)
    assert_fits_the_phone(page)
    shot(page, "book-ready")
    page.click("[data-lang]")
    page.wait_for_selector("[data-submit]:has-text('Book')")
    assert_fits_the_phone(page)
    shot(page, "book-en")
    page.click("[data-lang]")
    page.wait_for_selector("[data-submit]:has-text('确认预约')")
    page.click("[data-submit]")
    page.wait_for_url(re.compile(r"/track/trk_"))
    page.wait_for_selector("[data-status]:has-text('正在安排师傅')")
    shot(page, "track-booked")
    assert_no_raw_codes(page)
    assert_fits_the_phone(page)

    booked = [o for o in orders(backend) if o.channel == "consumer"]
    assert len(booked) == 1
    with Session(backend.engine) as s:
        order = s.get(Order, booked[0].id)
        w = order.windows[0]
        assert (w.start, w.end - w.start) == (tomorrow_at(14), timedelta(hours=2))
        assert order.address == "湖墅南路 88 号 3 幢 502" and order.problem_description == "脱水时噪音很大"
    context.close()


def test_booking_from_a_service_code_with_the_phones_position(backend, verifying, server, browser, sms):
    with Session(backend.engine, expire_on_commit=False) as s:
        load_default_policies(s)
        brand = make_client(s, name="格力 Gree")
        code = register_product(s, brand.id, ProductCreate(**product_body(serial="GR-CODE-1"))).service_code
        make_technician(s, name="钱师傅")
        s.commit()
    context = phone(browser, "small")
    page = context.new_page()
    page.goto(f"{server}/book/{code.lower()}")
    product = page.wait_for_selector("[data-product]")
    shot(page, "book-from-code")
    assert "KFR-35GW/NhGc1B" in product.inner_text() and "空调" in product.inner_text()
    page.fill("textarea[name=problem]", "不制冷")
    page.fill("input[name=address]", "文三路 90 号")
    page.click("[data-locate]")
    page.wait_for_selector("[data-geo-note]:has-text('已定位')")
    page.click("[data-status=available] >> nth=0")
    page.fill("input[name=name]", "李女士")
    verify_phone(page, sms, "13912345678")
    assert_fits_the_phone(page)
    assert_no_raw_codes(page)
    page.click("[data-submit]")
    page.wait_for_url(re.compile(r"/track/trk_"))
    with Session(backend.engine) as s:
        a = s.scalar(select(OrderAppliance))
        assert (a.category, a.model, a.serial) == ("air_conditioner", "KFR-35GW/NhGc1B", "GR-CODE-1")
    context.close()


def test_an_address_nobody_covers_is_refused_before_anything_is_sent(backend, live_app, server, browser):
    with Session(backend.engine) as s:
        make_technician(s, skills=WASHER_SKILLS)
    context = phone(browser, "small", geolocation=SHANGHAI)
    page = context.new_page()
    sent = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.goto(f"{server}/book")
    page.click("[data-category=washing_machine]")
    page.click("[data-locate]")
    refusal = page.wait_for_selector("[data-not-covered]")
    assert "暂无师傅服务" in refusal.inner_text()
    shot(page, "book-not-covered")
    assert page.is_disabled("[data-submit]")
    assert_fits_the_phone(page)
    assert sent == []

    denied = phone(browser, "small", allow_location=False).new_page()
    denied.goto(f"{server}/book")
    denied.click("[data-locate]")
    assert "拒绝了定位授权" in denied.wait_for_selector("[data-geo-note]").inner_text()
    shot(denied, "book-location-refused")
    with Session(backend.engine) as s:
        assert s.scalar(select(func.count()).select_from(Order)) == 0
    denied.context.close()
    context.close()
