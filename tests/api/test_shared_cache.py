"""API keys and articles are kept per process, yet a revocation or a closed story is seen on the next request by
every worker: the shared generation (Redis, or a file beside SQLite) moves on with every commit that changes one."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from moderation.db import db
from moderation.models import ApiKey, Article
from moderation.shared_cache import FileGeneration, NoGeneration
from tests.api.conftest import SEED_SLUG, bearer, make_key, seed_article

MODERATE = {"text": "The talks are a sensible step.", "article": SEED_SLUG}


class Statements:
    """The SQL statements the app sends while the block runs."""

    def __init__(self, engine):
        self.engine, self.sent = engine, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._note)
        return self.sent

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._note)

    def _note(self, _conn, _cursor, statement, *_args):
        self.sent.append(statement)


@pytest.fixture(autouse=True)
def one_host_generation(app, tmp_path, monkeypatch):
    """On PostgreSQL without Redis the app keeps nothing; these tests stand for one host, where a file can serve."""
    if isinstance(app.extensions["shared_cache"]["generation"], NoGeneration):
        monkeypatch.setitem(app.extensions["shared_cache"], "generation", FileGeneration(tmp_path / "generation"))


def test_a_repeated_moderate_call_sends_no_query(client, key_headers):
    assert client.post("/api/v1/moderate", json=MODERATE, headers=key_headers).status_code == 200

    with Statements(db.engine) as sent:
        response = client.post("/api/v1/moderate", json=MODERATE, headers=key_headers)

    assert response.status_code == 200
    assert sent == []


def test_posting_looks_up_neither_the_key_nor_the_article_nor_the_idempotency_key(client, key_headers):
    post = {"text": "The talks are a sensible step.", "author": {"external_id": "r1", "display_name": "Rita Reader"}}
    path = f"/api/v1/articles/{SEED_SLUG}/comments"
    assert client.post(path, json=post, headers={**key_headers, "Idempotency-Key": "a"}).status_code == 201

    with Statements(db.engine) as sent:
        response = client.post(path, json=post | {"text": "Another point."}, headers={**key_headers, "Idempotency-Key": "b"})

    assert response.status_code == 201
    reads = [re.search(r"\bFROM\s+(\w+)", s)[1] for s in sent if s.lstrip().startswith("SELECT")]
    assert sorted(reads) == ["comments", "users"]  # the author, and the author's recent comments for context
    replay = client.post(path, json=post | {"text": "Another point."}, headers={**key_headers, "Idempotency-Key": "b"})
    assert (replay.status_code, replay.get_json()) == (200, response.get_json())


def test_a_key_revoked_in_another_process_fails_on_the_next_request(client, app, other_worker):
    other = other_worker()
    # One host: the same generation file (the other app's instance folder is elsewhere only because it is a test).
    other.extensions["shared_cache"]["generation"] = app.extensions["shared_cache"]["generation"]
    _key, secret = make_key("doomed")
    assert client.post("/api/v1/moderate", json=MODERATE, headers=bearer(secret)).status_code == 200

    result = other.test_cli_runner().invoke(args=["api-keys", "revoke", "doomed"])

    assert result.exit_code == 0, result.output
    assert client.post("/api/v1/moderate", json=MODERATE, headers=bearer(secret)).status_code == 401


@pytest.mark.parametrize("close", ["orm", "bulk"])
def test_closing_comments_reaches_the_cached_article_at_once(client, key_headers, close):
    post = {"text": "The talks are a sensible step.", "author": {"external_id": "r1", "display_name": "Rita Reader"}}
    path = f"/api/v1/articles/{SEED_SLUG}/comments"
    assert client.post(path, json=post, headers=key_headers).status_code == 201

    if close == "orm":
        seed_article().comments_open = False
    else:
        db.session.query(Article).update({Article.comments_open: False})
    db.session.commit()

    response = client.post(path, json=post | {"text": "Another."}, headers=key_headers)
    assert (response.status_code, response.get_json()["error"]["code"]) == (409, "comments_closed")


def test_with_redis_two_workers_share_the_generation(redis_url, other_worker):
    workers = [other_worker(REDIS_URL=redis_url) for _ in range(2)]
    _key, secret = make_key("both-workers")
    clients = [worker.test_client() for worker in workers]
    assert [c.post("/api/v1/moderate", json=MODERATE, headers=bearer(secret)).status_code for c in clients] == [200, 200]

    with workers[1].app_context():
        key = db.session.scalar(select(ApiKey).where(ApiKey.name == "both-workers"))
        key.revoked_at = key.created_at
        db.session.commit()

    assert [c.post("/api/v1/moderate", json=MODERATE, headers=bearer(secret)).status_code for c in clients] == [401, 401]


def test_without_a_readable_generation_nothing_is_kept(client, key_headers, app, monkeypatch):
    monkeypatch.setattr(app.extensions["shared_cache"]["generation"], "read", lambda: None)
    assert client.post("/api/v1/moderate", json=MODERATE, headers=key_headers).status_code == 200

    with Statements(db.engine) as sent:
        client.post("/api/v1/moderate", json=MODERATE, headers=key_headers)

    assert any("api_keys" in statement for statement in sent)
