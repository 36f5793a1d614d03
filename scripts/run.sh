#!/usr/bin/env bash
# Set everything up and serve Shifu on the embedded database (SQLite + SpatiaLite) with a demo city.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_python_env --no-dev
ensure_spatialite
export SPATIALITE_LIBRARY_PATH=mod_spatialite
say "migrating the database (${SHIFU_DATABASE_URL:-embedded var/shifu.db})"
.venv/bin/alembic upgrade head
.venv/bin/python -m app.demo
exec .venv/bin/uvicorn app.main:create_app --factory --host "${SHIFU_HOST:-127.0.0.1}" --port "${SHIFU_PORT:-8000}"
