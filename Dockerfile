# Production image for the Shifu API (PostgreSQL + PostGIS).
#   build:    docker build -t shifu .
#   migrate:  docker run --rm -e SHIFU_DATABASE_URL=postgresql+psycopg://user:pw@db/shifu shifu alembic upgrade head
#   serve:    docker run -p 8000:8000 -e SHIFU_DATABASE_URL=... -e SHIFU_SECRET_KEY=... shifu
# Liveness: GET /healthz   Readiness (database reachable): GET /readyz
# The browser apps (technician app at /tech/) are built in their own stage; only dist/ is shipped.
FROM node:20-bookworm-slim AS web
WORKDIR /web
COPY app/web/package.json app/web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY app/web ./
RUN npm run build

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv UV_COMPILE_BYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    SPATIALITE_LIBRARY_PATH=mod_spatialite \
    SHIFU_LOAD_DEMO=false

# SpatiaLite only so the image can also run the embedded mode; production uses PostgreSQL.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-mod-spatialite \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv

WORKDIR /srv/shifu
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY alembic.ini ./
COPY migrations ./migrations
COPY app ./app
COPY --from=web /web/dist ./app/web/dist
COPY dispatch ./dispatch
RUN uv sync --frozen --no-dev

RUN useradd --system --uid 10001 shifu && mkdir -p var/uploads && chown -R shifu var
USER shifu
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
CMD ["uvicorn", "app.main:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--proxy-headers"]
