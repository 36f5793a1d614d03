"""The outbox: deliveries are written in the event's transaction, one per matching active endpoint of
the event's client, with at most one endpoint query per client and transaction."""

import uuid

from sqlalchemy import event, select

from app.actors import SYSTEM
from app.events import bus
from app.webhooks.models import WebhookDelivery
from tests.app.webhooks.conftest import order_of, publish_completed
from tests.factories import make_client


def _create(api, creds, url="http://127.0.0.1:9/h", types=("*",)):
    r = api.post("/v1/webhook-endpoints", json={"url": url, "event_types": list(types)}, headers=creds.headers)
    assert r.status_code == 201, r.text
    return uuid.UUID(r.json()["id"])


def _by_endpoint(db):
    rows = db.scalars(select(WebhookDelivery)).all()
    out: dict = {}
    for d in rows:
        out.setdefault(d.endpoint_id, []).append(d.event_type)
    return out


class _Queries:
    """Counts the statements that read webhook_endpoints."""

    def __init__(self, db):
        self.engine, self.n = db.get_bind().engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, *args):
        if "FROM webhook_endpoints" in statement:
            self.n += 1


def test_one_delivery_per_matching_active_endpoint_of_the_events_client(api, db, loopback):
    a, b = make_client(db), make_client(db)
    every = _create(api, a)
    orders_only = _create(api, a, types=["order.completed", "order.cancelled"])
    jobs_only = _create(api, a, types=["job.completed"])
    disabled = _create(api, a)
    api.post(f"/v1/webhook-endpoints/{disabled}/disable", headers=a.headers)
    other_client = _create(api, b)
    publish_completed(db, a.id)
    bus.publish(db, "order.cancelled", SYSTEM, {"reason": None}, order=order_of(a.id))
    bus.publish(db, "order.completed", SYSTEM, {"status": "completed"})  # about no client's order
    db.flush()
    got = _by_endpoint(db)
    assert sorted(got[every]) == ["order.cancelled", "order.completed"]  # not the third
    assert sorted(got[orders_only]) == ["order.cancelled", "order.completed"]
    assert jobs_only not in got and disabled not in got and other_client not in got
    d = db.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == every)).first()
    assert d.status == "pending" and d.attempts == 0 and d.next_attempt_at is not None


def test_endpoints_are_read_once_per_transaction_and_client(api, db, loopback):
    a, b, quiet = make_client(db), make_client(db), make_client(db)
    _create(api, a)
    _create(api, b)
    with _Queries(db) as q:
        for _ in range(5):
            publish_completed(db, a.id)
            publish_completed(db, b.id)
            publish_completed(db, quiet.id)
        bus.publish_many(db, "order.completed", SYSTEM,
                         [{"data": {"status": "completed"}, "order": order_of(a.id)} for _ in range(20)])
    assert q.n == 3
    db.flush()
    assert sum(len(v) for v in _by_endpoint(db).values()) == 5 + 5 + 20
    # The next transaction reads afresh: an endpoint added meanwhile gets its events.
    db.commit()
    late = _create(api, quiet)
    publish_completed(db, quiet.id)
    db.flush()
    assert _by_endpoint(db)[late] == ["order.completed"]


def test_a_rolled_back_event_leaves_no_delivery(api, db, loopback):
    a = make_client(db)
    _create(api, a)
    db.commit()
    nested = db.begin_nested()
    publish_completed(db, a.id)
    db.flush()
    assert len(db.scalars(select(WebhookDelivery)).all()) == 1
    nested.rollback()
    assert db.scalars(select(WebhookDelivery)).all() == []


def test_an_endpoint_changed_in_the_same_transaction_is_seen(api, db, loopback):
    from app.config import Settings
    from app.webhooks import service
    from app.webhooks.schemas import EndpointCreate

    a = make_client(db)
    publish_completed(db, a.id)  # reads (and remembers) "no endpoints" for this transaction
    endpoint, _ = service.create(db, a.id, EndpointCreate(url="http://127.0.0.1:9/x", event_types=["*"]),
                                 Settings(webhook_allow_loopback=True))
    publish_completed(db, a.id)
    db.flush()
    assert _by_endpoint(db) == {endpoint.id: ["order.completed"]}
