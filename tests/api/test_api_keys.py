"""Keys: created and shown once, stored as a hash, scoped, revocable; 401 and 403 with a JSON body."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from moderation.api_keys import ApiKeyError, create_key, find_active_key, parse_scopes
from moderation.db import db
from moderation.models import ApiKey
from tests.api.conftest import bearer, make_key


def test_cli_create_prints_the_key_once_and_stores_only_its_hash(runner):
    result = runner.invoke(args=["api-keys", "create", "coral", "--scopes", "moderate,comment"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    key = db.session.scalar(select(ApiKey).where(ApiKey.name == "coral"))
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (key.key_hash, key.prefix) and secret.startswith(key.prefix)
    assert key.scope_set == {"moderate", "comment"}
    listing = runner.invoke(args=["api-keys", "list"])
    assert "coral" in listing.output and secret not in listing.output


def test_cli_revoke_makes_the_key_fail_with_401(runner, client):
    _key, secret = make_key("old")
    assert client.post("/api/v1/moderate", json={"text": "Fine."}, headers=bearer(secret)).status_code == 200
    result = runner.invoke(args=["api-keys", "revoke", "old"])
    assert result.exit_code == 0
    response = client.post("/api/v1/moderate", json={"text": "Fine."}, headers=bearer(secret))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert "revoked" in runner.invoke(args=["api-keys", "list"]).output


@pytest.mark.parametrize(
    "args, message",
    [
        (["create", "x", "--scopes", "moderate,root"], "not root"),
        (["create", "x", "--scopes", ","], "scopes must be"),
        (["revoke", "nobody"], "no key named"),
    ],
)
def test_cli_refuses_bad_scopes_and_unknown_names(runner, args, message):
    result = runner.invoke(args=["api-keys", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(ApiKey).where(ApiKey.name == "x")) is None


def test_a_second_key_with_the_same_name_is_refused(app):
    make_key("same")
    with pytest.raises(ApiKeyError):
        create_key("same", "moderate")


def test_scopes_parse_from_text_or_list_without_duplicates():
    assert parse_scopes(" moderate, admin,moderate") == ("moderate", "admin")
    assert parse_scopes(["comment"]) == ("comment",)


@pytest.mark.parametrize(
    "headers, status, message",
    [
        ({}, 401, "An API key is required."),
        ({"Authorization": "Bearer mk_not-a-key"}, 401, "An unknown or revoked API key."),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 401, "An API key is required."),
    ],
)
def test_missing_or_unknown_keys_get_401_with_a_json_body(client, headers, status, message):
    response = client.post("/api/v1/moderate", json={"text": "Fine."}, headers=headers)
    assert response.status_code == status
    assert response.get_json() == {"error": {"code": "unauthorized", "message": message}}
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")


@pytest.mark.parametrize(
    "method, path, body, scope",
    [
        ("post", "/api/v1/moderate", {"text": "Fine."}, "moderate"),
        ("post", "/api/v1/articles/us-cuba-migration-talks/comments",
         {"text": "Fine.", "author": {"external_id": "a", "display_name": "Ana Reader"}}, "comment"),
        ("get", "/api/v1/queue", None, "admin"),
        ("post", "/v1alpha1/comments:analyze", {"comment": {"text": "Fine."}, "requestedAttributes": {"TOXICITY": {}}}, "moderate"),
    ],
)
def test_a_key_without_the_scope_gets_403(client, method, path, body, scope):
    other_scopes = ",".join(s for s in ("moderate", "comment", "admin") if s != scope)
    _key, secret = make_key("limited", other_scopes)
    response = getattr(client, method)(path, json=body, headers=bearer(secret))
    assert response.status_code == 403
    assert scope in response.get_json()["error"]["message"]


def test_using_a_key_records_when_it_was_last_used(client):
    key, secret = make_key()
    assert key.last_used_at is None
    client.post("/api/v1/moderate", json={"text": "Fine."}, headers=bearer(secret))
    db.session.expire_all()
    assert find_active_key(secret).last_used_at is not None
