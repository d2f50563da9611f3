"""The database: one SQLAlchemy 2.0 declarative base, Alembic migrations, and SQLite tuned for concurrent writers."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_migrate import Migrate, upgrade
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")

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


def is_sqlite(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def init_app(app: Flask) -> None:
    """Bind the extensions; an embedded SQLite database migrates and seeds itself on first start."""
    db.init_app(app)
    migrate.init_app(app, db)
    if app.config["AUTO_MIGRATE"] and is_sqlite(app):
        with app.app_context():
            upgrade(directory=MIGRATIONS_DIR)
            from moderation.seed import seed_if_empty

            seed_if_empty()
