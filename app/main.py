"""The FastAPI application: routers, problem+json errors, health and readiness."""

from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from sqlalchemy import Engine, text

import app.wiring  # noqa: F401,E402  (every domain subscribes to the events before a request changes anything)
from app import docs, errors, openapi
from app.catalogue.routes import router as catalogue_router
from app.clients.routes import router as clients_router
from app.config import Settings, get_settings
from app.db import make_engine, make_sessionmaker
from app.errors import ProblemError
from app.events.routes import router as events_router
from app.events.stream import Hub
from app.jobs.routes import router as jobs_router
from app.orders.routes import public as orders_public_router
from app.orders.routes import router as orders_router
from app.planning.routes import router as planning_router
from app.query_rules import check_request_inputs
from app.technicians.routes import candidates_router, coverage_router, providers_router
from app.technicians.routes import router as technicians_router
from app.users.routes import router as users_router
from app.web_app import mount_web
from app.webhooks.routes import router as webhooks_router
from app.workday.routes import router as workday_router


def create_app(settings: Settings | None = None, engine: Engine | None = None, sessionmaker=None) -> FastAPI:
    settings = settings or get_settings()
    owns_engine = engine is None and sessionmaker is None
    engine = engine or (None if sessionmaker else make_engine(settings.database_url))

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        await app.state.event_hub.stop()
        if owns_engine:
            engine.dispose()

    app = FastAPI(
        title="Shifu 师傅 dispatch API",
        version="0.1.0",
        description="Orders, technicians, jobs and dispatch for appliance delivery, installation and repair.",
        lifespan=lifespan,
        # Served from local files by app/docs.py instead of FastAPI's CDN-backed pages.
        docs_url=None,
        redoc_url=None,
        # The shared input rules for query strings and path values (bodies have them in schemas_base).
        dependencies=[Depends(check_request_inputs)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = sessionmaker or make_sessionmaker(engine)
    app.state.event_hub = Hub(app.state.sessionmaker, settings.event_poll_seconds, settings.event_keepalive_seconds)
    errors.install(app)
    docs.install(app)
    openapi.install(app)

    for router in (
        users_router, clients_router, catalogue_router, jobs_router, providers_router, technicians_router,
        candidates_router, coverage_router, planning_router, events_router, webhooks_router,
    ):
        app.include_router(router)
    app.include_router(orders_router)
    app.include_router(orders_public_router)
    app.include_router(workday_router)
    mount_web(app)
    # The service process: checklists, SLAs, prices, warranty, feedback.
    import importlib

    for domain in ("checklists", "sla", "pricing", "warranty", "feedback", "consumer"):
        for router in importlib.import_module(f"app.{domain}.routes").routers:
            app.include_router(router)

    @app.get("/healthz", tags=["ops"])
    def healthz():
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"])
    def readyz(request: Request):
        try:
            with request.app.state.sessionmaker() as s:
                s.execute(text("SELECT 1"))
        except Exception as exc:
            raise ProblemError(
                503, "not-ready", f"database unreachable: {exc.__class__.__name__}",
                headers={"Retry-After": str(errors.RETRY_AFTER_SECONDS)},
            ) from None
        return {"status": "ready"}

    return app
