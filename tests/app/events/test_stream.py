"""The live stream (SSE) as the screens use it: an event reaches a subscriber within a second of its
commit, a reconnect with Last-Event-ID misses nothing, and a technician never sees another's events."""

import json
import queue
import threading
import time

import httpx
import pytest
from sqlalchemy.orm import Session

from tests.app.orders.stories import order_body
from tests.factories import bearer, make_client, make_ops_user, make_technician


class Subscriber:
    """Reads an SSE stream on a thread; messages arrive in `got` as (received_at, event dict)."""

    def __init__(self, base: str, headers: dict, last_event_id: str | None = None, params: dict | None = None):
        self.got: queue.Queue = queue.Queue()
        self.connected = threading.Event()
        self.closed = False
        h = dict(headers)
        if last_event_id:
            h["Last-Event-ID"] = last_event_id
        self._thread = threading.Thread(target=self._run, args=(base, h, params or {}), daemon=True)
        self._thread.start()
        assert self.connected.wait(10), "the stream did not open"

    def _run(self, base, headers, params):
        try:
            self._read(base, headers, params)
        except httpx.HTTPError:
            if not self.closed:  # a stream the test gave up on may time out afterwards; one it reads may not
                raise

    def _read(self, base, headers, params):
        with httpx.Client(base_url=base, timeout=30) as c, c.stream("GET", "/v1/events/stream", headers=headers,
                                                                 params=params) as r:
            self.status = r.status_code
            fields: dict = {}
            for line in r.iter_lines():
                if self.closed:
                    return
                if line.startswith(": connected"):
                    self.connected.set()
                elif line.startswith("data: "):
                    fields["data"] = json.loads(line[6:])
                elif line.startswith("id: "):
                    fields["id"] = line[4:]
                elif line == "" and "data" in fields:
                    self.got.put((time.monotonic(), fields["data"]))
                    fields = {}

    def take(self, n: int, timeout: float = 10) -> list[tuple[float, dict]]:
        out = []
        deadline = time.monotonic() + timeout
        while len(out) < n:
            out.append(self.got.get(timeout=max(0.01, deadline - time.monotonic())))
        return out

    def nothing_more(self, wait: float = 1.0) -> bool:
        try:
            self.got.get(timeout=wait)
            return False
        except queue.Empty:
            return True

    def close(self):
        self.closed = True


@pytest.fixture
def city(backend, live_app, server):
    with Session(backend.engine, expire_on_commit=False) as s:
        brand = make_client(s, dispatch_mode="grab")
        ops = make_ops_user(s)
        a = make_technician(s, name="张师傅")
        b = make_technician(s, name="李师傅", lon=120.4, lat=30.5)
    http = httpx.Client(base_url=server, timeout=30)
    yield {"server": server, "http": http, "brand": brand, "ops": bearer(http, *ops), "a": a, "b": b,
           "ha": bearer(http, a.phone, "tech-pass-123"), "hb": bearer(http, b.phone, "tech-pass-123")}
    http.close()


def new_order(c) -> dict:
    r = c["http"].post("/v1/orders", json=order_body("repair"), headers=c["brand"].headers)
    assert r.status_code == 201, r.text
    return r.json()


def test_a_subscriber_sees_an_event_within_a_second_of_its_commit(city):
    sub = Subscriber(city["server"], city["ops"])
    try:
        sent = time.monotonic()
        order = new_order(city)
        committed = time.monotonic()  # the response comes after the commit
        (got_at, first), = sub.take(1)
        assert first["type"] == "order.created" and first["subject"]["order_id"] == order["id"]
        assert got_at - committed < 1.0 and got_at >= sent
    finally:
        sub.close()


def test_reconnecting_with_last_event_id_misses_nothing(city):
    sub = Subscriber(city["server"], city["brand"].headers)
    new_order(city)
    seen = [e for _, e in sub.take(2)]  # order.created, job.created
    sub.close()
    second = new_order(city)  # while nobody listens
    again = Subscriber(city["server"], city["brand"].headers, last_event_id=seen[-1]["cursor"])
    try:
        missed = [e for _, e in again.take(2)]
        assert [(e["type"], e["subject"]["order_id"]) for e in missed] == [
            ("order.created", second["id"]), ("job.created", second["id"])]
        assert again.nothing_more(0.5)
    finally:
        again.close()


def test_a_technician_sees_their_own_offers_and_jobs_and_never_anothers(city):
    http = city["http"]
    sub_a = Subscriber(city["server"], {}, params={"access_token": city["ha"]["Authorization"][7:]})
    sub_b = Subscriber(city["server"], city["hb"])
    try:
        job_id = new_order(city)["jobs"][0]["id"]
        r = http.post(f"/v1/jobs/{job_id}/offers", json={"technician_ids": [str(city["a"].id)]}, headers=city["ops"])
        assert r.status_code == 201, r.text
        assert http.post(f"/v1/jobs/{job_id}/accept", headers=city["ha"]).status_code == 200
        a_saw = [e for _, e in sub_a.take(2)]
        assert [(e["type"], e["subject"]["job_id"]) for e in a_saw] == [("job.offered", job_id), ("job.accepted", job_id)]
        # B's stream is live (it sees its own offer) and carried nothing of A's.
        other = new_order(city)["jobs"][0]["id"]
        r = http.post(f"/v1/jobs/{other}/offers", json={"technician_ids": [str(city["b"].id)]}, headers=city["ops"])
        assert r.status_code == 201, r.text
        (_, b_first), = sub_b.take(1)
        assert (b_first["type"], b_first["subject"]["job_id"]) == ("job.offered", other)
        assert sub_b.nothing_more(0.5) and sub_a.nothing_more(0.5)
    finally:
        sub_a.close()
        sub_b.close()


def test_a_stream_without_credentials_is_401(city):
    r = city["http"].get("/v1/events/stream")
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")
