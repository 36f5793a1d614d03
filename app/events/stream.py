"""The live stream (Server-Sent Events): one poller per web process tails the event table and fans out
to every connected subscriber, so 200 open screens cost one query per poll, not 200.

Each subscriber keeps its own cursor. A subscriber that is behind (it resumed from an old
Last-Event-ID) reads the table itself until it reaches what the poller holds in memory. Nothing is
held per connection beyond its cursor: a dropped connection costs nothing.
"""

import asyncio
import bisect
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from app.events.feed import (
    Position,
    brief,
    envelope,
    newest,
    position,
    read,
    visible_to,
)


@dataclass(frozen=True)
class Item:
    """An event as the stream needs it: where it is, who may see it, and the message to send."""

    pos: Position
    type: str
    client_id: object
    technician_id: object
    audience: tuple
    message: str
    order_id: object = None
    brief: str = ""  # the message a tracking link gets (feed.brief)


def _sse(ev, body: dict) -> str:
    return f"id: {ev.cursor}\nevent: {ev.type}\ndata: {json.dumps(body, ensure_ascii=False, separators=(',', ':'))}\n\n"


def _item(ev) -> Item:
    return Item(position(ev), ev.type, ev.client_id, ev.technician_id, tuple(ev.audience or ()), _sse(ev, envelope(ev)),
                ev.order_id, _sse(ev, brief(ev)))


class Hub:
    def __init__(self, maker: sessionmaker[Session], poll_seconds: float, keepalive_seconds: float,
                 keep: int = 5000):
        self.maker, self.poll, self.keepalive = maker, poll_seconds, keepalive_seconds
        # Every event after `floor`, in order, with their positions alongside for bisecting.
        self.recent: list[Item] = []
        self.keys: list[Position] = []
        self.floor: Position | None = None
        self.keep = keep
        self.changed = asyncio.Event()
        self.started = asyncio.Event()
        self.task: asyncio.Task | None = None

    def _read(self, after: Position, limit: int) -> list[Item]:
        with self.maker() as s:
            return [_item(ev) for ev in read(s, after, limit=limit)]

    def _head(self) -> Position:
        with self.maker() as s:
            return newest(s)

    async def start(self) -> None:
        if self.task is None:
            # Claimed before the first await: subscribers connecting together must not start a poller each.
            self.task = asyncio.get_running_loop().create_task(self._run())
        await self.started.wait()

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task, self.started = None, asyncio.Event()

    async def _run(self) -> None:
        while self.floor is None:
            try:
                self.floor = await asyncio.to_thread(self._head)
            except Exception:  # the database is not there yet: keep the subscribers waiting, try again
                await asyncio.sleep(max(self.poll, 1.0))
        self.started.set()
        while True:
            try:
                head = self.recent[-1].pos if self.recent else self.floor
                items = await asyncio.to_thread(self._read, head, 1000)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database is away for a moment: subscribers wait, the next poll retries
                items = []
            if items:
                self._append(items)
                self.changed.set()
                self.changed = asyncio.Event()
            if len(items) < 1000:
                await asyncio.sleep(self.poll)

    def _append(self, items: list[Item]) -> None:
        recent, keys = self.recent + items, self.keys + [i.pos for i in items]
        if len(recent) > 2 * self.keep:  # trimmed in halves, so appending stays cheap on average
            self.floor = keys[-self.keep - 1]
            recent, keys = recent[-self.keep:], keys[-self.keep:]
        # New lists, not mutated ones: a subscriber part-way through a slice keeps a consistent view.
        self.recent, self.keys = recent, keys

    def since(self, cursor: Position) -> list[Item] | None:
        """What the hub holds after `cursor`, or None when the subscriber is further behind than that."""
        if self.floor is None or cursor < self.floor:
            return None
        return self.recent[bisect.bisect_right(self.keys, cursor):]

    async def subscribe(self, principal, after: Position | None, types: set[str] | None) -> AsyncIterator[str]:
        await self.start()
        cursor = after if after is not None else (self.recent[-1].pos if self.recent else self.floor)
        yield f"retry: 3000\n: connected at {cursor[0]}-{cursor[1]}\n\n"
        while True:
            changed = self.changed
            batch = self.since(cursor)
            if batch is None:
                batch = await asyncio.to_thread(self._read, cursor, 500)
            if batch:
                cursor = batch[-1].pos
                # One write for the whole batch: per-message sends are what a busy stream costs.
                tracking = principal.kind == "tracking"
                chunk = "".join(i.brief if tracking else i.message for i in batch
                                if (types is None or i.type in types) and visible_to(i, principal))
                if chunk:
                    yield chunk
            else:
                try:
                    await asyncio.wait_for(changed.wait(), self.keepalive)
                except asyncio.TimeoutError:
                    yield ": keep-alive\n\n"
