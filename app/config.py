"""Settings from the environment (prefix SHIFU_), with safe defaults for the embedded mode."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHIFU_", env_file=".env", extra="ignore")

    # Embedded default: a SpatiaLite file under var/. Production: postgresql+psycopg://...
    database_url: str = f"sqlite:///{ROOT / 'var' / 'shifu.db'}"
    city_name: str = "杭州 Hangzhou"
    city_timezone: str = "Asia/Shanghai"
    # The server's secret: seals webhook signing secrets at rest (unless webhook_sealing_key is set).
    # The default is only fit for the embedded demo; production must set its own.
    secret_key: str = "shifu-embedded-demo-secret-change-me"
    token_ttl_hours: int = 24 * 7
    # Password hashing: scrypt at OWASP's current recommendation (N=2^17, r=8, p=1, 128 MiB a hash).
    # Stored hashes carry their parameters; one made with others is replaced at its next login.
    password_scrypt_n: int = 2**17
    password_scrypt_r: int = 8
    password_scrypt_p: int = 1
    # Login guessing: this many failures within the window refuse further tries (429) for that
    # username, or from that client address, until the oldest failure leaves the window.
    login_window_minutes: int = 15
    login_max_failures_per_username: int = 10
    login_max_failures_per_address: int = 50
    idempotency_ttl_hours: int = 48
    # A process remembers a valid API key this long (app/clients/keys.py); a revocation is forgotten at
    # once on PostgreSQL, and within this bound by other processes sharing an embedded database. 0: off.
    api_key_cache_seconds: float = 30.0
    # Orders are answered at once with a 422 where no active technician's service area covers the
    # place for the category's service, or when a window misses the service hours (local time,
    # "HH:MM-HH:MM"; empty: any hour).
    require_coverage: bool = True
    service_hours: str = "08:00-21:00"
    batch_max_orders: int = 1000
    load_demo: bool = True
    redis_url: str = "redis://127.0.0.1:6379/0"
    public_base_url: str = "http://127.0.0.1:8000"
    # Travel speed used for ETAs when no routing service is configured.
    city_speed_kmh: float = 25.0
    # "rq": dispatch runs go to an RQ worker through Redis (production, tests). "thread": run them in
    # a background thread of the web process (embedded mode without Redis).
    task_queue: str = "rq"
    queue_name: str = "shifu"
    # Same-day offers run this long; later-day offers until the evening cut-off (app/planning/expiry.py).
    offer_ttl_minutes: int = 15
    offer_cutoff_local: str = "20:00"
    offer_min_lead_hours: float = 2.0
    # A technician sees the consumer's contact until this long after the job ended (app/jobs/privacy.py).
    contact_window_hours: int = 72
    grab_offer_count: int = 3
    # The ops console: a held job is at risk when its predicted arrival is within this slack of its
    # window's end; the at-risk queue looks this far ahead; a tile URL template adds a base map
    # (e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; empty: shapes on a plain background).
    console_risk_slack_minutes: int = 15
    console_risk_horizon_minutes: int = 180
    console_tile_url: str = ""
    max_offer_rounds: int = 3
    solver_workers: int = 1
    # The city orders belong to unless they say otherwise (SLA breaches and reports group by it).
    city_code: str = "hangzhou"
    # Evidence photos and signatures: the local directory behind the default storage.
    storage_dir: str = str(ROOT / "var" / "uploads")
    photo_max_bytes: int = 8 * 1024 * 1024
    # A repair of the same product this many days after a completed job is rework of that job.
    rework_days: int = 30
    # The live event stream: how often each web process looks for new events, and how long a quiet
    # stream waits before a keep-alive comment.
    event_poll_seconds: float = 0.2
    event_keepalive_seconds: float = 15.0
    # --- consumer booking and tracking (app/consumer) ---
    # Bookable slots: this many local days from today, in slots of this many hours within the service
    # hours (08:00-20:00 when service_hours is empty), none starting sooner than the lead time.
    booking_slot_days: int = 3
    booking_slot_hours: int = 2
    booking_lead_minutes: int = 120
    # How many nearest covering technicians each day's slots are checked against (insertion check).
    booking_slot_candidates: int = 12
    # Public consumer endpoints (slots, codes, bookings): requests per minute from one client address.
    consumer_requests_per_minute: int = 60
    # A consumer booking must present a verified phone number (an SMS-style code).
    consumer_phone_verification: bool = True
    # "log" writes codes to the server log; "package.module:ClassName" names a real SMS provider.
    sms_provider: str = "log"
    phone_code_ttl_minutes: int = 10
    phone_code_max_attempts: int = 5
    phone_proof_ttl_minutes: int = 30
    # Reschedule or cancel on the tracking page: free until `free` hours before the visit starts, then
    # at the fee until `until` hours before; later only by calling the service line.
    consumer_change_free_hours: float = 24.0
    consumer_change_until_hours: float = 2.0
    consumer_late_change_fee_cents: int = 3000
    # How often the tracking page asks for the technician's position while they are on the way.
    tracking_position_poll_seconds: float = 10.0
    # A tile server for the consumer's map ("https://.../{z}/{x}/{y}.png"); empty: outlines only.
    map_tile_url: str = ""
    # --- webhooks (app/webhooks) ---
    # Development and tests only: accept http:// endpoints on loopback addresses (production: https to
    # public addresses only).
    webhook_allow_loopback: bool = False
    # A 2xx answer within this many seconds is a delivery; anything else is retried.
    webhook_timeout_seconds: float = 15.0
    # Multiplies the retry schedule (app/webhooks/delivery.py RETRY_SCHEDULE); tests shorten it.
    webhook_retry_scale: float = 1.0
    # A claimed delivery not reported back within this long is taken again (a killed worker's claim).
    webhook_lease_seconds: float = 60.0
    # Deliveries one worker sends at the same time.
    webhook_concurrency: int = 8
    # "queue": committed deliveries go to task_queue (RQ, or a thread) at once; "sweep": only the
    # housekeeping sweep sends them.
    webhook_dispatch: str = "queue"
    # Its own queue, so a long dispatch run never holds webhooks back (`rq worker shifu-webhooks shifu`).
    webhook_queue_name: str = "shifu-webhooks"
    # Seals endpoints' signing secrets at rest; empty: derived from secret_key.
    webhook_sealing_key: str = ""


@lru_cache
def get_settings() -> Settings:
    return Settings()
