"""The built technician app served by FastAPI: the shell for every screen path, hashed assets cached
for good and gzipped, the service worker with its scope, and no path escaping the build."""

from app.web_app import DIST


def test_the_shell_assets_and_service_worker_are_served(api):
    if not (DIST / "tech" / "index.html").is_file():
        import pytest

        pytest.fail("the technician app is not built: scripts/test.sh builds it")
    for path in ("/tech/", "/tech/jobs/00000000-0000-0000-0000-000000000000", "/tech/me"):
        r = api.get(path)
        assert r.status_code == 200 and '<div id="app">' in r.text and r.headers["cache-control"] == "no-cache"
    asset = next((DIST / "tech" / "assets").glob("*.js")).name
    r = api.get(f"/tech/assets/{asset}", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert "immutable" in r.headers["cache-control"] and r.headers["content-type"].startswith("text/javascript")
    sw = api.get("/tech/sw.js")
    assert sw.headers["service-worker-allowed"] == "/tech/" and "caches" in sw.text
    assert api.get("/tech/manifest.webmanifest").json()["start_url"] == "/tech/"
    # Outside the build is never served, however the path is spelled.
    assert "SHIFU" not in api.get("/tech/../../config.py").text
    assert "secret_key" not in api.get("/tech/%2e%2e/%2e%2e/config.py").text


def test_the_event_types_the_app_listens_for_exist():
    """The app subscribes by name (EventSource needs a listener per named event): a renamed type on the
    server would silently stop its live updates."""
    import re
    from pathlib import Path

    from app.events.catalog import TYPES

    live = (Path(__file__).resolve().parents[2] / "app/web/tech/src/lib/live.js").read_text()
    block = re.search(r"LIVE_TYPES = \[(.*?)\]", live, re.S).group(1)
    listened = re.findall(r"'([a-z_.]+)'", block)
    assert len(listened) >= 10 and set(listened) <= set(TYPES), set(listened) - set(TYPES)


def test_no_stylesheet_of_any_app_names_a_remote_asset():
    """Nothing from a CDN at run time: component libraries' CSS lists a CDN copy of their icon font
    (Vant's at.alicdn.com), which the build strips (app/web/vite.shared.js)."""
    import re

    sheets = list(DIST.glob("*/assets/*.css"))
    assert sheets, "the apps are not built: scripts/test.sh builds them"
    for sheet in sheets:
        remote = re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", sheet.read_text())
        assert not remote, f"{sheet.name} names {remote[:3]}"
