"""`python -m app.demo`: migrate-safe loader run by the README's start command; prints how to log in."""

import sys

from sqlalchemy.orm import Session

from app.config import get_settings
from app.db import make_engine
from app.demo.seed import DEMO, ensure_loaded
import app.wiring  # noqa: F401,E402  (the demo orders get their checklists, bills and clocks)


def main() -> int:
    settings = get_settings()
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        loaded = ensure_loaded(session, demo=settings.load_demo)
        session.commit()
    engine.dispose()
    base = settings.public_base_url
    if loaded:
        print(f"Loaded the demo city {settings.city_name}: {loaded}")
    print(f"""
Shifu 师傅 is starting on {base}
  API docs (OpenAPI):   {base}/docs
  Health / readiness:   {base}/healthz  {base}/readyz
Demo credentials (embedded demo only):
  ops admin:       POST /v1/auth/login  username={DEMO.admin[0]} password={DEMO.admin[1]}
  ops dispatcher:  POST /v1/auth/login  username={DEMO.dispatcher[0]} password={DEMO.dispatcher[1]}
  technician:      POST /v1/auth/login  username={DEMO.technician[0]} password={DEMO.technician[1]}
  brand API key:   X-API-Key: {DEMO.brand_key}   (美的 Midea, assign mode)
  shop API key:    X-API-Key: {DEMO.shop_key}   (苏宁 Suning, grab mode)
""", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
