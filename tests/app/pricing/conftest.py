import pytest

from app.pricing.service import load_default_prices
from tests.app.pricing.builders import Story, tracked_order, work
from tests.factories import make_client, make_technician, ops_headers, technician_headers


@pytest.fixture(autouse=True)
def default_prices(request):
    # Tests on the live app load (and wipe) their own: the rolled-back session would hold SQLite's write lock.
    if "live_app" in request.fixturenames:
        return
    db = request.getfixturevalue("db")
    load_default_prices(db)
    db.commit()


@pytest.fixture
def story(api, db) -> Story:
    """A brand's air-conditioner install, its technician on site and working (in_progress)."""
    client = make_client(db)
    order, (job,), token = tracked_order(db, client.id, service_type="install")
    tech = make_technician(db)
    work(db, job, tech)
    return Story(client, order, job, tech, token, ops_headers(api, db), technician_headers(api, tech))
