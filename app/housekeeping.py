"""`python -m app.housekeeping`: the periodic sweeps a running Shifu needs, each in its own
transaction so one failing does not hold back the others. Every sweep is idempotent, so two
housekeepers (or a housekeeper and an ops user pressing "sweep") can run at once.

    python -m app.housekeeping --interval 60    # forever, one line per round
    python -m app.housekeeping --once
"""

import sys
from collections.abc import Callable

from sqlalchemy.orm import Session

from app.models_base import utcnow
from app.periodic import parse_args, repeat


def _offers(session: Session, now) -> dict:
    from app.planning.offers import expire_offers

    return expire_offers(session, now)


def _sla(session: Session, now) -> dict:
    from app.sla.service import sweep

    return sweep(session, now)


def _idempotency(session: Session, now) -> dict:
    from app.idempotency.service import purge_expired

    return {"purged": purge_expired(session, now)}


def _webhooks(session: Session, now) -> dict:
    from app.webhooks.delivery import sweep

    return sweep(session, now)


SWEEPS: dict[str, Callable[[Session, object], dict]] = {
    "offers": _offers, "sla": _sla, "idempotency": _idempotency, "webhooks": _webhooks,
}


def run_once(engine) -> dict[str, dict | str]:
    import app.models  # noqa: F401  (every mapper, before the first query)
    import app.wiring  # noqa: F401  (and every reaction to what the sweep changes)

    results: dict[str, dict | str] = {}
    for name, sweep in SWEEPS.items():
        now = utcnow()
        try:
            with Session(engine) as session, session.begin():
                results[name] = sweep(session, now)
        except Exception as exc:  # report and go on: the next round retries
            results[name] = f"error: {exc.__class__.__name__}: {exc}"
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args("python -m app.housekeeping", __doc__.splitlines()[0], argv, what="round")
    from app.config import get_settings
    from app.db import make_engine

    engine = make_engine(get_settings().database_url)

    def round_() -> bool:
        results = run_once(engine)
        print(f"{utcnow().isoformat(timespec='seconds')} housekeeping: "
              + "; ".join(f"{k} {v}" for k, v in results.items()), flush=True)
        return not any(isinstance(v, str) for v in results.values())

    try:
        return repeat(round_, args.interval, args.once, "housekeeping")
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
