"""Hands dispatch runs to the task queue (RQ on Redis), or to a thread in embedded mode."""

import threading

from app.config import Settings
from app.planning.worker import execute_run


def enqueue_run(run_id: str, settings: Settings) -> str:
    database_url = settings.database_url
    if settings.task_queue == "thread":

        threading.Thread(target=execute_run, args=(run_id, database_url), daemon=True, name=f"run-{run_id}").start()
        return "thread"
    from redis import Redis
    from rq import Queue

    queue = Queue(settings.queue_name, connection=Redis.from_url(settings.redis_url))
    queue.enqueue("app.planning.worker.execute_run", run_id, database_url, job_timeout=3600, result_ttl=3600)
    return "rq"
