"""Alembic environment: one set of migrations for PostgreSQL/PostGIS and SQLite/SpatiaLite."""

import re

from alembic import context
from geoalchemy2 import alembic_helpers

from app.config import get_settings
from app.db import is_sqlite, make_engine
from app.models import Base

config = context.config
target_metadata = Base.metadata


# Tables the spatial extensions own; they are not ours to create, drop or compare.
_EXTENSION_TABLES = re.compile(
    r"^(spatial_ref_sys.*|geometry_columns.*|geom_cols_ref_sys|views_geometry_columns.*|"
    r"virts_geometry_columns.*|spatialite_history|sql_statements_log|sqlite_sequence|"
    r"spatialindex|elementarygeometries|knn2?|data_licenses|idx_.*|"
    r"vector_layers.*|raster_coverages.*|rl2map_configurations.*|se_.*|wms_.*|topologies|"
    r"networks|stored_procedures|stored_variables|ISO_metadata.*|SE_.*|iso_metadata.*)$",
    re.IGNORECASE,
)


def include_object(obj, name, obj_type, reflected, compare_to):
    if obj_type == "table" and reflected and compare_to is None and _EXTENSION_TABLES.match(name or ""):
        return False
    return alembic_helpers.include_object(obj, name, obj_type, reflected, compare_to)


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        include_object=include_object,
        process_revision_directives=alembic_helpers.writer,
        render_item=alembic_helpers.render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        process_revision_directives=alembic_helpers.writer,
        render_item=alembic_helpers.render_item,
        render_as_batch=is_sqlite(str(connection.engine.url)),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if connection.in_transaction():
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
