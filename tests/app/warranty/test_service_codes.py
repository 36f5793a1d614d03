"""A consumer scans the service code on the product: a QR image opens a booking page pre-filled with it."""

import re
import uuid
import xml.etree.ElementTree as ET

from app.orders.models import Order
from app.warranty.codes import normalise
from tests.app.orders.stories import expect_problem, window
from tests.app.warranty.builders import make_brand, register, years_ago
from tests.factories import HANGZHOU


def test_anyone_with_the_code_sees_the_product_but_no_personal_data(api, db):
    brand = make_brand(db)
    product = register(api, brand, serial="GR-777", consumer_phone="13912345678")
    r = api.get(f"/v1/service-codes/{product['service_code']}")
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["serial"] == "GR-777" and view["category"] == "air_conditioner" and view["category_name_zh"] == "空调"
    assert view["brand"].startswith("格力 Gree") and view["model"] == product["model"]
    assert view["cover"]["whole_unit_months"] == 12 and view["cover"]["key_parts"][0]["code"] == "compressor"
    assert "13912345678" not in r.text and "phone" not in r.text and str(product["id"]) not in r.text


def test_the_code_is_read_case_insensitively_and_forgives_look_alikes(api, db):
    code = register(api, make_brand(db))["service_code"]
    typed = code.lower()[:5] + "-" + code.lower()[5:]
    assert api.get(f"/v1/service-codes/{typed}").json()["service_code"] == code
    assert normalise("0l1o-abcde-f") == "0110ABCDEF" and normalise("0l1o abcde") is None


def test_unknown_code_is_404(api, db):
    for path in ("/v1/service-codes/ZZZZZZZZZZ", "/v1/service-codes/ZZZZZZZZZZ/qr.png",
                 "/v1/service-codes/not-a-code!/qr.svg"):
        expect_problem(api.get(path), 404)
    page = api.get("/book/ZZZZZZZZZZ")  # the consumer app's shell, which then says so in words
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


def test_qr_png_and_svg_encode_the_booking_url(api, db):
    product = register(api, make_brand(db))
    code = product["service_code"]
    png = api.get(f"/v1/service-codes/{code}/qr.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    svg = api.get(f"/v1/service-codes/{code}/qr.svg", params={"scale": 4})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}desc").text == f"http://127.0.0.1:8000/book/{code}"
    assert root.find("{http://www.w3.org/2000/svg}path") is not None
    expect_problem(api.get(f"/v1/service-codes/{code}/qr.png", params={"scale": 0}), 422, "scale")


def test_booking_page_is_the_consumer_app_prefilled_from_the_code(api, db):
    product = register(api, make_brand(db), serial="GR-PAGE-1", purchase_date="2025-03-01")
    r = api.get(f"/book/{product['service_code'].lower()}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<div id="app">' in r.text and re.findall(r'(?:src|href)="(?:https?:)?//', r.text) == []  # nothing from a CDN
    view = api.get(f"/v1/service-codes/{product['service_code'].lower()}").json()  # what the page fills in
    assert (view["serial"], view["purchase_date"], view["category"]) == ("GR-PAGE-1", "2025-03-01", "air_conditioner")
    assert view["model"] == product["model"] and view["category_name_zh"] == "空调"


def test_booking_from_the_page_decides_the_warranty_from_the_registered_product(api, db):
    """What the page's script posts: the pre-filled product plus what the consumer typed."""
    brand = make_brand(db)
    product = register(api, brand, serial="GR-HOME-9", purchase_date=years_ago(0.5).isoformat())
    view = api.get(f"/v1/service-codes/{product['service_code']}").json()
    booking = {
        "service_type": "repair", "name": "张先生", "phone": "13900002222", "address": "杭州市拱墅区湖墅南路 88 号",
        "location": {"lon": HANGZHOU[0] + 0.02, "lat": HANGZHOU[1] + 0.02},
        "appliance": {k: view[k] for k in ("category", "brand", "model", "serial", "purchase_date")},
        "problem_description": "不制冷", "windows": [window(26, 3)],
    }
    r = api.post("/v1/consumer/bookings", json=booking)
    assert r.status_code == 201, r.text
    token = r.json()["tracking_token"]
    order = db.get(Order, uuid.UUID(r.json()["order_id"]))
    assert order.appliances[0].serial == "GR-HOME-9"

    tracked = api.get(f"/v1/track/{token}/warranty")
    assert tracked.status_code == 200, tracked.text
    [decision] = tracked.json()
    assert decision["status"] == "in_warranty" and decision["consumer_pays"] is False
    assert "产品登记" in decision["reason_zh"] and "registered product" in decision["reason_en"]
    expect_problem(api.get("/v1/track/not-a-token/warranty"), 404)
