"""Alembic creates every table on both databases, round-trips, and matches the models exactly."""

import tempfile

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.db import make_engine
from app.models import Base
from app.schema_filter import include_object
from tests.conftest import BACKENDS, _create_pg_database, migrate


@pytest.fixture(params=BACKENDS)
def scratch_url(request):
    if request.param == "sqlite":
        yield f"sqlite:///{tempfile.mkdtemp(prefix='shifu-mig-')}/m.db"
    else:
        url, drop = _create_pg_database()
        yield url
        drop()


def _diff(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"include_object": include_object, "compare_type": True})
            return compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_leaves_models_and_migrations_in_step(scratch_url):
    ours = set(Base.metadata.tables)
    migrate(scratch_url, "head")
    assert ours <= _tables(scratch_url)
    migrate(scratch_url, "base", direction="downgrade")
    assert not (ours & _tables(scratch_url))
    migrate(scratch_url, "head")
    assert ours <= _tables(scratch_url)
    assert _diff(scratch_url) == []


def test_drift_between_models_and_migrations_is_detected(scratch_url):
    """The comparison above would fail if a model gained a column the migrations lack."""
    from sqlalchemy import Column, Integer

    migrate(scratch_url, "head")
    table = Base.metadata.tables["clients"]
    extra = Column("drift_probe", Integer)
    table.append_column(extra)
    try:
        diff = _diff(scratch_url)
    finally:
        table._columns.remove(extra)
    assert any(d[0] == "add_column" and d[3].name == "drift_probe" for d in diff), diff
