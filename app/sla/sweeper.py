"""`python -m app.sla.sweeper`: record SLA breaches periodically, one transaction per sweep.

    python -m app.sla.sweeper --interval 60    # forever, one summary line per sweep; Ctrl-C stops it
    python -m app.sla.sweeper --once           # one sweep (exit status 1 if it failed)

Each sweep is idempotent, so this can run next to app.housekeeping or an ops user's POST /v1/sla/sweep.
"""

import sys

from sqlalchemy.orm import Session

from app.models_base import utcnow
from app.periodic import parse_args, repeat


def sweep_once(engine) -> dict[str, int]:
    import app.models  # noqa: F401  (every mapper, before the first query)
    import app.wiring  # noqa: F401  (and every reaction to what the sweep changes)
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
    args = parse_args("python -m app.sla.sweeper", __doc__.splitlines()[0], argv, what="sweep")
    from app.config import get_settings
    from app.db import make_engine

    engine = make_engine(get_settings().database_url)

    def round_() -> bool:
        try:
            print(_line(sweep_once(engine)), flush=True)
            return True
        except Exception as exc:  # report and go on: the next sweep retries
            print(_line(None, exc), file=sys.stderr, flush=True)
            return False

    try:
        return repeat(round_, args.interval, args.once, "sla sweeper")
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
