"""Test harness: every API test runs on SQLite/SpatiaLite and on PostgreSQL/PostGIS.

Each backend gets a fresh database migrated once per run (Alembic upgrade head); each test runs
inside a transaction that is rolled back, with the app's own commits turned into savepoints.
Tests that need real concurrency use `live_app`, which commits for real and wipes afterwards.
"""

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.scratchdb import create_postgis_database, migrate  # noqa: F401 (tests import migrate from here)

# The browser fixtures (a live server, Chromium through Playwright), one instance for the whole run.
pytest_plugins = ["tests.browser.fixtures"]

# Test users are made by the thousand: scrypt at a fraction of the production cost (N=2^17) keeps the
# suite fast. The hashes carry their parameters, and tests/app/test_login.py checks the production ones.
os.environ.setdefault("SHIFU_PASSWORD_SCRYPT_N", str(2**10))
# Stories about dispatch, checklists, prices... post orders without first staffing the place, at any
# hour; the order-time coverage and service-hours rules have their own tests (tests/app/orders/test_coverage.py).
os.environ.setdefault("SHIFU_REQUIRE_COVERAGE", "false")
os.environ.setdefault("SHIFU_SERVICE_HOURS", "")
# Bookings in stories elsewhere skip the SMS step; tests/app/consumer turns it on for its own stories.
os.environ.setdefault("SHIFU_CONSUMER_PHONE_VERIFICATION", "false")

PG_ADMIN_URL = os.environ.get("SHIFU_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BACKENDS = [b for b in os.environ.get("SHIFU_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


def _create_pg_database() -> tuple[str, callable]:
    return create_postgis_database(PG_ADMIN_URL, prefix="shifu_test")


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
    from app.reference import load_reference_data

    with Session(engine) as s:
        load_reference_data(s)
        s.commit()
    yield Backend(request.param, url, engine)
    engine.dispose()
    drop()


_UPLOADS = tempfile.mkdtemp(prefix="shifu-test-uploads-")


def _settings(url: str) -> Settings:
    # Evidence photos uploaded by tests go to a scratch directory, never into the checkout's var/.
    return Settings(database_url=url, load_demo=False, storage_dir=_UPLOADS)


@pytest.fixture(autouse=True)
def _forget_api_keys():
    """Each test's rows are rolled back or wiped behind the key cache's back (a fixed demo key would
    otherwise still name the client of an earlier test)."""
    from app.clients.keys import forget_all

    forget_all()
    yield


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
    from app.reference import load_reference_data

    with Session(backend.engine) as s:  # the wipe took the templates, prices and policies too
        load_reference_data(s)
        s.commit()


KEEP = {"appliance_categories", "skills", "catalogue_entries", "spatial_ref_sys", "alembic_version"}


def wipe(engine) -> None:
    from app.models import Base

    with engine.begin() as c:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEEP:
                c.execute(table.delete())
