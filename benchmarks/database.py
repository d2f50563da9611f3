"""Benchmark databases: a fresh SQLite file or a recreated PostgreSQL database, migrated and seeded, filled fast."""
from __future__ import annotations

import itertools
import json
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

SEED_SLUG = "us-cuba-migration-talks"
BATCH = 5_000


class DatabaseUnavailable(Exception):
    """The PostgreSQL server cannot be reached; the message says where it was looked for."""


def fresh_sqlite_url() -> str:
    """A new, empty SQLite file in a temporary folder (the app migrates and seeds it on start)."""
    folder = Path(tempfile.mkdtemp(prefix="moderation-bench-"))
    return f"sqlite:///{folder / 'bench.sqlite3'}"


def recreate_postgres(url: str) -> str:
    """Drop and create the database named in `url` (never the server's own databases), then return `url`."""
    target = make_url(url)
    if target.database in (None, "postgres", "template0", "template1"):
        raise ValueError(f"refusing to recreate the database {target.database!r}: name a database of its own")
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    except Exception as error:  # psycopg raises several kinds for a server that is not there
        raise DatabaseUnavailable(f"PostgreSQL at {target.render_as_string(hide_password=True)}: {error}") from error
    finally:
        admin.dispose()
    return url


def bench_app(url: str):
    """The app on `url`, migrated and seeded, with limits high enough not to cap a load test."""
    from flask_migrate import upgrade

    from moderation import create_app
    from moderation.db import MIGRATIONS_DIR
    from moderation.seed import seed_if_empty

    app = create_app(app_settings(url))
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        seed_if_empty()
    return app


def app_settings(url: str) -> dict:
    """Settings for the benchmark app; also given to gunicorn's workers through benchmarks.bench_wsgi."""
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "API_RATE_LIMIT_PER_KEY": "100000000 per minute",
        "COMMENTS_PER_MINUTE": "100000000 per minute",
    }


def create_api_key(app, name: str = "bench") -> str:
    """A key with every scope; its secret."""
    from moderation.api_keys import create_key
    from moderation.db import db

    with app.app_context():
        _key, secret = create_key(name, "moderate,comment,admin")
        db.session.commit()
    return secret


def moderator_cookie(app, user_agent: str) -> str:
    """A session cookie for a new moderator, signed as the app signs one after a sign-in from 127.0.0.1."""
    from flask_login import login_user

    from moderation.db import db
    from moderation.models import Role, User

    with app.app_context():
        moderator = User(display_name="Bench Moderator", email="bench-moderator@example.org", role=Role.MODERATOR)
        db.session.add(moderator)
        db.session.commit()
        headers = {"User-Agent": user_agent}
        with app.test_request_context("/", environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers=headers):
            from flask import session

            login_user(moderator)
            value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return f"{app.config.get('SESSION_COOKIE_NAME', 'session')}={value}"


def seed_article_id(app) -> int:
    from moderation.db import db
    from moderation.models import Article

    with app.app_context():
        return db.session.scalar(select(Article.id).where(Article.slug == SEED_SLUG))


def create_authors(app, count: int) -> list[int]:
    """`count` reader accounts; their ids."""
    from moderation.db import db
    from moderation.models import User

    with app.app_context():
        start = db.session.scalar(select(func.count()).select_from(User))
        rows = [{"display_name": f"Reader {start + i}", "external_id": f"bench-reader-{start + i}", "role": "reader",
                 "banned": False, "always_premoderate": False, "created_at": datetime.now(timezone.utc)}
                for i in range(count)]
        db.session.execute(insert(User.__table__), rows)
        db.session.commit()
        return list(db.session.scalars(select(User.id).order_by(User.id.desc()).limit(count)))


def verdicts_for(texts: list[str]) -> list[tuple[str, dict, str, float]]:
    """(text, verdict JSON, outcome, max score) for each text, as the pipeline gives them."""
    from moderation.pipeline import moderate
    from moderation.pipeline.types import ModerationContext
    from moderation.policy import load_policy

    policy = load_policy()
    judged = []
    for body in texts:
        verdict = moderate(body, ModerationContext(), policy)
        judged.append((body, verdict.to_dict(), verdict.outcome, verdict.max_score))
    return judged


STATUS_FOR_OUTCOME = {"publish": "published", "review": "pending", "reject": "rejected"}


def insert_comments(app, *, article_id: int, author_ids: list[int], judged, count: int, status: str | None) -> float:
    """Store `count` comments with `status` (None: the status their verdict gave, as if no one had decided them yet),
    cycling through `judged` and the authors; seconds it took.

    PostgreSQL gets COPY, SQLite an executemany in batches: a million rows in well under a minute.
    """
    from moderation.db import db
    from moderation.models import Comment

    columns = ("article_id", "author_id", "body", "created_at", "status", "hold_reason", "verdict", "verdict_outcome",
               "max_score", "policy_name", "policy_version", "featured", "report_count", "resubmitted", "version")
    policy_version = app.extensions["policy"].version
    policy_name = app.extensions["policy"].name
    start_time = datetime.now(timezone.utc) - timedelta(seconds=count)
    rows = (
        (article_id, author, body, start_time + timedelta(seconds=i), status or STATUS_FOR_OUTCOME[outcome],
         "rule" if (status or STATUS_FOR_OUTCOME[outcome]) == "pending" else None, verdict_json, outcome, score,
         policy_name, policy_version, False, 0, False, 1)
        for i, (author, (body, verdict_json, outcome, score)) in enumerate(
            zip(itertools.cycle(author_ids), itertools.islice(itertools.cycle(_serialised(judged)), count)))
    )
    began = datetime.now()
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            _copy_rows(engine, "comments", columns, rows)
        else:
            table = Comment.__table__
            with engine.begin() as connection:
                for batch in _batches(rows, BATCH):
                    connection.execute(table.insert(), [dict(zip(columns, row)) | {"verdict": json.loads(row[6])}
                                                        for row in batch])
        with engine.begin() as connection:
            connection.execute(text("ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE comments"))
    return (datetime.now() - began).total_seconds()


def _serialised(judged):
    return [(body, json.dumps(data), outcome, score) for body, data, outcome, score in judged]


def _copy_rows(engine, table: str, columns: tuple[str, ...], rows) -> None:
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        raw.commit()
    finally:
        raw.close()


def _batches(iterable, size: int):
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def count_comments(app, **where) -> int:
    from moderation.db import db
    from moderation.models import Comment

    with app.app_context():
        statement = select(func.count()).select_from(Comment)
        for column, value in where.items():
            statement = statement.where(getattr(Comment, column) == value)
        return db.session.scalar(statement)


def delete_comments(app) -> None:
    """Empty the comments and everything that hangs off them, keeping articles and accounts."""
    from moderation.db import db

    with app.app_context():
        with db.engine.begin() as connection:
            for table in ("comment_flags", "reports", "score_feedback", "decisions", "comments"):
                if db.engine.dialect.name == "postgresql":
                    connection.execute(text(f"TRUNCATE {table} CASCADE"))
                else:
                    connection.execute(text(f"DELETE FROM {table}"))
            if db.engine.dialect.name == "postgresql":
                connection.execute(text("ANALYZE"))
