"""Engines for both backends, and the request-scoped session that owns the transaction.

SQLite/SpatiaLite is the embedded default; PostgreSQL/PostGIS is production. The same models and
migrations serve both; the differences are confined to connection setup here.
"""

import os
from collections.abc import Iterator
from functools import partial

from fastapi import Request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def is_sqlite(url_or_engine) -> bool:
    url = url_or_engine.url if isinstance(url_or_engine, Engine) else str(url_or_engine)
    return str(url).startswith("sqlite")


def _sqlite_connect(dbapi_conn, _record):
    from geoalchemy2.admin.dialects.sqlite import load_spatialite

    # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; we issue BEGIN ourselves.
    dbapi_conn.isolation_level = None
    load_spatialite(dbapi_conn, init_mode="WGS84")
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def _sqlite_begin(conn):
    # IMMEDIATE takes the write lock up front, so two writers queue on busy_timeout instead of one
    # failing with SQLITE_BUSY when it upgrades a read snapshot. This is what serialises concurrent
    # accepts and idempotent retries on the embedded database.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kw) -> Engine:
    if is_sqlite(url):
        import sqlean

        os.environ.setdefault("SPATIALITE_LIBRARY_PATH", "mod_spatialite")
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        engine = create_engine(
            url, module=sqlean, connect_args={"check_same_thread": False, "timeout": 30}, **kw
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kw.setdefault("pool_size", 10)
    kw.setdefault("max_overflow", 20)
    # No JIT for Shifu's own connections: its queries are short and indexed, but plans costed over a
    # large table (the candidate walk at 100,000 technicians) were JIT-compiled on every execution,
    # which cost more than running them.
    connect_args = dict(kw.pop("connect_args", {}))
    connect_args["options"] = f"{connect_args.get('options', '')} -c jit=off".strip()
    return create_engine(url, connect_args=connect_args, **kw)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: commit when the handler returns, roll back on any error."""
    session: Session = request.app.state.sessionmaker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
