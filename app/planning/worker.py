"""Executes a dispatch run off the request path: build the problem, solve, store the plan.

Run workers with `rq worker shifu` (or `python -m app.planning.worker`); each run reports its
progress on the run row, so the API can show it while the solver works.
"""

import threading
import time
import traceback
import uuid
from functools import lru_cache

from sqlalchemy.orm import Session

import app.models  # noqa: F401  (a worker process must know every mapped class)
import app.wiring  # noqa: F401  (committing a plan changes jobs: every domain must hear of it)
import dispatch
from app.actors import SYSTEM
from app.config import get_settings
from app.db import make_engine
from app.events import bus
from app.models_base import utcnow
from app.planning.models import DispatchRun, RunStatus
from app.planning.translate import build_problem, day_context, store_result


@lru_cache
def _engine(url: str):
    return make_engine(url)


def _report(engine, run_id, **values) -> None:
    with Session(engine) as s:
        run = s.get(DispatchRun, run_id)
        for k, v in values.items():
            setattr(run, k, v)
        s.commit()


def execute_run(run_id: str, database_url: str) -> str:
    settings = get_settings()
    engine = _engine(database_url)
    rid = uuid.UUID(run_id)
    _report(engine, rid, status=RunStatus.running, progress=5, message="building the problem", started_at=utcnow())
    ticker = None
    try:
        # Read in one short transaction and solve outside it: the embedded database has one writer,
        # and the progress reports must be able to write while the solver works.
        with Session(engine) as session:
            run = session.get(DispatchRun, rid)
            ctx = day_context(run.local_date, settings.city_timezone)
            problem = build_problem(session, ctx, settings.city_speed_kmh)
            limit, seed = run.time_limit_seconds, run.seed
        stats = {"technicians": len(problem.technicians), "jobs": len(problem.jobs),
                 "pinned": sum(1 for j in problem.jobs if j.pinned_technician)}
        params = dispatch.SolveParams(time_limit_seconds=limit, seed=seed, num_workers=settings.solver_workers)
        _report(engine, rid, progress=15, problem_stats=stats,
                message=f"solving {stats['jobs']} jobs for {stats['technicians']} technicians (limit {limit:g}s)")
        ticker = _Ticker(engine, rid, limit)
        ticker.start()
        result = dispatch.solve(problem, params) if problem.jobs and problem.technicians else None
        ticker.stop()
        with Session(engine) as session:
            run = session.get(DispatchRun, rid)
            if result is not None:
                store_result(session, run, result, ctx)
            else:
                run.totals = {"jobs": len(problem.jobs), "assigned": 0, "unassigned": len(problem.jobs)}
            run.status, run.progress, run.finished_at = RunStatus.succeeded, 100, utcnow()
            run.message = "plan ready to preview and commit"
            _finished(session, run)
            session.commit()
        return RunStatus.succeeded
    except Exception as exc:
        if ticker:
            ticker.stop()
        with Session(engine) as session:
            run = session.get(DispatchRun, rid)
            run.status, run.progress, run.finished_at = RunStatus.failed, 100, utcnow()
            run.message = f"failed: {exc.__class__.__name__}: {exc}"[:500]
            run.error = traceback.format_exc()[-4000:]
            _finished(session, run)
            session.commit()
        return RunStatus.failed


def _finished(session: Session, run: DispatchRun) -> None:
    totals = run.totals or {}
    bus.publish(session, "dispatch_run.finished", SYSTEM, {
        "run_id": str(run.id), "status": run.status, "local_date": run.local_date.isoformat(),
        "assigned": int(totals.get("assigned", 0)), "unassigned": int(totals.get("unassigned", 0)),
        "message": run.message,
    })


class _Ticker(threading.Thread):
    """Moves the run's progress along while the solver (which has no callback) works to its limit."""

    def __init__(self, engine, run_id, limit: float):
        super().__init__(daemon=True)
        self.engine, self.run_id, self.limit = engine, run_id, limit
        self.done = threading.Event()
        self.t0 = time.monotonic()

    def run(self):
        while not self.done.wait(1.0):
            share = min(1.0, (time.monotonic() - self.t0) / max(self.limit, 0.1))
            try:
                _report(self.engine, self.run_id, progress=15 + int(75 * share))
            except Exception:
                return

    def stop(self):
        self.done.set()
        self.join(timeout=5)


if __name__ == "__main__":
    from redis import Redis
    from rq import Worker

    settings = get_settings()
    Worker([settings.queue_name], connection=Redis.from_url(settings.redis_url)).work()
