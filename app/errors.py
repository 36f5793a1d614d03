"""RFC 9457 problem+json for every error the API returns, including validation, unknown routes,
unexpected errors (500) and an unreachable database (503); every response carries a request id."""

import logging
import re
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("shifu")
REQUEST_ID = "X-Request-ID"
# A caller's own request id is echoed only if it is short and plain (it goes into logs and headers).
_CALLER_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,64}$")
# Tracking tokens travel in paths (/track/{token}); log lines show only their prefix.
_SECRET_IN_PATH = re.compile(r"(trk_)[A-Za-z0-9_\-]+")
# How long a caller should wait before retrying when the database is unreachable or busy.
RETRY_AFTER_SECONDS = 5

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://shifu.dev/problems/"


class ProblemError(Exception):
    """Raised by services; carries everything needed for a problem+json answer."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        title: str | None = None,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ):
        super().__init__(detail)
        self.status = status
        self.code = code
        self.title = title or code.replace("-", " ").capitalize()
        self.detail = detail
        self.field = field
        self.headers = headers
        self.extra = extra


def not_found(what: str, ident: Any = None) -> ProblemError:
    detail = f"{what} not found" if ident is None else f"{what} {ident} not found"
    return ProblemError(404, "not-found", detail, title="Not found")


def conflict(code: str, detail: str, **extra: Any) -> ProblemError:
    return ProblemError(409, code, detail, **extra)


def invalid(field: str, detail: str, code: str = "invalid-field") -> ProblemError:
    return ProblemError(422, code, f"{field}: {detail}", field=field, title="Invalid request")


def forbidden(detail: str = "not allowed for this caller") -> ProblemError:
    return ProblemError(403, "forbidden", detail, title="Forbidden")


def unauthorized(detail: str = "missing or invalid credentials") -> ProblemError:
    return ProblemError(
        401, "unauthorized", detail, title="Unauthorized", headers={"WWW-Authenticate": "Bearer"}
    )


def problem_response(
    request: Request,
    status: int,
    code: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {
        "type": TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": request_id(request.scope),
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def problem_for(request: Request, exc: ProblemError) -> JSONResponse:
    return problem_response(
        request, exc.status, exc.code, exc.title, exc.detail, exc.headers, field=exc.field, **exc.extra
    )


def request_id(scope: Scope) -> str | None:
    return scope.get("state", {}).get("request_id")


def _database_unavailable(exc: BaseException) -> bool:
    """The database cannot be reached or is too busy right now: the caller should retry, not give up."""
    if isinstance(exc, sa_exc.TimeoutError):  # connection pool exhausted
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        return exc.connection_invalidated or isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError))
    return False


class RequestContext:
    """Outermost handler of the app: gives each request an id, and turns any exception that no
    handler took into a problem+json answer (503 for the database, 500 otherwise), logged with its
    traceback. Nothing escapes to the server, which would reset the client's connection."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or ()).get(b"x-request-id", b"").decode("latin-1")
        rid = given if _CALLER_REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message)[REQUEST_ID] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            request = Request(scope)
            path = _SECRET_IN_PATH.sub(r"\1…", scope["path"])
            if _database_unavailable(exc):
                log.warning("database unavailable on %s %s (request %s): %s", scope["method"], path, rid, exc)
                response = problem_response(
                    request, 503, "database-unavailable", "Service unavailable",
                    "the database is unreachable or busy; retry shortly",
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                )
            else:
                log.exception("unhandled error on %s %s (request %s)", scope["method"], path, rid)
                response = problem_response(
                    request, 500, "internal-error", "Internal error",
                    f"an unexpected error occurred; quote request id {rid} when reporting it",
                )
            if started:  # the answer is already on its way; all that is left is the log line above
                return
            await response(scope, receive, send_with_id)


def _loc_to_field(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out or ".".join(str(p) for p in loc)


def install(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError):
        return problem_for(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errors = []
        for err in exc.errors():
            field = _loc_to_field(tuple(err.get("loc", ())))
            kind = err.get("type", "")
            msg = err.get("msg", "invalid")
            if kind == "json_invalid":
                msg = "malformed JSON: " + str(err.get("ctx", {}).get("error", msg))
            elif kind == "extra_forbidden":
                msg = "unknown field (not accepted in this request)"
            errors.append({"field": field, "message": msg, "type": kind})
        first = errors[0] if errors else {"field": None, "message": "invalid request"}
        detail = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
        if len(errors) > 1:
            detail += f" (and {len(errors) - 1} more)"
        return problem_response(
            request, 422, "validation-error", "Invalid request", detail, field=first["field"], errors=errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        code = {404: "not-found", 405: "method-not-allowed", 401: "unauthorized"}.get(
            exc.status_code, "http-error"
        )
        return problem_response(
            request, exc.status_code, code, code.replace("-", " ").capitalize(), str(exc.detail),
            getattr(exc, "headers", None),
        )

    app.add_middleware(RequestContext)
