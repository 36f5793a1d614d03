"""Sending a verification code by SMS, behind one small interface. The default sender writes the code to
the log (development, the embedded demo, tests); a real provider is a class named by the `sms_provider`
setting ("package.module:ClassName") that takes the Settings and has `send(phone, text)`."""

import importlib
import logging
from functools import lru_cache
from typing import Protocol

from app.config import Settings

log = logging.getLogger("shifu.sms")


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LogSender:
    """Logs the message instead of sending it: the code is in the server's log, nowhere else."""

    def __init__(self, settings: Settings | None = None):
        pass

    def send(self, phone: str, text: str) -> None:
        log.warning("SMS to %s: %s", phone, text)


@lru_cache(maxsize=4)
def _load(path: str):
    module, _, name = path.partition(":")
    if not name:
        raise ValueError(f"sms_provider {path!r}: expected 'package.module:ClassName' or 'log'")
    return getattr(importlib.import_module(module), name)


def sender_for(settings: Settings) -> SmsSender:
    if settings.sms_provider in ("", "log"):
        return LogSender(settings)
    return _load(settings.sms_provider)(settings)
