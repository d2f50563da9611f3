"""Fixtures for the attack tests: CSRF switched on, rate limits switched on, keys of each scope, and a
snapshot of every table to prove an attack changed nothing."""
from __future__ import annotations

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import func, select

from moderation.db import db
from moderation.extensions import limiter
from tests.conftest import make_test_app


class OwnUserClient(FlaskClient):
    """A test client that never sees another client's signed-in user. The fixtures keep one app context
    pushed for the whole test, so Flask-Login's per-request cache (g._login_user) would otherwise leak."""

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def new_client(app):
    """Make clients for several people acting in one test."""
    return lambda flask_app=app: OwnUserClient(flask_app, flask_app.response_class, use_cookies=True)


@pytest.fixture
def csrf_client(app):
    """A client of the shared app with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture(scope="session")
def _limited_app(tmp_path_factory, _session_app):
    """An app with rate limits on, over the shared database. The limiter is one object for every app, so
    switching it on here would switch it on for all; it stays off except inside `limited_app`."""
    limited = make_test_app(
        tmp_path_factory,
        RATELIMIT_ENABLED=True,
        SQLALCHEMY_DATABASE_URI=_session_app.config["SQLALCHEMY_DATABASE_URI"],
    )
    limiter.enabled = False
    yield limited
    with limited.app_context():
        db.engine.dispose()


@pytest.fixture
def limited_app(app, _limited_app):
    """The rate-limited app for one test, counters at zero, over the freshly emptied and seeded database."""
    with _limited_app.app_context():
        limiter.enabled = True
        limiter.reset()
        try:
            yield _limited_app
        finally:
            limiter.enabled = False
            db.session.remove()


def table_counts() -> dict[str, int]:
    """Rows per table: equal before and after means an attack wrote nothing."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def api_key(scopes: str, name: str | None = None) -> str:
    """A fresh key's secret with the given comma-separated scopes."""
    from moderation.api_keys import create_key

    _, secret = create_key(name or f"key-{scopes.replace(',', '-')}", scopes)
    db.session.commit()
    return secret
