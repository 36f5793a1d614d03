import socket

import httpx
import numpy as np
import pytest

from dispatch import EuclideanTravel, GreatCircleTravel, OsrmTravel, TravelError
from dispatch.travel import cache_stats, clear_cache


def test_great_circle_one_degree_of_longitude_on_the_equator():
    dist, dur = GreatCircleTravel(speed_kmh=36.0, circuity=1.0).matrices(np.array([[0.0, 0.0], [1.0, 0.0]]))
    # 2 * pi * 6371008.8 m / 360 = 111195.08 m; at 36 km/h (10 m/s) that is 11119.5 s
    assert dist[0, 1] == pytest.approx(111195.08, abs=0.05)
    assert dur[0, 1] == pytest.approx(11119.508, abs=0.01)
    assert dist[0, 0] == 0.0


def test_great_circle_known_city_pair_and_circuity():
    # Beijing Tiananmen (116.3975, 39.9087) to Shanghai People's Square (121.4737, 31.2304): about 1067 km
    pts = np.array([[116.3975, 39.9087], [121.4737, 31.2304]])
    plain, _ = GreatCircleTravel(circuity=1.0).matrices(pts)
    assert plain[0, 1] == pytest.approx(1_067_000, rel=0.005)
    road, dur = GreatCircleTravel(circuity=1.3, speed_kmh=25).matrices(pts)
    assert road[0, 1] == pytest.approx(plain[0, 1] * 1.3)
    assert dur[0, 1] == pytest.approx(road[0, 1] / (25 / 3.6))
    assert np.allclose(road, road.T)


def test_euclidean_is_unrounded_and_time_is_distance_over_speed():
    dist, dur = EuclideanTravel(speed=2.0).matrices(np.array([[0.0, 0.0], [1.0, 1.0]]))
    assert dist[0, 1] == pytest.approx(2 ** 0.5)
    assert dur[0, 1] == pytest.approx(2 ** 0.5 / 2)


def test_matrices_are_cached_and_read_only():
    clear_cache()
    model = EuclideanTravel()
    pts = np.array([[0.0, 0.0], [3.0, 4.0]])
    a = model.matrices(pts)
    b = model.matrices(pts.copy())
    assert a[0] is b[0]
    assert cache_stats()["hits"] == 1 and cache_stats()["misses"] == 1
    with pytest.raises(ValueError):
        a[0][0, 1] = 1.0


def _fake_osrm(requests: list):
    """An OSRM stand-in: durations = 100 * |i - j| seconds, distances = 1000 * |i - j| m by longitude."""

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        path = request.url.path
        assert path.startswith("/table/v1/driving/")
        coords = [tuple(map(float, c.split(","))) for c in path.rsplit("/", 1)[1].split(";")]
        src = [int(i) for i in request.url.params["sources"].split(";")]
        dst = [int(i) for i in request.url.params["destinations"].split(";")]
        assert request.url.params["annotations"] == "duration,distance"
        dur = [[100 * abs(coords[s][0] - coords[d][0]) for d in dst] for s in src]
        dist = [[1000 * abs(coords[s][0] - coords[d][0]) for d in dst] for s in src]
        return httpx.Response(200, json={"code": "Ok", "durations": dur, "distances": dist})

    return httpx.MockTransport(handler)


def test_osrm_table_in_blocks():
    requests: list = []
    pts = np.array([[float(i), 30.0] for i in range(5)])
    model = OsrmTravel(base_url="http://osrm.test", max_table_size=4)
    dist, dur = model.matrices_with_transport(pts, _fake_osrm(requests))
    expected = np.abs(np.arange(5)[:, None] - np.arange(5)[None, :])
    assert np.allclose(dur, 100 * expected)
    assert np.allclose(dist, 1000 * expected)
    assert len(requests) == 9  # 3 x 3 blocks of at most 2 sources x 2 destinations


def test_osrm_unroutable_pairs_are_never_usable():
    def handler(request):
        return httpx.Response(200, json={"code": "Ok", "durations": [[0, None], [None, 0]], "distances": [[0, None], [None, 0]]})

    dist, dur = OsrmTravel(base_url="http://osrm.test").matrices_with_transport(np.array([[0.0, 0.0], [1.0, 1.0]]), httpx.MockTransport(handler))
    assert dur[0, 1] >= 1e6 and dist[1, 0] >= 1e6


def test_osrm_error_answer():
    transport = httpx.MockTransport(lambda r: httpx.Response(400, json={"code": "InvalidQuery", "message": "bad"}))
    with pytest.raises(TravelError, match="answered HTTP 400"):
        OsrmTravel(base_url="http://osrm.test").matrices_with_transport(np.zeros((2, 2)), transport)
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"code": "NoTable"}))
    with pytest.raises(TravelError, match="answered NoTable"):
        OsrmTravel(base_url="http://osrm.test").matrices_with_transport(np.zeros((2, 2)), transport)


def test_osrm_unreachable_gives_clear_error():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    model = OsrmTravel(base_url=f"http://127.0.0.1:{port}", timeout_seconds=2)
    with pytest.raises(TravelError, match=rf"OSRM at http://127.0.0.1:{port} unreachable"):
        model.matrices(np.array([[116.0, 39.0], [116.1, 39.1]]))


def test_osrm_timeout():
    def handler(request):
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(TravelError, match="timed out after 0.5 s"):
        OsrmTravel(base_url="http://osrm.test", timeout_seconds=0.5).matrices_with_transport(np.zeros((2, 2)), httpx.MockTransport(handler))
