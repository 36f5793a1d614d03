#!/usr/bin/env bash
# Set everything up and serve Shifu on the embedded database (SQLite + SpatiaLite) with a demo city.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

# --inexact: install what serving needs without removing what test.sh installed (pytest, the bench tools).
ensure_python_env --no-dev --inexact
ensure_spatialite
ensure_web
export SPATIALITE_LIBRARY_PATH=mod_spatialite
say "migrating the database (${SHIFU_DATABASE_URL:-embedded var/shifu.db})"
.venv/bin/alembic upgrade head
.venv/bin/python -m app.demo
# Dispatch runs leave the web process through Redis + RQ when Redis is there; otherwise they run in
# a background thread of the server (fine for one person trying the demo).
redis_url="${SHIFU_REDIS_URL:-redis://127.0.0.1:6379/0}"
if .venv/bin/python -c "import redis; redis.Redis.from_url('$redis_url').ping()" 2>/dev/null; then
  say "starting a dispatch worker (rq, $redis_url)"
  .venv/bin/rq worker "${SHIFU_QUEUE_NAME:-shifu}" --url "$redis_url" --quiet &
  worker=$!
  say "starting a webhook delivery worker (rq, queue ${SHIFU_WEBHOOK_QUEUE_NAME:-shifu-webhooks})"
  .venv/bin/python -m app.webhooks.delivery &
  worker="$worker $!"
  trap 'kill $worker 2>/dev/null' EXIT INT TERM
else
  say "Redis not reachable at $redis_url: dispatch runs and webhook deliveries will run inside the web process"
  export SHIFU_TASK_QUEUE=thread
fi
# Offer expiry, SLA breaches, idempotency-key purging and overdue webhook deliveries, once a minute.
.venv/bin/python -m app.housekeeping --interval "${SHIFU_HOUSEKEEPING_SECONDS:-60}" &
housekeeper=$!
trap 'kill $housekeeper ${worker:-} 2>/dev/null' EXIT INT TERM
.venv/bin/uvicorn app.main:create_app --factory --host "${SHIFU_HOST:-127.0.0.1}" --port "${SHIFU_PORT:-8000}"
