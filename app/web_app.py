"""Serves the built browser apps (app/web/dist/, made by `npm run build` in app/web) from FastAPI:
the technician app at /tech/, every asset from this server, nothing from a CDN."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse

DIST = Path(__file__).resolve().parent / "web" / "dist"
# Hashed file names never change content: cache them for a year. The shell and the service worker
# must be re-checked on every visit, or a phone would keep an old version forever.
IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}
REVALIDATE = {"Cache-Control": "no-cache"}


def mount_web(app: FastAPI, dist: Path = DIST) -> None:
    root = dist / "tech"

    @app.get("/tech", include_in_schema=False)
    @app.get("/tech/{path:path}", include_in_schema=False)
    def tech_app(path: str = ""):
        if not (root / "index.html").is_file():
            return HTMLResponse(
                "<h1>The technician app is not built</h1><p>Run <code>scripts/run.sh</code>, or "
                "<code>cd app/web &amp;&amp; npm ci &amp;&amp; npm run build</code>.</p>", status_code=503)
        target = (root / path).resolve()
        if path and target.is_file() and root.resolve() in target.parents:
            headers = IMMUTABLE if target.parent.name == "assets" else REVALIDATE
            if target.name == "sw.js":
                headers = {**REVALIDATE, "Service-Worker-Allowed": "/tech/"}
            return FileResponse(target, headers=headers)
        # Any other path is a screen of the single-page app: the shell routes it.
        return FileResponse(root / "index.html", headers=REVALIDATE)
