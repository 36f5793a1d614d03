"""Throwaway PostGIS databases and migrations, for the test suite and the benchmark scripts."""

import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from app.db import make_engine

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


def create_postgis_database(admin_url: str, prefix: str = "shifu_scratch") -> tuple[str, Callable[[], None]]:
    """Create an empty database with PostGIS next to `admin_url`; returns its URL and a dropper."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    tmp = make_engine(url, isolation_level="AUTOCOMMIT")
    with tmp.connect() as c:
        c.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    tmp.dispose()

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def migrate(url: str, revision: str = "head", direction: str = "upgrade") -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ALEMBIC_INI))
    cfg.set_main_option("sqlalchemy.url", url)
    getattr(command, direction)(cfg, revision)
