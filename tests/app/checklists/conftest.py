import pytest

from app.actors import SYSTEM, Actor
from app.checklists.storage import LocalStorage
from app.jobs import service as jobs
from app.security import sha256
from tests.app.checklists.builders import Node, install_template
from tests.factories import make_client, make_order, make_technician, ops_headers, technician_headers

# A small repair template that uses every kind of evidence and of completer.
REPAIR_NODES = [
    Node("accepted", stage="contact", completed_by="system", evidence={"auto": "accepted"}),
    Node("contact_consumer", stage="contact", evidence={"checkbox": True}, sla_anchor="accepted", sla_minutes=30),
    Node("check_in", stage="arrival", depends_on=("contact_consumer",), evidence={"checkin": {"radius_m": 300}}),
    Node("photo_before", stage="inspection", depends_on=("check_in",), evidence={"photos": {"min": 1, "max": 3}}),
    Node("pressure", stage="test", depends_on=("photo_before",),
         evidence={"reading": {"unit": "MPa", "min": 0.5, "max": 4.5}}),
    Node("note", stage="work", mandatory=False, evidence={"text": {"min_length": 5}}),
    Node("consumer_signature", stage="handover", completed_by="consumer", mandatory=False, depends_on=("pressure",),
         evidence={"signature": True}),
    Node("charges_settled", stage="handover", completed_by="system", evidence={"auto": "charges_settled"}),
]


@pytest.fixture(autouse=True)
def photo_store(app, tmp_path):
    """Uploads go to the test's own directory, not the checkout's var/."""
    app.state.storage = LocalStorage(tmp_path / "photos")
    return app.state.storage


@pytest.fixture
def repair_template(db):
    return install_template(db, "repair", "air_conditioner", REPAIR_NODES)


@pytest.fixture
def story(api, db, repair_template):
    """A repair job with the test template, its technician on site and working (in_progress)."""
    client = make_client(db)
    order, (job,) = make_order(db, client.id)
    token = "trk_" + order.id.hex
    order.tracking_token_hash = sha256(token)
    tech = make_technician(db)
    work(db, job, tech)
    return {
        "client": client, "order": order, "job": job, "tech": tech, "token": token,
        "ops": ops_headers(api, db), "tech_h": technician_headers(api, tech),
    }


def work(db, job, tech, until: str = "start") -> None:
    """Assign the job to `tech` and walk it to the state `until` leads to."""
    jobs.assign(db, job, tech.id, SYSTEM, "test: nearest technician")
    me = Actor("technician", str(tech.id))
    jobs.act(db, job, "schedule", me, scheduled_start=job.window_start)
    for action in ("depart", "arrive", "start"):
        jobs.act(db, job, action, me)
        if action == until:
            break
    db.commit()
