"""Defaults; the factory overlays instance/config.py, the environment and the caller's mapping."""
from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    """Settings a fresh checkout runs with (SQLite under instance/, the Miami Herald policy)."""

    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in from instance_path when unset
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # PostgreSQL connections per process: gunicorn's sync workers use one each (opened on first use), so the
    # server sees about one per worker; threads (gthread, the development server) borrow up to size + overflow.
    DATABASE_POOL_SIZE = 2
    DATABASE_POOL_OVERFLOW = 6
    POLICY_FILE = str(REPO_ROOT / "policies" / "miami-herald.toml")
    AUTO_MIGRATE = True  # bring an embedded SQLite database up to date on start
    MAX_CONTENT_LENGTH = 64 * 1024
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REPORT_HIDE_THRESHOLD = 3
    # The RQ queue on REDIS_URL: deployments (or test runs) that share one Redis need one each, since a job names
    # rows of its own database.
    JOB_QUEUE_NAME = "moderation"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False  # each X-RateLimit header costs a storage read; 429s still carry Retry-After
    COMMENTS_PER_MINUTE = "5 per minute"
    REPORTS_PER_HOUR = "20 per hour"
    REGISTRATIONS_PER_HOUR = "10 per hour"
    LOGINS_PER_MINUTE = "10 per minute"
    PROXY_FIX_HOPS = 0
    API_RATE_LIMIT_PER_KEY = "600 per minute"  # requests with a valid key, counted per key
    API_RATE_LIMIT_PER_ADDRESS = "120 per minute"  # requests without one, counted per client address
    CORAL_RATE_LIMIT = "1200 per minute"  # Coral's server calls from one address for all its readers
    CORAL_SIGNING_SECRETS: list[str] = []  # or a comma-separated string (env CORAL_SIGNING_SECRETS)
