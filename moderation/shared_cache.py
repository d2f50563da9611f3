"""Per-process caches of rows that nearly every API request reads (the API key, the article), kept correct on every
worker and host by one shared *generation*: a commit that adds, changes or deletes such a row through the ORM moves
the generation on, and a request reads the generation once (one Redis GET, or a small file read beside the embedded
SQLite database) before it trusts anything its process keeps. A revoked key therefore stops working on the next
request on every worker, and a story whose comments were closed is closed at once.

Where the generation lives: Redis when REDIS_URL is set (every host sees it); a file in the instance folder when the
database is SQLite (one host by nature); nowhere otherwise (PostgreSQL without Redis), and then nothing is cached,
since a worker on another host could not learn of a revocation. A generation that cannot be read (Redis down) also
means "do not cache". Entries also expire after CACHE_SECONDS, a backstop for a bump that failed to reach Redis.
"""
from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

import redis
from flask import Flask, current_app, has_app_context, has_request_context, request
from sqlalchemy import event, select
from sqlalchemy.orm import make_transient_to_detached

from moderation.db import db, is_sqlite

log = logging.getLogger(__name__)
GENERATION_KEY = "moderation:cache-generation"
CACHE_SECONDS = 60
MAX_ENTRIES = 1000  # per cache and process; past it the cache starts over rather than growing with the database
EXTENSION = "shared_cache"
ENVIRON_KEY = "moderation.cache_generation"
T = TypeVar("T")


class RedisGeneration:
    """The generation as a Redis counter shared by every host."""

    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    def read(self) -> str | None:
        try:
            return (self.client.get(GENERATION_KEY) or b"0").decode()
        except redis.RedisError as error:
            log.warning("cache generation unreadable, caches bypassed: %s", error)
            return None

    def bump(self) -> None:
        try:
            self.client.incr(GENERATION_KEY)
        except redis.RedisError as error:
            log.error("cache generation not moved on (other workers see the change within %d s): %s",
                      CACHE_SECONDS, error)


class FileGeneration:
    """The generation as a token in a file beside the SQLite database; replaced atomically on every bump."""

    def __init__(self, path: Path):
        self.path = path

    def read(self) -> str | None:
        try:
            return self.path.read_text() or "0"
        except FileNotFoundError:
            return "0"
        except OSError as error:
            log.warning("cache generation unreadable, caches bypassed: %s", error)
            return None

    def bump(self) -> None:
        token = uuid.uuid4().hex
        partial = self.path.with_name(f"{self.path.name}.{token}")  # one per bump: threads may bump at once
        partial.write_text(token)
        os.replace(partial, self.path)


class NoGeneration:
    """No place every worker can see: nothing is cached."""

    def read(self) -> str | None:
        return None

    def bump(self) -> None:
        pass


class SharedCache:
    """Found values by key, dropped whenever the generation moves on; misses are never kept (an unknown API key sent
    again and again must not fill memory)."""

    def __init__(self) -> None:
        self._entries: dict[Hashable, tuple[float, object]] = {}
        self._generation: str | None = None

    def get(self, key: Hashable, load: Callable[[], T | None]) -> T | None:
        """The kept value for `key`, or load(): kept when not None and the generation is known."""
        generation = current_generation()
        if generation is None:
            return load()
        if generation != self._generation:
            self._entries = {}
            self._generation = generation
        now = time.monotonic()
        kept = self._entries.get(key)
        if kept is not None and now - kept[0] < CACHE_SECONDS:
            return kept[1]
        value = load()
        if value is not None:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries = {}
            self._entries[key] = (now, value)
        return value


def detached_row(model: type[T], *where) -> T | None:
    """The one row of `model` matching `where`, as a detached object fit to keep: read with a plain SELECT of the
    table, so the session's own objects are neither returned nor taken out of it (the caller's copy of the same row
    stays attached and saves normally)."""
    table = model.__table__
    row = db.session.execute(select(table).where(*where)).mappings().first()
    if row is None:
        return None
    kept = model(**row)
    make_transient_to_detached(kept)
    return kept


def cache(name: str) -> SharedCache:
    """The current app's cache called `name` (one per app: two apps in one process must not share rows)."""
    return current_app.extensions[EXTENSION]["caches"].setdefault(name, SharedCache())


def current_generation() -> str | None:
    """The generation, read at most once per request (kept in the WSGI environ: an app context, and so `g`, can
    outlive one request)."""
    if not has_request_context():
        return current_app.extensions[EXTENSION]["generation"].read()
    if ENVIRON_KEY not in request.environ:
        request.environ[ENVIRON_KEY] = current_app.extensions[EXTENSION]["generation"].read()
    return request.environ[ENVIRON_KEY]


def bump_generation() -> None:
    """Tell every worker to drop what it keeps; called after a commit that changed a cached kind of row."""
    current_app.extensions[EXTENSION]["generation"].bump()


def _cached_kinds() -> tuple[type, ...]:
    from moderation.models import ApiKey, Article

    return ApiKey, Article


@event.listens_for(db.session, "after_flush")
def _note_cached_rows(session, _flush_context) -> None:
    kinds = _cached_kinds()
    if any(isinstance(row, kinds) for rows in (session.new, session.dirty, session.deleted) for row in rows):
        session.info["bump_cache_generation"] = True


@event.listens_for(db.session, "do_orm_execute")
def _note_bulk_changes(state) -> None:
    """An UPDATE or DELETE statement on a cached kind (`session.query(Article).update(...)`) changes rows no flush
    sees. A statement on the bare table (`update(ApiKey.__table__)`) is not noted: that is how a write that no
    cache needs to hear of is made (an API key's last use)."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None \
            and state.bind_mapper.class_ in _cached_kinds():
        state.session.info["bump_cache_generation"] = True


@event.listens_for(db.session, "after_commit")
def _bump_after_commit(session) -> None:
    if session.info.pop("bump_cache_generation", False) and has_app_context():
        bump_generation()


@event.listens_for(db.session, "after_rollback")
def _forget_after_rollback(session) -> None:
    session.info.pop("bump_cache_generation", None)


def _generation_for(app: Flask):
    if app.config.get("REDIS_URL"):
        return RedisGeneration(app.config["REDIS_URL"])
    if is_sqlite(app):
        return FileGeneration(Path(app.instance_path) / "cache-generation")
    return NoGeneration()


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = {"generation": _generation_for(app), "caches": {}}
