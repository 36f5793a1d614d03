"""`python -m app.sla.sweeper`: record SLA breaches periodically, one transaction per sweep.

    python -m app.sla.sweeper --interval 60    # forever, one summary line per sweep; Ctrl-C stops it
    python -m app.sla.sweeper --once           # one sweep (exit status 1 if it failed)

Each sweep is idempotent, so this can run next to app.housekeeping or an ops user's POST /v1/sla/sweep.
"""

import argparse
import signal
import sys
import threading

from sqlalchemy.orm import Session

from app.models_base import utcnow


def sweep_once(engine) -> dict[str, int]:
    import app.models  # noqa: F401  (every mapper, before the first query)
    from app.sla.service import sweep

    now = utcnow()
    with Session(engine) as session, session.begin():
        return sweep(session, now)


def _line(counts: dict[str, int] | None, error: Exception | None = None) -> str:
    stamp = utcnow().isoformat(timespec="seconds")
    if error is not None:
        return f"{stamp} sla sweep failed: {error.__class__.__name__}: {error}"
    return f"{stamp} sla sweep: " + " ".join(f"{k}={v}" for k, v in counts.items()) + " new breaches"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.sla.sweeper", description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=float, default=60.0, help="seconds between sweeps (default 60)")
    parser.add_argument("--once", action="store_true", help="run one sweep and exit")
    args = parser.parse_args(argv)
    if args.interval <= 0:
        parser.error("--interval must be positive")
    from app.config import get_settings
    from app.db import make_engine

    stop = threading.Event()
    # SIGTERM (a supervisor stopping us) ends the loop like Ctrl-C does: between sweeps, cleanly.
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    engine = make_engine(get_settings().database_url)
    try:
        while True:
            try:
                print(_line(sweep_once(engine)), flush=True)
                failed = False
            except KeyboardInterrupt:
                raise
            except Exception as exc:  # report and go on: the next sweep retries
                print(_line(None, exc), file=sys.stderr, flush=True)
                failed = True
            if args.once:
                return 1 if failed else 0
            if stop.wait(args.interval):
                return 0
    except KeyboardInterrupt:
        print("sla sweeper stopped", file=sys.stderr, flush=True)
        return 0
    finally:
        engine.dispose()
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
