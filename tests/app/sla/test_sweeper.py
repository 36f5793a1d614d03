"""`python -m app.sla.sweeper`: one transaction per sweep, a line per run, a clean stop."""

import pytest
from sqlalchemy.orm import Session

from app.config import Settings
from app.sla import sweeper
from tests.app.sla.builders import Node, checklist, story


@pytest.fixture
def settings(backend, monkeypatch):
    monkeypatch.setattr("app.config.get_settings", lambda: Settings(database_url=backend.url, load_demo=False))


def test_once_runs_one_sweep_commits_it_and_prints_a_summary(live_app, backend, settings, capsys):
    with Session(backend.engine) as db:
        s = story(db)
        checklist(db, s.job, Node("t_overdue", "job_created", -60))
    assert sweeper.main(["--once"]) == 0
    assert "sla sweep: nodes=1 jobs=0 tickets=0" in capsys.readouterr().out
    assert sweeper.main(["--once"]) == 0  # the breach was committed: nothing new the second time
    assert "nodes=0" in capsys.readouterr().out


def test_the_loop_sweeps_until_interrupted_and_exits_cleanly(backend, settings, monkeypatch, capsys):
    runs = []

    def fake_sweep(engine):
        runs.append(1)
        if len(runs) == 3:
            raise KeyboardInterrupt  # Ctrl-C
        return {"nodes": 0, "jobs": 0, "tickets": 0}

    monkeypatch.setattr(sweeper, "sweep_once", fake_sweep)
    assert sweeper.main(["--interval", "0.01"]) == 0
    assert len(runs) == 3 and capsys.readouterr().out.count("sla sweep:") == 2


def test_a_failed_sweep_is_reported_and_the_loop_goes_on(backend, settings, monkeypatch, capsys):
    runs = []

    def flaky(engine):
        runs.append(1)
        if len(runs) == 1:
            raise RuntimeError("database restarting")
        raise KeyboardInterrupt

    monkeypatch.setattr(sweeper, "sweep_once", flaky)
    assert sweeper.main(["--interval", "0.01"]) == 0
    assert "sla sweep failed: RuntimeError: database restarting" in capsys.readouterr().err


def test_a_bad_interval_is_refused(capsys):
    with pytest.raises(SystemExit) as exc:
        sweeper.main(["--interval", "0"])
    assert exc.value.code == 2 and "--interval" in capsys.readouterr().err

