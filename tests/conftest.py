"""Test harness: every API test runs on SQLite/SpatiaLite and on PostgreSQL/PostGIS.

Each backend gets a fresh database migrated once per run (Alembic upgrade head); each test runs
inside a transaction that is rolled back, with the app's own commits turned into savepoints.
Tests that need real concurrency use `live_app`, which commits for real and wipes afterwards.
"""

import os
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import make_engine
from app.main import create_app

PG_ADMIN_URL = os.environ.get("SHIFU_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BACKENDS = [b for b in os.environ.get("SHIFU_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


def _create_pg_database() -> tuple[str, callable]:
    name = f"shifu_test_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=None)
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    tmp = make_engine(url, isolation_level="AUTOCOMMIT")
    with tmp.connect() as c:
        c.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    tmp.dispose()

    def drop():
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def migrate(url: str, revision: str = "head", direction: str = "upgrade") -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config(os.path.join(os.path.dirname(__file__), "..", "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", url)
    getattr(command, direction)(cfg, revision)


@dataclass
class Backend:
    name: str
    url: str
    engine: object


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> Iterator[Backend]:
    if request.param == "sqlite":
        tmpdir = tempfile.mkdtemp(prefix="shifu-test-")
        url = f"sqlite:///{tmpdir}/test.db"
        drop = lambda: None  # noqa: E731
    else:
        url, drop = _create_pg_database()
    migrate(url)
    engine = make_engine(url)
    from app.catalogue.service import load_catalogue

    with Session(engine) as s:
        load_catalogue(s)
        s.commit()
    yield Backend(request.param, url, engine)
    engine.dispose()
    drop()


def _settings(url: str) -> Settings:
    return Settings(database_url=url, load_demo=False)


@pytest.fixture
def db(backend) -> Iterator[Session]:
    """A session inside the test's rolled-back transaction, shared with the app under test."""
    conn = backend.engine.connect()
    trans = conn.begin()
    maker = sessionmaker(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    session = maker()
    session.info["maker"] = maker
    yield session
    session.close()
    trans.rollback()
    conn.close()


@pytest.fixture
def app(backend, db):
    return create_app(_settings(backend.url), sessionmaker=db.info["maker"])


@pytest.fixture
def api(app) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def live_app(backend):
    """The app on the real engine (commits are real) for concurrency tests; wiped afterwards."""
    app = create_app(_settings(backend.url), engine=backend.engine)
    yield app
    wipe(backend.engine)


KEEP = {"appliance_categories", "skills", "catalogue_entries", "spatial_ref_sys", "alembic_version"}


def wipe(engine) -> None:
    from app.models import Base

    with engine.begin() as c:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEEP:
                c.execute(table.delete())
