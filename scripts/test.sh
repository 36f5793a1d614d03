#!/usr/bin/env bash
# Install and start everything the tests need, then run the whole suite on SQLite and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_python_env
ensure_spatialite
ensure_postgres
ensure_redis
ensure_chromium
ensure_fonts
ensure_web
export SPATIALITE_LIBRARY_PATH=mod_spatialite
say "running the test suite (SQLite/SpatiaLite and PostgreSQL/PostGIS)"
exec .venv/bin/pytest "$@"
