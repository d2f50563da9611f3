"""The database goes away mid-run: requests fail with a 503 that says so, nothing half-written remains,
and the service recovers by itself when the database returns. PostgreSQL is cut at a TCP proxy (the
shared server keeps running); SQLite is locked by another connection."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import make_url

from moderation.db import db
from moderation.models import Comment, Decision
from moderation.services import commenting
from tests.conftest import PASSWORD, TEST_DATABASE_URL, create_user, make_test_app
from tests.faults.tcp_proxy import CuttableProxy
from tests.public.helpers import ARTICLE_URL
from tests.security.conftest import OwnUserClient

ON_POSTGRES = bool(TEST_DATABASE_URL) and TEST_DATABASE_URL.startswith("postgresql")
CLEAN = "I hope the Havana talks lead to safer, legal migration for Cuban families."


def assert_unavailable(response) -> None:
    assert response.status_code == 503
    assert b"database is not reachable" in response.data and b"nothing was saved" in response.data
    assert int(response.headers["Retry-After"]) > 0


def post(client, body: str):
    return client.post(f"{ARTICLE_URL}/comments", data={"body": body})


def stored_bodies() -> list[str]:
    db.session.expire_all()
    return db.session.scalars(select(Comment.body).order_by(Comment.id)).all()


def assert_log_matches_comments() -> None:
    """Every stored comment has its one 'post' row, and no row names a comment that is not there."""
    comment_ids = set(db.session.scalars(select(Comment.id)))
    posted = db.session.scalars(select(Decision.comment_id).where(Decision.action == "post")).all()
    assert sorted(posted) == sorted(comment_ids)


@pytest.fixture
def proxy():
    url = make_url(TEST_DATABASE_URL)
    proxy = CuttableProxy((url.host or "127.0.0.1", url.port or 5432))
    yield proxy
    proxy.close()


@pytest.mark.skipif(not ON_POSTGRES, reason="runs in the PostgreSQL pass (TEST_DATABASE_URL=postgresql+psycopg://...)")
def test_postgres_going_away_mid_write_gives_503_keeps_nothing_half_written_and_recovers(
    tmp_path_factory, app, reader, proxy, monkeypatch
):
    behind_proxy = make_test_app(
        tmp_path_factory,
        SQLALCHEMY_DATABASE_URI=make_url(TEST_DATABASE_URL).set(host="127.0.0.1", port=proxy.port).render_as_string(False),
    )
    client = behind_proxy.test_client()
    assert client.post("/auth/login", data={"email": reader.email, "password": PASSWORD}).status_code == 302
    assert post(client, f"{CLEAN} (before)").status_code == 302

    real_post_comment = commenting.post_comment

    def post_then_lose_the_database(*args, **kwargs):
        comment = real_post_comment(*args, **kwargs)  # comment and log row flushed, not yet committed
        proxy.cut()
        return comment

    monkeypatch.setattr("moderation.public.views.post_comment", post_then_lose_the_database)
    assert_unavailable(post(client, f"{CLEAN} (lost)"))
    monkeypatch.undo()
    assert_unavailable(client.get(ARTICLE_URL))
    assert_unavailable(post(client, f"{CLEAN} (while down)"))

    proxy.restore()
    assert client.get(ARTICLE_URL).status_code == 200
    assert post(client, f"{CLEAN} (after)").status_code == 302
    assert stored_bodies() == [f"{CLEAN} (before)", f"{CLEAN} (after)"]
    assert_log_matches_comments()
    with behind_proxy.app_context():
        db.engine.dispose()


@pytest.fixture
def sqlite_app(tmp_path_factory):
    """An app on its own SQLite file whose connections wait 0.2 s, not 10, for a lock."""
    path = tmp_path_factory.mktemp("locked") / "locked.sqlite3"
    sqlite_app = make_test_app(tmp_path_factory, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with sqlite_app.app_context():
        event.listen(db.engine, "connect", lambda connection, _: connection.execute("PRAGMA busy_timeout=200"))
        db.engine.dispose()
    yield sqlite_app
    with sqlite_app.app_context():
        db.engine.dispose()


@pytest.mark.skipif(ON_POSTGRES, reason="runs in the SQLite pass")
def test_a_locked_sqlite_file_gives_503_and_the_service_recovers_when_the_lock_goes(sqlite_app):
    path = make_url(sqlite_app.config["SQLALCHEMY_DATABASE_URI"]).database
    with sqlite_app.app_context():
        reader = create_user("Ana Reader")
        client = OwnUserClient(sqlite_app, sqlite_app.response_class)
        assert client.post("/auth/login", data={"email": reader.email, "password": PASSWORD}).status_code == 302
        assert post(client, f"{CLEAN} (before)").status_code == 302

        locker = sqlite3.connect(path, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        assert_unavailable(post(client, f"{CLEAN} (while locked)"))
        assert client.get(ARTICLE_URL).status_code == 200  # readers carry on beside the lock (WAL)
        locker.execute("ROLLBACK")
        locker.close()

        assert post(client, f"{CLEAN} (after)").status_code == 302
        assert stored_bodies() == [f"{CLEAN} (before)", f"{CLEAN} (after)"]
        assert_log_matches_comments()
        db.session.remove()
