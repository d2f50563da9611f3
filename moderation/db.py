"""The database: one SQLAlchemy 2.0 declarative base, Alembic migrations, and SQLite tuned for concurrent writers."""
from __future__ import annotations

import logging
from pathlib import Path

import psycopg
from flask import Flask
from flask_migrate import Migrate, upgrade
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, PendingRollbackError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import DeclarativeBase

log = logging.getLogger(__name__)
MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")
# What a lost or refused connection raises, wherever it breaks: connecting, mid-query, at commit, waiting for a
# pooled connection, reusing a session whose flush failed that way, or psycopg's own errors where nothing wrapped
# them. Any other DBAPIError counts when SQLAlchemy found its connection dead (see is_lost_connection).
LOST_CONNECTION = (OperationalError, InterfaceError, PoolTimeoutError, PendingRollbackError,
                   psycopg.OperationalError, psycopg.InterfaceError)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(directory=MIGRATIONS_DIR, render_as_batch=True)


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _record) -> None:
    """WAL lets readers run beside a writer; the busy timeout makes writers wait instead of failing."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def is_lost_connection(error: BaseException) -> bool:
    """True for an error that means the database is out of reach, not that the request or the code is wrong."""
    return isinstance(error, LOST_CONNECTION) or isinstance(error, DBAPIError) and error.connection_invalidated


def roll_back() -> None:
    """Roll back the request's session; over a lost connection the rollback fails too, and the connection is dropped."""
    try:
        db.session.rollback()
    except (*LOST_CONNECTION, DBAPIError) as error:
        if not is_lost_connection(error):
            raise
        log.warning("database connection lost while rolling back: %s", error)


@event.listens_for(db.session, "after_begin")
def _remember_connection(session, _transaction, connection) -> None:
    """The connection of the session's transaction, for _close_session to drop if closing fails."""
    session.info["connection"] = connection


def _close_session(_error: BaseException | None) -> None:
    """End the request's session. Closing rolls back, which fails when the connection was lost after the answer was
    made: that must not turn the answer into a 500, nor leave the connection checked out of the pool."""
    session = db.session()
    try:
        session.close()
    except (*LOST_CONNECTION, DBAPIError) as error:
        connection = session.info.get("connection")
        if not is_lost_connection(error) or connection is None:
            raise
        log.warning("database connection lost at the end of a request: %s", error)
        connection.invalidate()  # a close that failed keeps it checked out: drop it and give the pool its slot back
        connection.close()


def is_sqlite(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def init_app(app: Flask) -> None:
    """Bind the extensions; an embedded SQLite database migrates and seeds itself on first start."""
    if not is_sqlite(app):
        # A sync worker holds one connection; threads or the CLI's jobs may need a few more, never the default 15.
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"] = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options.setdefault("pool_size", app.config["DATABASE_POOL_SIZE"])
        options.setdefault("max_overflow", app.config["DATABASE_POOL_OVERFLOW"])
    db.init_app(app)
    app.teardown_appcontext(_close_session)  # teardowns run last-registered first: before Flask-SQLAlchemy's remove()
    migrate.init_app(app, db)
    if app.config["AUTO_MIGRATE"] and is_sqlite(app):
        with app.app_context():
            upgrade(directory=MIGRATIONS_DIR)
            from moderation.seed import seed_if_empty

            seed_if_empty()
