"""Handing committed deliveries to a worker: after the transaction commits (never before, or a worker
could look for rows it cannot see yet), through RQ on Redis or a thread pool in the embedded mode.

A lost hand-off (Redis down, a process killed) loses nothing: the housekeeping sweep finds every due
delivery and every expired claim in the table itself.
"""

import atexit
import logging
import queue
import threading
import time
import uuid
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from app.config import Settings, get_settings

log = logging.getLogger("shifu.webhooks")
_PENDING = "webhooks.pending"
_SWEPT = "webhooks.swept"
RQ_FUNC = "app.webhooks.delivery.deliver_ids"


def after_commit(session: Session, ids: Iterable[uuid.UUID], *, from_sweep: bool = False) -> None:
    """Hand these deliveries to a worker once (and if) this session's transaction commits."""
    session.info.setdefault(_SWEPT if from_sweep else _PENDING, []).extend(ids)


def database_url(session: Session) -> str:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return engine.url.render_as_string(hide_password=False)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    for key in (_PENDING, _SWEPT):
        ids = session.info.pop(key, None)
        if not ids:
            continue
        try:
            settings = get_settings()
            # Several jobs for a backlog, so several workers share it.
            step = max(1, settings.webhook_concurrency) * 4
            for k in range(0, len(ids), step):
                send_now([str(i) for i in ids[k:k + step]], database_url(session), settings,
                         from_sweep=key == _SWEPT)
        except Exception:  # the commit stands; the sweep will find these
            log.exception("webhook hand-off failed for %d deliveries", len(ids))


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_SWEPT, None)


def send_now(ids: list[str], db_url: str, settings: Settings, *, from_sweep: bool = False) -> None:
    if not ids or (settings.webhook_dispatch == "sweep" and not from_sweep):
        return
    if settings.task_queue == "thread":
        _pool(db_url).put(ids)
        return
    _queue(settings).enqueue(RQ_FUNC, ids, db_url, job_timeout=_job_timeout(settings, len(ids)), result_ttl=0,
                             failure_ttl=3600)


def send_at(ids: list[str], at: datetime, db_url: str, settings: Settings) -> None:
    """A retry due soon. RQ needs a worker with a scheduler (app.webhooks.delivery's main runs one);
    without one the sweep still sends it, only later."""
    if not ids or settings.webhook_dispatch == "sweep":
        return
    if settings.task_queue == "thread":
        delay = max(0.0, (at - datetime.now(at.tzinfo)).total_seconds())
        timer = threading.Timer(delay, _pool(db_url).put, args=(ids,))
        timer.daemon = True
        timer.start()
        return
    _queue(settings).enqueue_at(at, RQ_FUNC, ids, db_url, job_timeout=_job_timeout(settings, len(ids)),
                                result_ttl=0, failure_ttl=3600)


def _job_timeout(settings: Settings, n: int) -> int:
    rounds = -(-n // max(1, settings.webhook_concurrency))
    return int(60 + rounds * (settings.webhook_timeout_seconds + 5))


@lru_cache
def _redis(url: str):
    from redis import Redis

    return Redis.from_url(url)


def _queue(settings: Settings):
    from rq import Queue

    return Queue(settings.webhook_queue_name, connection=_redis(settings.redis_url))


class _Pool:
    """Embedded mode: a few threads sending what committed transactions hand them."""

    THREADS = 2

    def __init__(self, db_url: str):
        self.db_url = db_url
        self.jobs: queue.Queue = queue.Queue()
        for i in range(self.THREADS):
            threading.Thread(target=self._run, daemon=True, name=f"webhooks-{i}").start()

    def put(self, ids: list[str]) -> None:
        self.jobs.put(ids)

    def _run(self) -> None:
        # The task by its name, resolved as an RQ worker resolves it: the sender schedules its own
        # retries through this module, so importing it here would make a circle.
        from rq.utils import import_attribute

        deliver_ids = import_attribute(RQ_FUNC)
        while True:
            ids = self.jobs.get()
            try:
                deliver_ids(ids, self.db_url)
            except Exception:  # the claims expire and the sweep retries them
                log.exception("webhook delivery thread failed")
            finally:
                self.jobs.task_done()

    def drain(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.jobs.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.05)


_pools: dict[str, _Pool] = {}
_pools_lock = threading.Lock()


def _pool(db_url: str) -> _Pool:
    with _pools_lock:
        if db_url not in _pools:
            _pools[db_url] = _Pool(db_url)
        return _pools[db_url]


@atexit.register
def _drain_pools() -> None:
    # A short-lived process (housekeeping --once) sends what it handed off before it exits.
    for p in list(_pools.values()):
        p.drain(get_settings().webhook_timeout_seconds + 5)
