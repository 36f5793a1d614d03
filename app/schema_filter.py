"""Which database objects Alembic owns: ours, not the tables the spatial extensions create."""

import re

from geoalchemy2 import alembic_helpers

_EXTENSION_TABLES = re.compile(
    r"^(spatial_ref_sys.*|geometry_columns.*|geom_cols_ref_sys|views_geometry_columns.*|"
    r"virts_geometry_columns.*|spatialite_history|sql_statements_log|sqlite_sequence|"
    r"spatialindex|elementarygeometries|knn2?|data_licenses|idx_.*|"
    r"vector_layers.*|raster_coverages.*|rl2map_configurations.*|se_.*|wms_.*|topologies|"
    r"networks|stored_procedures|stored_variables|iso_metadata.*)$",
    re.IGNORECASE,
)


def include_object(obj, name, obj_type, reflected, compare_to):
    if obj_type == "table" and reflected and compare_to is None and _EXTENSION_TABLES.match(name or ""):
        return False
    return alembic_helpers.include_object(obj, name, obj_type, reflected, compare_to)
