"""The live stream (Server-Sent Events): one poller per web process tails the event table and fans out
to every connected subscriber, so 200 open screens cost one query per poll, not 200.

Each subscriber keeps its own cursor. A subscriber that is behind (it resumed from an old
Last-Event-ID) reads the table itself until it reaches what the poller holds in memory. Nothing is
held per connection beyond its cursor: a dropped connection costs nothing.
"""

import asyncio
import bisect
import json
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from app.events.feed import Position, envelope, position, read, visible_to


@dataclass(frozen=True)
class Item:
    """An event as the stream needs it: where it is, who may see it, and the message to send."""

    pos: Position
    type: str
    client_id: object
    technician_id: object
    audience: tuple
    message: str


def _item(ev) -> Item:
    body = envelope(ev)
    msg = f"id: {ev.cursor}\nevent: {ev.type}\ndata: {json.dumps(body, ensure_ascii=False, separators=(',', ':'))}\n\n"
    return Item(position(ev), ev.type, ev.client_id, ev.technician_id, tuple(ev.audience or ()), msg)


class Hub:
    def __init__(self, maker: sessionmaker[Session], poll_seconds: float, keepalive_seconds: float,
                 keep: int = 5000):
        self.maker, self.poll, self.keepalive = maker, poll_seconds, keepalive_seconds
        self.recent: deque[Item] = deque()
        self.floor: Position | None = None  # `recent` holds every event after this position
        self.keep = keep
        self.changed = asyncio.Event()
        self.task: asyncio.Task | None = None

    def _read(self, after: Position, limit: int) -> list[Item]:
        with self.maker() as s:
            return [_item(ev) for ev in read(s, after, limit=limit)]

    def _head(self) -> Position:
        with self.maker() as s:
            last = (-1, 0)
            while batch := read(s, last, limit=5000):
                last = position(batch[-1])
            return last

    async def start(self) -> None:
        if self.task is None:
            self.floor = await asyncio.to_thread(self._head)
            self.task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None

    async def _run(self) -> None:
        while True:
            try:
                head = self.recent[-1].pos if self.recent else self.floor
                items = await asyncio.to_thread(self._read, head, 1000)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database is away for a moment: subscribers wait, the next poll retries
                items = []
            if items:
                self.recent.extend(items)
                while len(self.recent) > self.keep:
                    self.floor = self.recent.popleft().pos
                self.changed.set()
                self.changed = asyncio.Event()
            if len(items) < 1000:
                await asyncio.sleep(self.poll)

    def since(self, cursor: Position) -> list[Item] | None:
        """What the hub holds after `cursor`, or None when the subscriber is further behind than that."""
        if self.floor is None or cursor < self.floor:
            return None
        keys = [i.pos for i in self.recent]
        return list(self.recent)[bisect.bisect_right(keys, cursor):]

    async def subscribe(self, principal, after: Position | None, types: set[str] | None) -> AsyncIterator[str]:
        await self.start()
        cursor = after if after is not None else (self.recent[-1].pos if self.recent else self.floor)
        yield f"retry: 3000\n: connected at {cursor[0]}-{cursor[1]}\n\n"
        while True:
            changed = self.changed
            batch = self.since(cursor)
            if batch is None:
                batch = await asyncio.to_thread(self._read, cursor, 500)
            for item in batch:
                cursor = item.pos
                if (types is None or item.type in types) and visible_to(item, principal):
                    yield item.message
            if not batch:
                try:
                    await asyncio.wait_for(changed.wait(), self.keepalive)
                except asyncio.TimeoutError:
                    yield ": keep-alive\n\n"
