"""The webhooks' event handlers: every event about a client's order lands in that client's outbox."""

from app.events import bus
from app.webhooks.outbox import fan_out


def register() -> None:
    bus.subscribe_all(fan_out)
