"""The consumer's side of a service code: what the code may tell anyone who scans it (the booking page
of the consumer app, /book/{code}, pre-fills itself from this)."""


from sqlalchemy.orm import Session

from app.orders.schemas import Appliance
from app.warranty import service
from app.warranty.decisions import add_months

BRAND_MAX = Appliance.model_fields["brand"].metadata[0].max_length


def service_code_view(session: Session, raw_code: str, base_url: str) -> dict:
    """Product facts for the pre-fill and the cover; no consumer data (the code is printed on the product)."""
    product, brand, category = service.product_by_code(session, raw_code)
    policy = service.effective_policy(session, brand.id, product.category)
    cover = None
    if policy is not None:
        cover = {
            "whole_unit_months": policy.whole_unit_months,
            "whole_unit_until": add_months(product.purchase_date, policy.whole_unit_months),
            "key_part_months": policy.key_part_months,
            "key_parts_until": add_months(product.purchase_date, policy.key_part_months),
            "key_parts": policy.key_parts,
        }
    return {
        "service_code": product.service_code,
        "category": category.code,
        "category_name_zh": category.name_zh,
        "category_name_en": category.name_en,
        "brand": brand.name[:BRAND_MAX],
        "model": product.model,
        "serial": product.serial,
        "purchase_date": product.purchase_date,
        "booking_url": service.booking_url(base_url, product.service_code),
        "cover": cover,
    }
