"""Limits on what one client may send: body size, comment length, and how often it may comment, report,
register or call the API. Every refusal says why and when to try again, and stores nothing."""
from __future__ import annotations

from moderation.policy import current_policy
from tests.conftest import PASSWORD, create_user
from tests.public.helpers import ARTICLE_URL, add_comment
from tests.security.conftest import api_key, table_counts

CLEAN = "I hope the Havana talks lead to safer, legal migration for Cuban families."


def assert_says_when_to_retry(response, what: bytes) -> None:
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    assert what in response.data and b"try again in" in response.data


def signed_in(new_client, app, user):
    client = new_client(app)
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    return client


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, auth, reader):
    auth.login(reader)
    huge = "a" * (client.application.config["MAX_CONTENT_LENGTH"] + 1)
    before = table_counts()
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": huge})
    assert response.status_code == 413
    assert b"larger than 64 KB" in response.data
    assert table_counts() == before


def test_a_json_body_over_the_limit_gets_a_json_413(client, app):
    secret = api_key("comment")
    huge = "a" * app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        "/api/v1/articles/us-cuba-migration-talks/comments",
        json={"text": huge, "author": {"external_id": "x", "display_name": "Xavier Reader"}},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["message"]  # the API's own error shape keeps werkzeug's wording


def test_a_comment_one_character_over_the_policy_is_refused_with_the_limit_named(client, auth, reader):
    auth.login(reader)
    limit = current_policy().max_length
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": "a" * (limit + 1)}, follow_redirects=True)
    assert f"longer than {limit} characters".encode() in response.data
    assert table_counts()["comments"] == 0


def test_the_api_refuses_a_too_long_comment_naming_the_field(client, app):
    secret = api_key("comment")
    limit = current_policy().max_length
    response = client.post(
        "/api/v1/articles/us-cuba-migration-talks/comments",
        json={"text": "a" * (limit + 1), "author": {"external_id": "reader-1", "display_name": "Reader"}},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "too_long" and error["field"] == "text" and str(limit) in error["message"]
    assert table_counts()["comments"] == 0


def test_comments_per_author_per_minute(limited_app, monkeypatch, new_client):
    monkeypatch.setitem(limited_app.config, "COMMENTS_PER_MINUTE", "2 per minute")
    client = signed_in(new_client, limited_app, create_user("Fast Typist"))
    for n in range(2):
        client.post(f"{ARTICLE_URL}/comments", data={"body": f"{CLEAN} ({n})"})
    kept = f"{CLEAN} A third thought, typed at length."
    refused = client.post(f"{ARTICLE_URL}/comments", data={"body": kept})
    assert_says_when_to_retry(refused, b"Too many comments")
    page = refused.get_data(as_text=True)
    assert kept in page  # the story page again, the text still in the form beside the refusal
    assert page.index('id="comment-form"') < page.index("Too many comments") < page.index(kept)
    assert table_counts()["comments"] == 2
    other = signed_in(new_client, limited_app, create_user("Someone Else"))
    assert other.post(f"{ARTICLE_URL}/comments", data={"body": CLEAN}).status_code == 302  # per author


def test_reports_per_reader_per_hour(limited_app, monkeypatch, new_client):
    monkeypatch.setitem(limited_app.config, "REPORTS_PER_HOUR", "2 per hour")
    author = create_user("Prolific Author")
    comments = [add_comment(author, f"{CLEAN} ({n})") for n in range(3)]
    client = signed_in(new_client, limited_app, create_user("Eager Reporter"))
    for comment in comments[:2]:
        assert client.post(f"/comments/{comment.id}/report", data={"reason": "spam"}).status_code == 302
    refused = client.post(f"/comments/{comments[2].id}/report", data={"reason": "spam"})
    assert_says_when_to_retry(refused, b"Too many reports")
    assert table_counts()["reports"] == 2


def test_registrations_per_address_per_hour(limited_app, monkeypatch):
    monkeypatch.setitem(limited_app.config, "REGISTRATIONS_PER_HOUR", "2 per hour")
    client = limited_app.test_client()

    def register(n):
        return client.post("/auth/register", data={
            "display_name": f"Sock {n}", "email": f"sock{n}@example.org", "password": PASSWORD, "confirm": PASSWORD,
        })

    assert [register(n).status_code for n in range(2)] == [302, 302]
    refused = register(3)
    assert_says_when_to_retry(refused, b"Too many accounts registered")
    assert table_counts()["users"] == 2


def test_a_refusal_asked_for_as_json_is_json_with_retry_after(limited_app, monkeypatch):
    monkeypatch.setitem(limited_app.config, "LOGINS_PER_MINUTE", "1 per minute")
    client = limited_app.test_client()
    client.post("/auth/login", data={"email": "a@example.org", "password": "x"})
    refused = client.post("/auth/login", data={"email": "a@example.org", "password": "x"}, headers={"Accept": "application/json"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "try again in" in refused.get_json()["error"]["message"]


def test_the_api_limit_per_key_says_when_to_retry(limited_app, monkeypatch):
    monkeypatch.setitem(limited_app.config, "API_RATE_LIMIT_PER_KEY", "1 per minute")
    secret = api_key("moderate")
    client = limited_app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.post("/api/v1/moderate", json={"text": CLEAN}, headers=headers).status_code == 200
    refused = client.post("/api/v1/moderate", json={"text": CLEAN}, headers=headers)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "try again" in refused.get_json()["error"]["message"].lower()
