"""Fixtures: one app per test session on a real database (SQLite by default, PostgreSQL when
TEST_DATABASE_URL is set), emptied and re-seeded before every test."""
from __future__ import annotations

import os
import re

import pytest
from flask_migrate import upgrade
from hypothesis import settings
from sqlalchemy import create_engine, text
from werkzeug.security import generate_password_hash

from moderation import create_app
from moderation.db import MIGRATIONS_DIR, db
from moderation.extensions import limiter
from moderation.models import Role, User
from moderation.models import user as user_model
from moderation.seed import seed_if_empty

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")

# CI explores the same examples every run, so a red build is reproducible; locally hypothesis keeps exploring.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
PASSWORD = "correct horse battery"


def _reset_postgres(url: str) -> None:
    """Start the session from an empty schema so the migrations themselves are under test."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_test_app(tmp_path_factory, **overrides):
    instance = tmp_path_factory.mktemp("instance")
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or f"sqlite:///{instance / 'test.sqlite3'}",
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(autouse=True)
def fast_password_hashing(request, monkeypatch):
    """Tests sign in a lot: a cheap hash keeps them fast; `real_password_hash` tests keep the real one."""
    if request.node.get_closest_marker("real_password_hash") is None:
        monkeypatch.setattr(user_model, "generate_password_hash",
                            lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"))


@pytest.fixture(scope="session")
def _session_app(tmp_path_factory):
    if TEST_DATABASE_URL:
        _reset_postgres(TEST_DATABASE_URL)
    app = make_test_app(tmp_path_factory)
    if TEST_DATABASE_URL:
        with app.app_context():
            upgrade(directory=MIGRATIONS_DIR)
    yield app
    with app.app_context():
        db.engine.dispose()


def _empty_database() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(text(f"DELETE FROM {table}"))
    db.session.commit()


@pytest.fixture
def app(_session_app):
    with _session_app.app_context():
        _empty_database()
        seed_if_empty()
        if limiter.enabled:  # a disabled limiter has no storage to reset
            limiter.reset()
        yield _session_app
        db.session.rollback()
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def create_user(display_name: str = "Reader", email: str | None = None, role: Role = Role.READER, **fields) -> User:
    user = User(
        display_name=display_name,
        email=email or f"{re.sub(r'[^a-z0-9]+', '.', display_name.lower())}@example.org",
        role=role,
        **fields,
    )
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


class AuthActions:
    """Sign a test client in and out as a given account."""

    def __init__(self, client):
        self._client = client

    def login(self, user: User | str, password: str = PASSWORD):
        email = user if isinstance(user, str) else user.email
        return self._client.post("/auth/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def reader(app):
    return create_user("Ana Reader")


@pytest.fixture
def moderator(app):
    return create_user("Mo Derator", role=Role.MODERATOR)


@pytest.fixture
def admin_user(app):
    return create_user("Ada Admin", role=Role.ADMIN)


@pytest.fixture(scope="session")
def smtp_server():
    """A loopback SMTP server for the whole session: (port, outbox)."""
    from tests.mail_server import start_smtp_server

    controller, outbox = start_smtp_server()
    yield controller.port, outbox
    controller.stop()


@pytest.fixture
def outbox(app, smtp_server, monkeypatch):
    """The app sends mail to the loopback server for this test; the outbox starts empty."""
    port, received = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    received.messages.clear()
    return received


TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def redis_url():
    """The real Redis for tests that need it (index 5 by default, TEST_REDIS_URL to move it); not emptied, since
    another test run may share it: tests use keys and job queues of their own. Skipped when no Redis answers,
    except under CI, where a missing Redis is a failure."""
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {TEST_REDIS_URL}: {error}")
    finally:
        client.close()
    return TEST_REDIS_URL


@pytest.fixture
def other_worker(app, tmp_path_factory):
    """Make another app on the same database, as another gunicorn worker, queue worker or host is: its own caches
    and connections (`other_worker(REDIS_URL=...)`); their pools are closed at the end."""
    made = []

    def make(**settings):
        made.append(make_test_app(tmp_path_factory, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                                  **settings))
        return made[-1]

    yield make
    for worker in made:
        with worker.app_context():
            db.engine.dispose()
