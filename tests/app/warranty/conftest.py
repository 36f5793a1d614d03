import pytest

from app.warranty.service import load_default_policies


@pytest.fixture(autouse=True)
def default_policies(request):
    """The platform defaults are reference data; a `live_app` test's wipe removes them, so load them
    again (a no-op when they are there). Live-app tests load them on their own engine instead: the
    `db` fixture's open transaction would lock SQLite against the live server."""
    if "live_app" in request.fixturenames:
        return
    db = request.getfixturevalue("db")
    load_default_policies(db)
    db.commit()
