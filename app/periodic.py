"""The loop behind the periodic commands (`python -m app.housekeeping`, `python -m app.sla.sweeper`):
one round every `--interval` seconds, or one round with `--once`, stopping cleanly between rounds on
Ctrl-C or SIGTERM (a supervisor stopping the process)."""

import argparse
import signal
import sys
import threading
from collections.abc import Callable


def parse_args(prog: str, description: str, argv: list[str] | None, what: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--interval", type=float, default=60.0, help=f"seconds between {what}s (default 60)")
    parser.add_argument("--once", action="store_true", help=f"run one {what} and exit")
    args = parser.parse_args(argv)
    if args.interval <= 0:
        parser.error("--interval must be positive")
    return args


def repeat(round_: Callable[[], bool], interval: float, once: bool, name: str) -> int:
    """Run `round_` (True when it went well) until stopped; exit status 0, or 1 if a --once round failed."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while True:
            ok = round_()
            if once:
                return 0 if ok else 1
            if stop.wait(interval):
                return 0
    except KeyboardInterrupt:
        print(f"{name} stopped", file=sys.stderr, flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
