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
# In parallel, one worker per core (pytest-xdist); each worker has its own scratch databases.
# SHIFU_TEST_WORKERS=0 runs in one process (e.g. to debug with -s or pdb). Work stealing: a few tests
# take a minute each, and a worker left idle while the other holds a queue of them wastes a core.
exec .venv/bin/pytest -n "${SHIFU_TEST_WORKERS:-auto}" --dist worksteal "$@"
