"""A per-address request limit for the public consumer endpoints (no account to limit instead): a
sliding one-minute window per client address, in this process's memory. Several web processes each
keep their own count, so the effective limit is per process; the point is to stop one phone or script
hammering the slot search, not to meter exactly."""

import threading
import time
from collections import deque

from fastapi import Request

from app.errors import ProblemError

WINDOW = 60.0
MAX_ADDRESSES = 50_000


class Limiter:
    def __init__(self):
        self.hits: dict[str, deque] = {}
        self.lock = threading.Lock()

    def check(self, address: str, per_minute: int, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self.lock:
            if len(self.hits) > MAX_ADDRESSES:  # a flood of addresses: forget the idle ones
                self.hits = {a: q for a, q in self.hits.items() if q and q[-1] > now - WINDOW}
            q = self.hits.setdefault(address, deque())
            while q and q[0] <= now - WINDOW:
                q.popleft()
            if len(q) >= per_minute:
                wait = max(1, int(q[0] + WINDOW - now) + 1)
                raise ProblemError(429, "too-many-requests",
                                   f"more than {per_minute} requests a minute from this address; retry in {wait} s",
                                   title="Too many requests", headers={"Retry-After": str(wait)},
                                   retry_after_seconds=wait)
            q.append(now)


def limit_consumer(request: Request) -> None:
    """Dependency for public consumer routes."""
    limiter = getattr(request.app.state, "consumer_limiter", None)
    if limiter is None:
        limiter = request.app.state.consumer_limiter = Limiter()
    address = request.client.host if request.client else "unknown"
    limiter.check(address, request.app.state.settings.consumer_requests_per_minute)
