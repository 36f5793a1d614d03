"""The apps scripts/bench_intake.py serves: Shifu as built, Shifu without its event rows, and the anchor.

Every app answers each POST /v1/orders with an `X-Bench-Statements` header: how many SQL statements
the request sent (a SQLAlchemy `before_cursor_execute` listener for Shifu, a counting cursor for the
anchor), so the benchmark reports statements per order from the very requests it timed.

The anchor is the floor Shifu is measured against: a minimal FastAPI + psycopg endpoint that writes
the same rows for the same request (idempotency record, order, appliances, windows, jobs, job events,
events, checklist nodes with their SLA due times, charge sheets, warranty decisions, and for urgent work
an offer to the nearest covering technician) in one transaction, with the catalogue, templates and
policies read once at start, and no rule beyond what those rows need.

    uvicorn --factory scripts.bench_intake_apps:shifu          (what the benchmark runs)
"""

import contextvars
import json
import os
import queue
import sys
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi import FastAPI, Header, Request  # noqa: E402
from fastapi.responses import JSONResponse  # noqa: E402

STATEMENTS_HEADER = b"x-bench-statements"
_count: contextvars.ContextVar[list | None] = contextvars.ContextVar("bench_statements", default=None)


def _counting(asgi_app):
    """ASGI wrapper: one counter per request, shared with the threadpool that runs the handler
    (Starlette copies the context into it, and the list is the same object), sent back as a header."""

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return await asgi_app(scope, receive, send)
        box = [0]
        _count.set(box)

        async def send_with_count(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (STATEMENTS_HEADER, str(box[0]).encode())]}
            await send(message)

        return await asgi_app(scope, receive, send_with_count)

    return app


def _tick(*_args, **_kw) -> None:
    box = _count.get()
    if box is not None:
        box[0] += 1


def _shifu_app(event_rows: bool):
    from sqlalchemy import Engine, event
    from sqlalchemy.orm import Session

    from app.main import create_app

    event.listen(Engine, "before_cursor_execute", _tick)
    if not event_rows:
        from app.events.models import Event

        @event.listens_for(Session, "before_flush")
        def _drop_event_rows(session, _ctx, _instances):
            # Everything that reacts to the events still runs; only their rows are not written.
            for obj in list(session.new):
                if isinstance(obj, Event):
                    session.expunge(obj)

    return _counting(create_app())


def shifu():
    return _shifu_app(event_rows=True)


def shifu_without_event_rows():
    """Shifu with the event stream's rows dropped before each flush: intake minus what #8 added."""
    return _shifu_app(event_rows=False)


# ---- the anchor ---------------------------------------------------------------------------------------------


class _Cursor:
    """A psycopg cursor that counts what it sends."""

    def __init__(self, cur):
        self.cur = cur

    def execute(self, sql, params=None):
        _tick()
        return self.cur.execute(sql, params)

    def executemany(self, sql, rows):
        _tick()
        return self.cur.executemany(sql, rows)

    def fetchone(self):
        return self.cur.fetchone()

    def fetchall(self):
        return self.cur.fetchall()


def _values(rows: list[tuple]) -> tuple[str, list]:
    """A multi-row VALUES list and its flat parameters (one statement for all rows)."""
    width = len(rows[0])
    one = "(" + ",".join(["%s"] * width) + ")"
    return ",".join([one] * len(rows)), [v for r in rows for v in r]


def anchor():
    import psycopg
    from psycopg.types.json import Json as Jsonb

    from app.orders.schemas import OrderCreate
    from app.security import new_secret, sha256

    dsn = os.environ["SHIFU_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    pool: queue.Queue = queue.Queue()
    for _ in range(int(os.environ.get("BENCH_ANCHOR_POOL", "16"))):
        pool.put(psycopg.connect(dsn, autocommit=False))

    # Reference data, read once: catalogue entries, current templates, default warranty policies.
    conn = pool.get()
    with conn.cursor() as cur:
        cur.execute("SELECT category, service_type, duration_minutes, base_price_cents, skills FROM catalogue_entries")
        entries = {(c, s): (m, p, k) for c, s, m, p, k in cur.fetchall()}
        cur.execute("SELECT service_type, category, id FROM process_templates WHERE current")
        templates = {(s, c): i for s, c, i in cur.fetchall()}
        cur.execute("SELECT category, id, whole_unit_months, key_parts FROM warranty_policies WHERE client_id IS NULL")
        policies = {c: (i, m, k) for c, i, m, k in cur.fetchall()}
    conn.rollback()
    pool.put(conn)

    app = FastAPI()
    priority = {"normal": 1, "urgent": 5, "emergency": 10}

    @app.get("/readyz")
    def ready():
        return {"status": "ok"}

    @app.post("/v1/orders", status_code=201)
    def create(body: OrderCreate, request: Request, x_api_key: str = Header(),
               idempotency_key: str = Header(alias="Idempotency-Key")):
        conn = pool.get()
        try:
            cur = _Cursor(conn.cursor())
            out = _write(cur, body, x_api_key, idempotency_key)
            conn.commit()
            return out
        except BaseException:
            conn.rollback()
            raise
        finally:
            pool.put(conn)

    def _write(cur, body, api_key: str, key: str):
        now = datetime.now(timezone.utc)
        cur.execute("SELECT k.client_id FROM api_keys k JOIN clients c ON c.id = k.client_id "
                    "WHERE k.key_hash = %s AND k.revoked_at IS NULL AND c.active", (sha256(api_key),))
        row = cur.fetchone()
        if row is None:
            return JSONResponse({"detail": "bad key"}, status_code=401)
        client_id = row[0]
        payload = body.model_dump(mode="json")
        record_id = uuid.uuid4()
        cur.execute("INSERT INTO idempotency_records (id, client_id, key, endpoint, request_hash, status_code, "
                    "response_body, created_at, expires_at) VALUES (%s,%s,%s,%s,%s,0,'{}',%s,%s) "
                    "ON CONFLICT (client_id, key) DO NOTHING RETURNING id",
                    (record_id, client_id, key, "POST /v1/orders", sha256(json.dumps(payload, sort_keys=True)),
                     now, now + timedelta(hours=48)))
        if cur.fetchone() is None:
            cur.execute("SELECT response_body FROM idempotency_records WHERE client_id = %s AND key = %s",
                        (client_id, key))
            return JSONResponse(cur.fetchone()[0], status_code=201, headers={"Idempotent-Replayed": "true"})

        order_id, token = uuid.uuid4(), new_secret("trk")
        lon, lat = body.location.lon, body.location.lat
        cur.execute("INSERT INTO orders (id, client_id, channel, city, external_order_id, service_type, status, "
                    "urgency, contact_name, contact_phone, address, location, notes, problem_description, "
                    "tracking_token_hash, created_at) VALUES (%s,%s,'api',%s,%s,%s,'open',%s,%s,%s,%s,"
                    "ST_SetSRID(ST_MakePoint(%s,%s),4326),%s,%s,%s,%s)",
                    (order_id, client_id, body.city, body.external_order_id, body.service_type, body.urgency,
                     body.contact.name, body.contact.phone, body.address, lon, lat, body.notes,
                     body.problem_description, sha256(token), now))
        apps = [(uuid.uuid4(), order_id, i, a.category, a.brand, a.model, a.serial, a.purchase_date, a.quantity)
                for i, a in enumerate(body.appliances)]
        sql, params = _values(apps)
        cur.execute("INSERT INTO order_appliances (id, order_id, position, category, brand, model, serial, "
                    f"purchase_date, quantity) VALUES {sql}", params)
        windows = sorted(body.windows, key=lambda w: w.start)
        sql, params = _values([(uuid.uuid4(), order_id, w.start, w.end) for w in windows])
        cur.execute(f'INSERT INTO order_windows (id, order_id, start, "end") VALUES {sql}', params)

        first = windows[0]
        jobs: list[dict] = []

        def job(kind, category, minutes, cents, skills, status="pending", depends=None):
            jobs.append(dict(id=uuid.uuid4(), sequence=len(jobs), kind=kind, category=category, minutes=minutes,
                             cents=cents, skills=sorted(set(skills)), status=status, depends=depends))
            return jobs[-1]["id"]

        if body.service_type == "delivery_install":
            m = sum(entries[(a.category, "delivery")][0] * a.quantity for a in body.appliances)
            p = sum(entries[(a.category, "delivery")][1] * a.quantity for a in body.appliances)
            delivery = job("delivery", body.appliances[0].category, m, p, ["delivery"])
            for a in body.appliances:
                m, p, k = entries[(a.category, "install")]
                job("install", a.category, m * a.quantity, p * a.quantity, k, "awaiting_goods", delivery)
        else:
            for a in body.appliances:
                m, p, k = entries[(a.category, body.service_type)]
                job(body.service_type, a.category, m * a.quantity, p * a.quantity, k)
        prio = priority[body.urgency]
        sql, params = _values([
            (j["id"], order_id, j["sequence"], j["kind"], j["category"], j["status"], Jsonb(j["skills"]), j["minutes"],
             j["cents"], prio, lon, lat, first.start, first.end, j["depends"], 1, now, now) for j in jobs])
        sql = sql.replace("%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,", "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,"
                          "ST_SetSRID(ST_MakePoint(%s,%s),4326),")
        cur.execute("INSERT INTO jobs (id, order_id, sequence, service_type, category, status, required_skills, "
                    "duration_minutes, base_price_cents, priority, location, window_start, window_end, "
                    f"depends_on_job_id, version, created_at, updated_at) VALUES {sql}", params)
        actor = ("client", str(client_id))
        job_events = [(uuid.uuid4(), j["id"], 1, now, *actor, "create", None, j["status"], None,
                       Jsonb({"order_id": str(order_id)})) for j in jobs]
        events = [(uuid.uuid4(), "order.created", now, *actor, client_id, order_id, body.external_order_id, None,
                   Jsonb({"service_type": body.service_type, "urgency": body.urgency, "channel": "api",
                          "city": body.city}))]
        events += [(uuid.uuid4(), "job.created", now, *actor, client_id, order_id, body.external_order_id, j["id"],
                    Jsonb({"status": j["status"], "service_type": j["kind"], "category": j["category"]}))
                   for j in jobs]

        # Checklists and their SLA clocks in one statement: the templates' nodes copied onto the jobs.
        pairs = [(j["id"], templates[(j["kind"], j["category"])]) for j in jobs if (j["kind"], j["category"]) in templates]
        if pairs:
            sql, params = _values(pairs)
            cur.execute(
                "INSERT INTO job_nodes (id, job_id, template_id, source, status, code, position, stage, title_zh, "
                "title_en, completed_by, mandatory, depends_on, evidence, sla_anchor, sla_minutes, due_at) "
                "SELECT gen_random_uuid(), v.job_id::uuid, t.template_id, 'standard', 'open', t.code, t.position, t.stage, "
                "t.title_zh, t.title_en, t.completed_by, t.mandatory, t.depends_on, t.evidence, t.sla_anchor, "
                "t.sla_minutes, CASE t.sla_anchor WHEN 'job_created' THEN %s::timestamptz "
                "WHEN 'window_start' THEN %s::timestamptz WHEN 'window_end' THEN %s::timestamptz END "
                "+ make_interval(mins => t.sla_minutes) "
                f"FROM (VALUES {sql}) AS v(job_id, template_id) JOIN template_nodes t "
                "ON t.template_id = v.template_id::uuid",
                [now, first.start, first.end, *[str(x) for x in params]])
        sql, params = _values([(j["id"], 0) for j in jobs])
        cur.execute(f"INSERT INTO charge_sheets (job_id, charge_count) VALUES {sql}", params)
        decided = []
        for j in jobs:
            if j["kind"] not in ("repair", "maintenance", "rework"):
                continue
            a = body.appliances[j["sequence"]]
            pid, months, parts = policies.get(j["category"], (None, 0, []))
            until = _add_months(a.purchase_date, months) if a.purchase_date else None
            status = "unknown" if until is None else ("in_warranty" if now.date() <= until else "out_of_warranty")
            decided.append((uuid.uuid4(), j["id"], status, status, status, status == "in_warranty", client_id,
                            pid, a.purchase_date, "order" if a.purchase_date else None, now.date(), until,
                            Jsonb(parts), now))
        if decided:
            sql, params = _values(decided)
            cur.execute("INSERT INTO warranty_decisions (id, job_id, status, reason_zh, reason_en, bill_to_brand, "
                        "brand_client_id, policy_id, purchase_date, purchase_date_source, decided_for, "
                        f"whole_unit_until, key_parts, created_at) VALUES {sql}", params)
        if prio >= 5:  # urgent work is offered at once to the nearest technician who covers it
            for j in jobs:
                if j["status"] != "pending":
                    continue
                cur.execute("SELECT id FROM technicians WHERE active AND ST_Contains(service_area, "
                            "ST_SetSRID(ST_MakePoint(%s,%s),4326)) ORDER BY home_base <-> "
                            "ST_SetSRID(ST_MakePoint(%s,%s),4326) LIMIT 1", (lon, lat, lon, lat))
                found = cur.fetchone()
                if found is None:
                    continue
                cur.execute("INSERT INTO job_offers (id, job_id, technician_id, status, expires_at, created_at) "
                            "VALUES (%s,%s,%s,'open',%s,%s)", (uuid.uuid4(), j["id"], found[0],
                                                              now + timedelta(minutes=15), now))
                cur.execute("UPDATE jobs SET status = 'offered', version = 2 WHERE id = %s AND version = 1", (j["id"],))
                job_events.append((uuid.uuid4(), j["id"], 2, now, "system", None, "offer", "pending", "offered", None,
                                   Jsonb({"technician_ids": [str(found[0])]})))
                events.append((uuid.uuid4(), "job.offered", now, "system", None, client_id, order_id,
                               body.external_order_id, j["id"], Jsonb({"technician_ids": [str(found[0])]})))
        sql, params = _values(job_events)
        cur.execute("INSERT INTO job_events (id, job_id, seq, at, actor_type, actor_id, action, from_status, "
                    f"to_status, reason, data) VALUES {sql}", params)
        sql, params = _values(events)
        cur.execute("INSERT INTO events (id, type, occurred_at, actor_type, actor_id, client_id, order_id, "
                    f"external_order_id, job_id, data, version) VALUES {sql.replace('%s)', '%s,1)')}", params)
        response = {"id": str(order_id), "status": "open", "tracking_token": token,
                    "jobs": [{"id": str(j["id"]), "service_type": j["kind"], "status": j["status"]} for j in jobs]}
        cur.execute("UPDATE idempotency_records SET status_code = 201, response_body = %s WHERE id = %s",
                    (Jsonb(response), record_id))
        return response

    return _counting(app)


def _add_months(d: date, months: int) -> date:
    from app.warranty.decisions import add_months

    return add_months(d, months)
