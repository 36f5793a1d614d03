"""RFC 9457 problem+json for every error the API returns, including validation and unknown routes."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

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
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _loc_to_field(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out or ".".join(str(p) for p in loc)


def install(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError):
        return problem_response(
            request, exc.status, exc.code, exc.title, exc.detail, exc.headers, field=exc.field, **exc.extra
        )

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

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        # Never leak a traceback; the log keeps it.
        import logging

        logging.getLogger("shifu").exception("unhandled error on %s", request.url.path)
        return problem_response(request, 500, "internal-error", "Internal error", "an unexpected error occurred")
