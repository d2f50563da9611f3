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
    ADMIN_POLL_SECONDS = 20  # how often an open queue page asks whether new comments arrived
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
    # Where a reader writes about a final decision (on "Your comments" and to banned readers); env CONTACT_ADDRESS.
    CONTACT_ADDRESS = "comments@example.org"
    # E-mail (moderation/mail.py): without MAIL_SERVER messages are written to the log. Every MAIL_* may come from env.
    MAIL_BACKEND = "smtp"  # Flask-Mailman would pick an in-memory outbox under TESTING; the tests use a real server
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "Comments <comments@example.org>"
    MAIL_TIMEOUT = 10  # seconds; a stuck server must not hold a moderator's request for long
    PASSWORD_RESET_MAX_AGE = 3600  # seconds a reset link stays valid
    PASSWORD_RESETS_PER_HOUR = "5 per hour"  # reset requests per address
    # What deleting an account does to its comments: "keep" (shown as by "deleted account") or "remove".
    ACCOUNT_DELETION_COMMENTS = "keep"
    # The embedded comment section and sign-in (docs/embed.md). Allowed sites and which sign-in methods are on are
    # set by admins in /admin/settings (or `flask embed origins`).
    EMBED_STARTS_PER_MINUTE = "120 per minute"  # frames opened per address: each may create a story and read a page
    EMBED_FRAME_SESSION_SECONDS = 12 * 3600  # how long a comment frame's session lasts without a page reload
    EMBED_TITLE_TIMEOUT = 3.0  # seconds to wait for a newsroom page when reading a new story's title
    EMBED_TITLE_MAX_BYTES = 256 * 1024  # of that page, read at most
    SSO_SECRET: str | None = None  # HS256 key shared with the newsroom (env SSO_SECRET)
    SSO_PUBLIC_KEY: str | None = None  # or the newsroom's RS256 public key, PEM (env SSO_PUBLIC_KEY)
    SSO_ISSUER: str | None = None  # the `iss` the newsroom's tokens carry
    SSO_AUDIENCE = "moderation"  # the `aud` they must carry
    SSO_MAX_LIFETIME = 600  # seconds: a token expiring later than this after its check is refused
    OIDC_PROVIDERS: dict[str, dict] = {}  # name -> {issuer, client_id, client_secret, label}; env: JSON
