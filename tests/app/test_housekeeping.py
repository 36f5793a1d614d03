"""The periodic housekeeping round: every sweep runs in its own transaction and a second round at
once finds nothing new."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.checklists.models import JobNode
from app.housekeeping import main, run_once
from app.models_base import utcnow
from app.sla.models import SlaBreach
from tests.factories import make_client, make_order


def test_a_round_records_an_overdue_node_once_and_reports_every_sweep(backend, live_app):
    with Session(backend.engine) as s:
        client = make_client(s)
        _, jobs = make_order(s, client.id)
        node = s.scalar(select(JobNode).where(JobNode.job_id == jobs[0].id, JobNode.code == "open.contact_consumer"))
        node.due_at = utcnow() - timedelta(minutes=5)  # as if accepted 35 minutes ago and nobody called
        s.commit()
        job_id = jobs[0].id

    first = run_once(backend.engine)
    assert set(first) == {"offers", "sla", "idempotency", "webhooks"}
    assert not any(isinstance(v, str) for v in first.values()), first
    assert first["sla"]["nodes"] == 1
    assert run_once(backend.engine)["sla"]["nodes"] == 0
    with Session(backend.engine) as s:
        breaches = s.scalars(select(SlaBreach).where(SlaBreach.job_id == job_id)).all()
        assert [(b.kind, b.node_code) for b in breaches] == [("node", "open.contact_consumer")]


def test_a_bad_interval_is_one_line_not_a_traceback(capsys):
    import pytest

    with pytest.raises(SystemExit) as exc:
        main(["--interval", "0"])
    assert exc.value.code == 2 and "--interval must be positive" in capsys.readouterr().err
