"""Travel models: how far and how long between two locations.

Every model turns an (n, 2) array of points (x, y; for geographic models x = longitude and
y = latitude in degrees) into two (n, n) float matrices: distance (metres for geographic models,
plain units for planar ones) and duration (seconds, or plain time units for planar models).
Matrices are cached per model and point list, because offers, re-planning and explanations ask for
the same city again and again.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Annotated, ClassVar, Literal, Union

import httpx
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from .errors import TravelError

EARTH_RADIUS_M = 6_371_008.8
# A duration standing in for "no road between these two points" in OSRM answers: long enough
# that no time window can absorb it, small enough to stay an exact integer after scaling.
UNREACHABLE_SECONDS = 10_000_000.0


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: True when x/y are longitude/latitude (coordinates are range-checked then).
    geographic: ClassVar[bool] = False

    def matrices(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (distance, duration) matrices for the points, from the cache when possible."""
        pts = np.ascontiguousarray(np.asarray(points, dtype=float).reshape(-1, 2))
        return _CACHE.get(self, pts)

    def _compute(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
        raise NotImplementedError

    def pairs(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Distance and duration from a[i] to b[i] for each i (no full matrix, not cached).

        Closed-form models compute this directly; others fall back to a matrix over the unique
        points involved, which is fine for the handful of legs offers ask about.
        """
        a = np.asarray(a, dtype=float).reshape(-1, 2)
        b = np.asarray(b, dtype=float).reshape(-1, 2)
        pts, inv = np.unique(np.vstack([a, b]), axis=0, return_inverse=True)
        inv = inv.reshape(-1)
        dist, dur = self.matrices(pts)
        ia, ib = inv[: len(a)], inv[len(a):]
        return dist[ia, ib], dur[ia, ib]

    @property
    def distance_unit(self) -> str:
        return "m" if self.geographic else "unit"


class GreatCircleTravel(_Model):
    """Great-circle (haversine) distance times a circuity factor, driven at a constant city speed.

    The default for geographic problems: with a circuity of 1.3 and 25 km/h it is the usual
    first-order stand-in for urban road travel when no routing engine is configured.
    """

    kind: Literal["great_circle"] = "great_circle"
    speed_kmh: float = Field(25.0, gt=0, description="average door-to-door speed in the city")
    circuity: float = Field(1.3, ge=1.0, description="road distance / straight-line distance")
    geographic: ClassVar[bool] = True

    def _compute(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dist = haversine_matrix(points) * self.circuity
        dur = dist / (self.speed_kmh / 3.6)
        return dist, dur

    def pairs(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dist = haversine_pairs(np.asarray(a, dtype=float).reshape(-1, 2), np.asarray(b, dtype=float).reshape(-1, 2)) * self.circuity
        return dist, dist / (self.speed_kmh / 3.6)


class EuclideanTravel(_Model):
    """Planar straight-line distance; duration = distance / speed (Solomon: speed 1, unrounded)."""

    kind: Literal["euclidean"] = "euclidean"
    speed: float = Field(1.0, gt=0, description="distance units per time unit")

    def _compute(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        diff = points[:, None, :] - points[None, :, :]
        dist = np.sqrt((diff**2).sum(axis=2))
        return dist, dist / self.speed

    def pairs(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        diff = np.asarray(a, dtype=float).reshape(-1, 2) - np.asarray(b, dtype=float).reshape(-1, 2)
        dist = np.sqrt((diff**2).sum(axis=1))
        return dist, dist / self.speed


class OsrmTravel(_Model):
    """Road distances and durations from an OSRM-compatible ``/table`` service.

    Large point lists are requested in blocks of ``max_table_size`` sources x destinations
    (OSRM's own default limit is 100). A service that cannot be reached, times out or answers
    with an error raises :class:`TravelError` naming the URL; pairs without a route get
    ``UNREACHABLE_SECONDS`` so that no plan uses them.
    """

    kind: Literal["osrm"] = "osrm"
    base_url: str = Field(..., min_length=1, description="e.g. http://localhost:5000")
    profile: str = "driving"
    timeout_seconds: float = Field(10.0, gt=0)
    max_table_size: int = Field(100, ge=2)
    geographic: ClassVar[bool] = True

    def _compute(self, points: np.ndarray, transport: httpx.BaseTransport | None = None):
        n = len(points)
        dist = np.zeros((n, n))
        dur = np.zeros((n, n))
        block = max(1, self.max_table_size // 2)
        with httpx.Client(timeout=self.timeout_seconds, transport=transport) as client:
            for s0 in range(0, n, block):
                for d0 in range(0, n, block):
                    src = list(range(s0, min(n, s0 + block)))
                    dst = list(range(d0, min(n, d0 + block)))
                    self._fetch_block(client, points, src, dst, dist, dur)
        return dist, dur

    def matrices_with_transport(self, points: np.ndarray, transport: httpx.BaseTransport):
        """Uncached matrices through an explicit httpx transport (tests, custom clients)."""
        return self._compute(np.asarray(points, dtype=float).reshape(-1, 2), transport)

    def _fetch_block(self, client, points, src, dst, dist, dur) -> None:
        idx = sorted(set(src) | set(dst))
        pos = {p: i for i, p in enumerate(idx)}
        coords = ";".join(f"{points[p, 0]:.6f},{points[p, 1]:.6f}" for p in idx)
        url = f"{self.base_url.rstrip('/')}/table/v1/{self.profile}/{coords}"
        query = {
            "annotations": "duration,distance",
            "sources": ";".join(str(pos[p]) for p in src),
            "destinations": ";".join(str(pos[p]) for p in dst),
        }
        try:
            resp = client.get(url, params=query)
        except httpx.TimeoutException as exc:
            raise TravelError(f"OSRM at {self.base_url} timed out after {self.timeout_seconds} s") from exc
        except httpx.HTTPError as exc:
            raise TravelError(f"OSRM at {self.base_url} unreachable: {exc}") from exc
        if resp.status_code != 200:
            raise TravelError(f"OSRM at {self.base_url} answered HTTP {resp.status_code}: {resp.text[:200]}")
        try:
            body = resp.json()
        except ValueError as exc:
            raise TravelError(f"OSRM at {self.base_url} answered with something that is not JSON") from exc
        if body.get("code") != "Ok":
            raise TravelError(f"OSRM at {self.base_url} answered {body.get('code')}: {body.get('message', '')}")
        durations = body.get("durations")
        distances = body.get("distances")
        if durations is None or distances is None:
            raise TravelError(f"OSRM at {self.base_url} did not return both durations and distances")
        d_arr = np.array([[np.nan if v is None else v for v in row] for row in durations], dtype=float)
        m_arr = np.array([[np.nan if v is None else v for v in row] for row in distances], dtype=float)
        if d_arr.shape != (len(src), len(dst)) or m_arr.shape != (len(src), len(dst)):
            raise TravelError(f"OSRM at {self.base_url} returned a table of the wrong shape {d_arr.shape}")
        missing = np.isnan(d_arr) | np.isnan(m_arr)
        d_arr[missing] = UNREACHABLE_SECONDS
        m_arr[missing] = UNREACHABLE_SECONDS * 30.0
        dur[np.ix_(src, dst)] = d_arr
        dist[np.ix_(src, dst)] = m_arr


TravelModel = Annotated[
    Union[GreatCircleTravel, EuclideanTravel, OsrmTravel], Field(discriminator="kind")
]


def haversine_matrix(points: np.ndarray) -> np.ndarray:
    """Great-circle distance in metres between all pairs of (lon, lat) points in degrees.

    Computed from the chord between unit vectors (one matrix product instead of elementwise
    trigonometry on n^2 pairs: 5,500 points: 3 s instead of 20 s on the shared test machine); exact to micrometres.
    """
    lon = np.radians(points[:, 0])
    lat = np.radians(points[:, 1])
    xyz = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1)
    chord2 = 2.0 - 2.0 * (xyz @ xyz.T)
    np.maximum(chord2, 0.0, out=chord2)
    np.sqrt(chord2, out=chord2)
    chord2 *= 0.5
    np.minimum(chord2, 1.0, out=chord2)
    np.arcsin(chord2, out=chord2)
    chord2 *= 2 * EARTH_RADIUS_M
    np.fill_diagonal(chord2, 0.0)
    return chord2


def haversine_pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle distance in metres from a[i] to b[i] ((lon, lat) in degrees)."""
    lon1, lat1 = np.radians(a[:, 0]), np.radians(a[:, 1])
    lon2, lat2 = np.radians(b[:, 0]), np.radians(b[:, 1])
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


class _MatrixCache:
    """A small LRU of computed matrices keyed by (model, point list)."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, model: _Model, points: np.ndarray):
        key = (model, points.shape, points.tobytes())
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
        dist, dur = model._compute(points)
        dist.setflags(write=False)
        dur.setflags(write=False)
        with self._lock:
            self.misses += 1
            self._data[key] = (dist, dur)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return dist, dur

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0


_CACHE = _MatrixCache()


def clear_cache() -> None:
    """Forget every cached matrix."""
    _CACHE.clear()


def cache_stats() -> dict[str, int]:
    return {"hits": _CACHE.hits, "misses": _CACHE.misses, "entries": len(_CACHE._data)}
