"""Webhook test helpers: a real HTTP receiver on loopback, and events published through the bus for
a client's order."""

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from app.config import Settings, get_settings
from app.events import bus


@pytest.fixture(autouse=True)
def _webhooks_env(monkeypatch):
    """Only the tests that hand deliveries to a worker on purpose do so (see `dispatch`)."""
    monkeypatch.setenv("SHIFU_WEBHOOK_DISPATCH", "sweep")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def loopback(app):
    """SHIFU_WEBHOOK_ALLOW_LOOPBACK=true for registration (the app's settings)."""
    app.state.settings.webhook_allow_loopback = True
    return app


def worker_settings(backend, **kw) -> Settings:
    base = dict(database_url=backend.url, load_demo=False, webhook_allow_loopback=True, webhook_retry_scale=0.001,
                webhook_lease_seconds=30, webhook_dispatch="sweep")
    return Settings(**{**base, **kw})


def order_of(client_id, external="EXT-1"):
    """The subject of an order event; events have no foreign keys, so no real order is needed."""
    return SimpleNamespace(id=uuid.uuid4(), client_id=client_id, external_order_id=external)


def publish_completed(session, client_id, external="EXT-1"):
    from app.actors import SYSTEM

    return bus.publish(session, "order.completed", SYSTEM, {"status": "completed"}, order=order_of(client_id, external))


@dataclass
class Receipt:
    at: float
    path: str
    headers: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    """A threaded http.server on 127.0.0.1. `script[path]` lists the status codes to answer in turn
    (then 200); every request is recorded, in arrival order."""

    server: ThreadingHTTPServer
    receipts: list = field(default_factory=list)
    script: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds each answer takes
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path="/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def wait_for(self, n: int, timeout: float = 10.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.receipts) >= n:
                    return list(self.receipts)
            time.sleep(0.01)
        with self.lock:
            return list(self.receipts)


@pytest.fixture
def receiver():
    holder: dict = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("content-length", 0))
            body = self.rfile.read(length)
            rec = holder["r"]
            if len(body) < length:  # the sender died mid-request: nothing was delivered
                self.close_connection = True
                return
            with rec.lock:
                rec.receipts.append(Receipt(time.monotonic(), self.path, {k.lower(): v for k, v in self.headers.items()},
                                            body))
                codes = rec.script.get(self.path) or []
                code = codes.pop(0) if codes else 200
            if rec.delay:
                time.sleep(rec.delay)
            self.send_response(code)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # a killed sender's half-open connections are expected here

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    rec = Receiver(server)
    holder["r"] = rec
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield rec
    server.shutdown()
    server.server_close()


@pytest.fixture
def live_api(live_app):
    """A client for the app on the real engine: commits are visible to workers."""
    from fastapi.testclient import TestClient

    from app.webhooks.routes import router

    if not any(getattr(r, "path", "").startswith("/v1/webhook-endpoints") for r in live_app.routes):
        live_app.include_router(router)
    live_app.state.settings.webhook_allow_loopback = True
    with TestClient(live_app, raise_server_exceptions=False) as c:
        yield c


def committed(engine, fn):
    """Run fn(session) in its own committed transaction and return its result."""
    from sqlalchemy.orm import Session

    with Session(engine, expire_on_commit=False) as s:
        out = fn(s)
        s.commit()
        return out
