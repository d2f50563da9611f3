"""The database goes away mid-run: requests fail with a 503 that says so, nothing half-written remains,
and the service recovers by itself when the database returns. PostgreSQL is cut at a TCP proxy (the
shared server keeps running); SQLite is locked by another connection."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager, suppress

import psycopg
import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from moderation.db import db
from moderation.models import Comment, Decision
from moderation.services import commenting
from tests.api.conftest import make_key
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


# Every point where a lost or refused connection can break a request, each raising what the driver or SQLAlchemy
# really raises there: the driver's own exception classes (sqlite3's or psycopg's, whichever the test database
# uses) raised inside SQLAlchemy's hooks, so SQLAlchemy wraps them as it wraps a real failure.
API_COMMENTS = "/api/v1/articles/us-cuba-migration-talks/comments"
POOL = {"pool_pre_ping": True, "pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2}


def driver_error(engine, name: str, message: str) -> Exception:
    return getattr(engine.dialect.loaded_dbapi, name)(message)


@contextmanager
def listening(engine, *hooks):
    """Engine or dialect event hooks, removed afterwards."""
    for identifier, hook in hooks:
        event.listen(engine, identifier, hook)
    try:
        yield
    finally:
        for identifier, hook in hooks:
            event.remove(engine, identifier, hook)


def failing_inserts(engine, calls: list, name: str, message: str, table: str = ""):
    """A do_execute/do_executemany hook: reads go through, the first write (into `table`) raises the driver's `name`
    error."""
    def execute(cursor, statement, parameters, context):
        if statement.lstrip().upper().startswith(f"INSERT INTO {table}".upper()):
            calls.append("insert")
            raise driver_error(engine, name, message)
    return [("do_execute", execute), ("do_executemany", execute)]


@contextmanager
def refused_at_connect(engine, monkeypatch, calls):
    engine.dispose()

    def refuse(dialect, record, cargs, cparams):
        calls.append("connect")
        raise driver_error(engine, "OperationalError", "connection refused")

    with listening(engine, ("do_connect", refuse)):
        yield


@contextmanager
def lost_mid_query(engine, monkeypatch, calls):
    with listening(engine, *failing_inserts(engine, calls, "OperationalError", "server closed the connection unexpectedly")):
        yield


@contextmanager
def closed_mid_query(engine, monkeypatch, calls):
    with listening(engine, *failing_inserts(engine, calls, "InterfaceError", "the connection is closed")):
        yield


@contextmanager
def found_dead_mid_query(engine, monkeypatch, calls):
    """Any other driver error on a connection SQLAlchemy then finds dead: a DBAPIError with connection_invalidated."""
    def dead(context):
        calls.append(type(context.sqlalchemy_exception).__name__)
        context.is_disconnect = True

    with listening(engine, *failing_inserts(engine, calls, "DatabaseError", "lost synchronization with server"),
                   ("handle_error", dead)):
        yield


@contextmanager
def lost_at_commit(engine, monkeypatch, calls):
    def commit(connection):
        calls.append("commit")
        raise driver_error(engine, "OperationalError", "server closed the connection unexpectedly")

    monkeypatch.setattr(engine.dialect, "do_commit", commit)
    yield


@contextmanager
def psycopg_error_unwrapped(engine, monkeypatch, calls):
    """psycopg's own class, raised where SQLAlchemy does not wrap it (a connection event before BEGIN)."""
    def begin(connection):
        calls.append("begin")
        raise psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly")

    with listening(engine, ("begin", begin)):
        yield


@contextmanager
def pool_exhausted(engine, monkeypatch, calls):
    """Every pooled connection in use (pool_size 1, no overflow): the request waits pool_timeout, then gives up."""
    held = engine.connect()
    try:
        yield
    finally:
        held.close()


@contextmanager
def flush_failed_earlier(engine, monkeypatch, calls):
    """Code that swallowed a failed flush and carried on: the session then raises PendingRollbackError."""
    def post_after_a_failed_flush(*args, **kwargs):
        with suppress(OperationalError):
            commenting.post_comment(*args, **kwargs)
        calls.append("retried in the failed session")
        return commenting.post_comment(*args, **kwargs)

    for module in ("moderation.api.commenting", "moderation.public.views"):
        monkeypatch.setattr(f"{module}.post_comment", post_after_a_failed_flush)
    with listening(engine, *failing_inserts(engine, calls, "OperationalError", "server closed the connection unexpectedly",
                                            table="comments")):
        yield


BREAKS = [refused_at_connect, lost_mid_query, closed_mid_query, found_dead_mid_query, lost_at_commit,
          psycopg_error_unwrapped, pool_exhausted, flush_failed_earlier]


@pytest.fixture
def pooled_app(app, tmp_path_factory):
    """A second app over the test database with a one-connection pool, for hooks that must not leak."""
    pooled = make_test_app(tmp_path_factory, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                           SQLALCHEMY_ENGINE_OPTIONS=POOL)
    yield pooled
    with pooled.app_context():
        db.engine.dispose()


class Api:
    """A service posting through the API: told in JSON."""

    def __init__(self, pooled_app, reader):
        self.client = pooled_app.test_client()
        self.headers = {"Authorization": f"Bearer {make_key('outage', 'comment')[1]}"}

    def post(self, body: str):
        return self.client.post(API_COMMENTS, json={"text": body, "author": {"external_id": "r-1", "display_name": "Rita Reader"}},
                                headers=self.headers)

    def assert_unavailable(self, response):
        assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
        assert response.get_json()["error"]["code"] == "service_unavailable"
        assert "nothing was saved" in response.get_json()["error"]["message"]

    def assert_stored(self, response):
        assert response.status_code == 201


class Browser:
    """A signed-in reader posting with the site's form: told on a page."""

    def __init__(self, pooled_app, reader):
        self.client = pooled_app.test_client()
        assert self.client.post("/auth/login", data={"email": reader.email, "password": PASSWORD}).status_code == 302

    def post(self, body: str):
        return post(self.client, body)

    def assert_unavailable(self, response):
        assert_unavailable(response)
        assert response.mimetype == "text/html"

    def assert_stored(self, response):
        assert response.status_code == 302


@pytest.mark.parametrize("interface", [Api, Browser])
@pytest.mark.parametrize("broken", BREAKS)
def test_a_connection_lost_at_any_point_answers_503_with_retry_after_and_the_session_rolled_back(
    pooled_app, reader, monkeypatch, broken, interface
):
    client = interface(pooled_app, reader)
    calls: list[str] = []
    with pooled_app.app_context():
        engine = db.engine
    with broken(engine, monkeypatch, calls):
        client.assert_unavailable(client.post(f"{CLEAN} (lost)"))
    monkeypatch.undo()
    assert calls or broken is pool_exhausted  # the break was reached
    client.assert_stored(client.post(f"{CLEAN} (after)"))  # the pool recovers by itself
    assert stored_bodies() == [f"{CLEAN} (after)"]
    assert_log_matches_comments()


@pytest.mark.parametrize("interface", [Api, Browser])
def test_a_connection_lost_after_the_answer_was_made_keeps_the_answer(pooled_app, reader, monkeypatch, interface):
    """Ending the request rolls back its last read; over a lost connection that fails, which must not become a 500."""
    client = interface(pooled_app, reader)
    assert client.client.get(ARTICLE_URL).status_code == 200  # connected: the dialect's first-connect rollback is done
    with pooled_app.app_context():
        dialect = db.engine.dialect
    calls = []

    def rollback(connection):
        calls.append("rollback")
        raise dialect.loaded_dbapi.OperationalError("consuming input failed: server closed the connection unexpectedly")

    monkeypatch.setattr(dialect, "do_rollback", rollback)
    client.assert_stored(client.post(CLEAN))
    assert calls
    monkeypatch.undo()
    assert stored_bodies() == [CLEAN]
    client.assert_stored(client.post(f"{CLEAN} (next)"))


@pytest.mark.skipif(not ON_POSTGRES, reason="runs in the PostgreSQL pass (TEST_DATABASE_URL=postgresql+psycopg://...)")
def test_postgres_cut_after_the_answer_was_made_keeps_the_answer_and_the_pool_recovers(
    tmp_path_factory, app, reader, proxy
):
    """The soak's 500s: the cut came between the answer and the end of the request, whose rollback then failed."""
    behind_proxy = make_test_app(
        tmp_path_factory,
        SQLALCHEMY_DATABASE_URI=make_url(TEST_DATABASE_URL).set(host="127.0.0.1", port=proxy.port).render_as_string(False),
        SQLALCHEMY_ENGINE_OPTIONS=POOL,
    )
    cut = []

    @behind_proxy.after_request
    def cut_after_the_answer(response):
        if cut == ["next answer"]:
            proxy.cut()
        return response

    client = behind_proxy.test_client()
    assert client.post("/auth/login", data={"email": reader.email, "password": PASSWORD}).status_code == 302
    cut.append("next answer")
    assert client.get(ARTICLE_URL).status_code == 200
    cut.append("done")
    proxy.restore()
    assert post(client, CLEAN).status_code == 302  # the one pooled connection was given back
    assert stored_bodies() == [CLEAN]
    with behind_proxy.app_context():
        db.engine.dispose()
