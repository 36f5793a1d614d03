"""A brand registers its products and gets a service code for each; refusals leave nothing behind."""

from datetime import timedelta

from sqlalchemy import func, select

from app.clients import service as clients
from app.clients.schemas import ClientCreate
from app.warranty.codes import ALPHABET, LENGTH
from app.warranty.models import Product
from tests.app.orders.stories import expect_problem
from tests.app.warranty.builders import make_brand, product_body, register, today
from tests.factories import ClientCreds


def products(db) -> int:
    return db.scalar(select(func.count()).select_from(Product))


def test_brand_registers_a_product_and_gets_a_service_code_and_booking_url(api, db):
    brand = make_brand(db)
    out = register(api, brand, serial="GR2025A0001", channel="tmall")
    code = out["service_code"]
    assert len(code) == LENGTH and set(code) <= set(ALPHABET)
    assert out["booking_url"] == f"http://127.0.0.1:8000/book/{code}"
    assert out["serial"] == "GR2025A0001" and out["channel"] == "tmall" and out["created_at"].endswith("+08:00")

    r = api.get(f"/v1/products/{out['id']}", headers=brand.headers)
    assert r.status_code == 200 and r.json()["service_code"] == code
    listed = api.get("/v1/products", params={"serial": "GR2025A0001"}, headers=brand.headers).json()
    assert [p["id"] for p in listed["items"]] == [out["id"]]


def test_service_codes_differ_between_products(api, db):
    brand = make_brand(db)
    assert len({register(api, brand)["service_code"] for _ in range(5)}) == 5


def test_a_brand_lists_only_its_own_products(api, db):
    gree, haier = make_brand(db), make_brand(db, "海尔 Haier")
    mine = register(api, gree)
    register(api, haier)
    items = api.get("/v1/products", headers=gree.headers).json()["items"]
    assert [p["id"] for p in items] == [mine["id"]]


def test_another_brands_product_is_not_found(api, db):
    gree, haier = make_brand(db), make_brand(db, "海尔 Haier")
    theirs = register(api, haier)
    expect_problem(api.get(f"/v1/products/{theirs['id']}", headers=gree.headers), 404)


def test_duplicate_serial_within_a_brand_is_409_but_another_brand_may_use_it(api, db):
    gree, haier = make_brand(db), make_brand(db, "海尔 Haier")
    first = register(api, gree, serial="SN-1")
    body = expect_problem(api.post("/v1/products", json=product_body(serial="SN-1"), headers=gree.headers), 409, "serial")
    assert body["existing_product_id"] == first["id"]
    assert api.post("/v1/products", json=product_body(serial="SN-1"), headers=haier.headers).status_code == 201
    assert products(db) == 2


def test_unknown_category_is_422_naming_it(api, db):
    brand = make_brand(db)
    body = expect_problem(
        api.post("/v1/products", json=product_body(category="spaceship"), headers=brand.headers), 422, "category"
    )
    assert "spaceship" in body["detail"] and "air_conditioner" in body["detail"]
    assert products(db) == 0


def test_purchase_date_in_the_future_is_422(api, db):
    brand = make_brand(db)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    r = api.post("/v1/products", json=product_body(purchase_date=tomorrow), headers=brand.headers)
    assert "future" in expect_problem(r, 422, "purchase_date")["detail"]
    assert products(db) == 0


def test_unknown_channel_and_unknown_fields_are_refused(api, db):
    brand = make_brand(db)
    expect_problem(api.post("/v1/products", json=product_body(channel="street"), headers=brand.headers), 422, "channel")
    expect_problem(api.post("/v1/products", json=product_body(service_code="AAAAAAAAAA"), headers=brand.headers),
                   422, "service_code")


def test_only_brands_register_products(api, db):
    shop = clients.create_client(db, ClientCreate(name="苏宁小店", kind="shop"))
    _, key = clients.issue_api_key(db, shop.id)
    db.commit()
    r = api.post("/v1/products", json=product_body(), headers=ClientCreds(shop.id, key).headers)
    expect_problem(r, 403)


def test_batch_keeps_good_rows_and_reports_each_bad_one(api, db):
    brand = make_brand(db)
    register(api, brand, serial="OLD-1")
    rows = [
        product_body(serial="B-1"),
        product_body(serial="OLD-1"),
        product_body(serial="B-2", category="spaceship"),
        product_body(serial="B-1"),  # repeats row 0
        product_body(serial="B-3", purchase_date="2999-01-01"),
        "not an object",
        product_body(serial="B-4"),
    ]
    r = api.post("/v1/products/batch", json={"products": rows}, headers=brand.headers)
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["created"], out["rejected"]) == (2, 5)
    by_index = {row["index"]: row for row in out["results"]}
    assert [by_index[i]["status"] for i in range(7)] == [
        "created", "rejected", "rejected", "rejected", "rejected", "rejected", "created"]
    assert by_index[0]["service_code"] and by_index[6]["product_id"]
    assert by_index[1]["error"]["code"] == "duplicate-serial" and by_index[3]["error"]["field"] == "serial"
    assert by_index[2]["error"]["field"] == "category"
    assert by_index[4]["error"]["field"] == "purchase_date"
    assert by_index[5]["error"]["field"] is None
    assert products(db) == 3


def test_a_batch_over_500_is_refused_whole(api, db):
    brand = make_brand(db)
    rows = [product_body(serial=f"X-{i}") for i in range(501)]
    expect_problem(api.post("/v1/products/batch", json={"products": rows}, headers=brand.headers), 413, "products")
    assert products(db) == 0
