"""Native errors in one shape (400, 413, 415, 404, 405) and rate limits per key and per address (429 + Retry-After)."""
from __future__ import annotations

import pytest

from moderation.db import db
from moderation.extensions import limiter
from tests.api.conftest import bearer, make_key
from tests.conftest import make_test_app


@pytest.mark.parametrize(
    "data, content_type, status, code",
    [
        (b'{"text": ', "application/json", 400, "invalid_json"),
        (b"\xff\xfe{}", "application/json", 400, "invalid_json"),
        (b"[" * 50_000, "application/json", 400, "invalid_json"),
        (b"text=hello", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        (b'{"text": "' + b"a" * (64 * 1024) + b'"}', "application/json", 413, "request_entity_too_large"),
    ],
)
def test_bad_bodies_get_the_json_error_shape(client, key_headers, data, content_type, status, code):
    response = client.post("/api/v1/moderate", data=data, content_type=content_type, headers=key_headers)
    assert response.status_code == status
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("get", "/api/v1/no-such-endpoint", 404),
        ("get", "/api/v1/articles/no-such-story/comments", 404),
        ("post", "/api/v1/comments/999999/decision", 404),
        ("delete", "/api/v1/moderate", 405),
        ("get", "/api/v1/moderate", 405),
    ],
)
def test_unknown_routes_and_methods_answer_in_json(client, key_headers, method, path, status):
    response = getattr(client, method)(path, headers=key_headers, json={"action": "approve"} if method == "post" else None)
    assert response.status_code == status
    assert response.is_json and response.get_json()["error"]["code"] in ("not_found", "method_not_allowed")
    if status == 405:
        assert "POST" in response.headers["Allow"]


@pytest.fixture
def limited(tmp_path_factory, _session_app, app):
    """An app with tight limits; the limiter is one object, so it is handed back to the test app afterwards."""
    limited_app = make_test_app(
        tmp_path_factory,
        SQLALCHEMY_DATABASE_URI=_session_app.config["SQLALCHEMY_DATABASE_URI"],
        RATELIMIT_ENABLED=True,
        API_RATE_LIMIT_PER_KEY="3 per minute",
        API_RATE_LIMIT_PER_ADDRESS="2 per minute",
    )
    with limited_app.app_context():
        limiter.reset()
        yield limited_app
        db.session.remove()
        db.engine.dispose()
    limiter.init_app(_session_app)


def test_each_key_has_its_own_budget_across_endpoints(limited):
    client = limited.test_client()
    first, second = bearer(make_key("first")[1]), bearer(make_key("second")[1])
    statuses = [
        client.post("/api/v1/moderate", json={"text": "Fine."}, headers=first).status_code,
        client.post("/v1alpha1/comments:analyze", json={"comment": {"text": "Fine."}, "requestedAttributes": {"TOXICITY": {}}},
                    headers=first).status_code,
        client.post("/api/v1/moderate/batch", json={"items": [{"text": "Fine."}]}, headers=first).status_code,
    ]
    assert statuses == [200, 200, 200]
    refused = client.post("/api/v1/moderate", json={"text": "Fine."}, headers=first)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["error"]["code"] == "too_many_requests"
    assert "try again in" in refused.get_json()["error"]["message"]
    in_googles_shape = client.post("/v1alpha1/comments:analyze", json={"comment": {"text": "Fine."}}, headers=first)
    assert in_googles_shape.status_code == 429 and "Retry-After" in in_googles_shape.headers
    assert in_googles_shape.get_json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert client.post("/api/v1/moderate", json={"text": "Fine."}, headers=second).status_code == 200


def test_requests_without_a_valid_key_are_limited_per_address(limited):
    client = limited.test_client()
    assert [client.get("/api/v1/articles").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/articles")
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    other_address = client.get("/api/v1/articles", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other_address.status_code == 200
    assert client.post("/api/v1/moderate", json={"text": "x"}, headers=bearer("mk_guess")).status_code == 429


def test_api_posts_need_no_csrf_token_when_forms_do(tmp_path_factory, _session_app, app):
    """The API authenticates by key or signature, so the site's CSRF protection must not refuse it."""
    protected = make_test_app(tmp_path_factory, WTF_CSRF_ENABLED=True,
                              SQLALCHEMY_DATABASE_URI=_session_app.config["SQLALCHEMY_DATABASE_URI"])
    with protected.app_context():
        client = protected.test_client()
        headers = bearer(make_key("csrf-free")[1])
        assert client.post("/api/v1/moderate", json={"text": "Fine."}, headers=headers).status_code == 200
        analyze = {"comment": {"text": "Fine."}, "requestedAttributes": {"TOXICITY": {}}}
        assert client.post("/v1alpha1/comments:analyze", json=analyze, headers=headers).status_code == 200
        assert client.post("/integrations/coral/moderate", data=b"{}").status_code == 401  # refused by signature, not CSRF
        assert client.post("/auth/login", data={"email": "x@example.org", "password": "x"}).status_code == 400
        db.session.remove()
        db.engine.dispose()
