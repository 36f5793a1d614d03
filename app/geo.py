"""Geometry at the edges: GeoJSON/lon-lat in the API, WKB/WKT in the database (SRID 4326)."""

import math
from typing import Any

from geoalchemy2.elements import WKTElement
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.validation import explain_validity

from app.errors import invalid

SRID = 4326
EARTH_RADIUS_M = 6_371_008.8


def point(lon: float, lat: float) -> WKTElement:
    return WKTElement(f"POINT({lon!r} {lat!r})", srid=SRID)


def lonlat(geom) -> tuple[float, float] | None:
    if geom is None:
        return None
    p = to_shape(geom)
    return (p.x, p.y)


def multipolygon_from_geojson(obj: dict[str, Any], field: str) -> WKTElement:
    """Validate a GeoJSON Polygon/MultiPolygon and return it as a MULTIPOLYGON element."""
    if not isinstance(obj, dict) or obj.get("type") not in ("Polygon", "MultiPolygon"):
        raise invalid(field, "must be a GeoJSON Polygon or MultiPolygon")
    try:
        geom = shape(obj)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise invalid(field, f"malformed GeoJSON geometry ({exc})") from None
    if geom.is_empty:
        raise invalid(field, "polygon is empty")
    if not geom.is_valid:
        raise invalid(field, f"polygon is not valid: {explain_validity(geom)}", code="invalid-polygon")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise invalid(field, "coordinates out of range (lon -180..180, lat -90..90)")
    if isinstance(geom, Polygon):
        geom = MultiPolygon([geom])
    return from_shape(geom, srid=SRID)


def geojson(geom) -> dict[str, Any] | None:
    if geom is None:
        return None
    return mapping(to_shape(geom))


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
