"""What the booking page needs before its first screen, sent inside the page itself: on a slow mobile
link every round trip costs seconds, and without this the page would wait for the catalogue, the map
and the service code after its scripts arrive. The same data the API gives (GET /v1/catalogue,
/v1/consumer/map, /v1/service-codes/{code}); the page asks the API when it is missing."""

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalogue.models import ApplianceCategory, CatalogueEntry
from app.config import Settings
from app.demo.city import CENTRE, DISTRICTS, district_polygon
from app.errors import ProblemError
from app.warranty.booking import service_code_view

BOOKABLE = ("repair", "maintenance")


def city_map(settings: Settings) -> dict:
    return {"city": settings.city_name, "centre": {"lon": CENTRE[0], "lat": CENTRE[1]},
            "tile_url": settings.map_tile_url or None,
            "districts": {"type": "FeatureCollection", "features": [
                {"type": "Feature", "properties": {"code": code, "name_zh": zh, "name_en": en},
                 "geometry": district_polygon(code)} for code, (zh, en, _) in DISTRICTS.items()]}}


def booking_boot(session: Session, settings: Settings, code: str | None = None) -> dict:
    categories = session.scalars(select(ApplianceCategory).order_by(ApplianceCategory.code)).all()
    services: dict[str, list[str]] = {}
    for category, kind in session.execute(select(CatalogueEntry.category, CatalogueEntry.service_type)
                                          .where(CatalogueEntry.service_type.in_(BOOKABLE))):
        services.setdefault(category, []).append(kind)
    boot = {"categories": [{"code": c.code, "name_zh": c.name_zh, "name_en": c.name_en} for c in categories],
            "services": services, "map": city_map(settings)}
    if code is not None:
        try:
            view = service_code_view(session, code, settings.public_base_url)
            boot["product"] = json.loads(json.dumps(view, default=str))
        except ProblemError:
            boot["product"] = None  # the page says the code is unknown
    return boot


def script_tag(boot: dict) -> str:
    # Inside <script type=application/json>: "</" would end the element early.
    data = json.dumps(boot, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script id="shifu-boot" type="application/json">{data}</script>'
