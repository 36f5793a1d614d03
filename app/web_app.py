"""Serves the built browser apps (app/web/dist/, made by `npm run build` in app/web) from FastAPI:
the technician app at /tech/, the ops console at /console/, the consumer pages' assets at /consumer/;
every asset from this server, nothing from a CDN."""

import gzip
from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

DIST = Path(__file__).resolve().parent / "web" / "dist"
# Hashed file names never change content: cache them for a year. The shell and the service worker
# must be re-checked on every visit, or a phone would keep an old version forever.
IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}
REVALIDATE = {"Cache-Control": "no-cache"}
# Text is sent gzipped: on a slow mobile link the 390 KB of JS and CSS are 120 KB.
COMPRESSIBLE = {".js", ".css", ".html", ".json", ".webmanifest", ".svg"}


@lru_cache(maxsize=64)
def _gzipped(path: Path, mtime_ns: int) -> bytes:  # the mtime keys the cache: a rebuild is seen
    return gzip.compress(path.read_bytes(), 6)


def _send(request: Request, path: Path, headers: dict):
    if path.suffix in COMPRESSIBLE and "gzip" in request.headers.get("accept-encoding", ""):
        import mimetypes

        media = "application/manifest+json" if path.suffix == ".webmanifest" else (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        return Response(_gzipped(path, path.stat().st_mtime_ns), media_type=media,
                        headers={**headers, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return FileResponse(path, headers=headers)


def _not_built(title: str) -> HTMLResponse:
    return HTMLResponse(
        f"<h1>The {title} is not built</h1><p>Run <code>scripts/run.sh</code>, or "
        "<code>cd app/web &amp;&amp; npm ci &amp;&amp; npm run build</code>.</p>", status_code=503)


def consumer_shell(request: Request, status: int = 200, head: str = "", dist: Path = DIST):
    """The consumer app's page for the links consumers are given (/book, /book/{code}, /track/{token}):
    the same shell as /consumer/, which reads the path and routes in the browser; `head` goes into its
    <head> (data the first screen needs, so it does not wait for another round trip)."""
    shell = dist / "consumer" / "index.html"
    if not shell.is_file():
        return _not_built("consumer pages")
    if not head:
        response = _send(request, shell, REVALIDATE)
        response.status_code = status
        return response
    page = shell.read_text().replace("</head>", head + "</head>", 1).encode()
    headers = {**REVALIDATE, "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(gzip.compress(page, 6), status_code=status, media_type="text/html",
                        headers={**headers, "Content-Encoding": "gzip"})
    return Response(page, status_code=status, media_type="text/html", headers=headers)


def mount_spa(app: FastAPI, name: str, dist: Path = DIST, *, service_worker: bool = False) -> None:
    """Serve the single-page app built into dist/<name>/ at /<name>/: assets from the build, every other
    path under it the shell, which routes it in the browser."""
    root = dist / name
    title = {"tech": "technician app", "console": "ops console", "consumer": "consumer pages"}.get(name, name)

    def shell_or_asset(request: Request, path: str = ""):
        if not (root / "index.html").is_file():
            return _not_built(title)
        target = (root / path).resolve()
        if path and target.is_file() and root.resolve() in target.parents:
            headers = IMMUTABLE if target.parent.name == "assets" else REVALIDATE
            if service_worker and target.name == "sw.js":
                headers = {**REVALIDATE, "Service-Worker-Allowed": f"/{name}/"}
            return _send(request, target, headers)
        return _send(request, root / "index.html", REVALIDATE)

    app.add_api_route(f"/{name}", shell_or_asset, methods=["GET"], include_in_schema=False)
    app.add_api_route(f"/{name}/{{path:path}}", shell_or_asset, methods=["GET"], include_in_schema=False)


def mount_web(app: FastAPI, dist: Path = DIST) -> None:
    mount_spa(app, "tech", dist, service_worker=True)
    mount_spa(app, "console", dist)
    mount_spa(app, "consumer", dist)
