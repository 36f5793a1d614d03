"""In a real browser: the page a service code's QR opens books the visit with the product pre-filled."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.orders.models import OrderAppliance
from app.warranty.schemas import ProductCreate
from app.warranty.service import load_default_policies, register_product
from tests.app.warranty.builders import product_body
from tests.factories import HANGZHOU, make_client


def test_consumer_books_from_the_service_code_page_and_gets_a_tracking_link(backend, server, page):
    with Session(backend.engine) as s:
        load_default_policies(s)
        brand = make_client(s, name="格力 Gree 浏览器")
        product = register_product(s, brand.id, ProductCreate(**product_body(serial="GR-BROWSER-1")))
        code = product.service_code
        s.commit()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    page.goto(f"{server}/book/{code.lower()}")
    assert page.input_value("#serial") == "GR-BROWSER-1"
    page.fill("#name", "张先生")
    page.fill("#phone", "13900002222")
    page.fill("#address", "杭州市拱墅区湖墅南路 88 号")
    page.fill("#lon", str(HANGZHOU[0] + 0.02))
    page.fill("#lat", str(HANGZHOU[1] + 0.02))
    page.fill("#problem_description", "不制冷")
    page.click("button[type=submit]")
    link = page.wait_for_selector("#result a", timeout=10_000)
    assert "/track/trk_" in link.get_attribute("href")
    assert problems == []  # the inline script and style ran under the page's Content-Security-Policy

    with Session(backend.engine) as s:
        line = s.scalar(select(OrderAppliance).where(OrderAppliance.serial == "GR-BROWSER-1"))
        assert line is not None and line.category == "air_conditioner" and line.brand == "格力 Gree 浏览器"
