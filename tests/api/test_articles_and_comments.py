"""Reading articles and published comments (cursor pages, no key), and posting comments with Idempotency-Key."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from moderation.api import commenting
from moderation.db import db
from moderation.models import ActorType, Comment, CommentStatus, Decision, User
from tests.api.conftest import (
    CLEAN_TEXT,
    INSULT_TEXT,
    SEED_SLUG,
    TOO_LONG_TEXT,
    add_article,
    add_comment,
    bearer,
    count,
    decisions_for,
    make_key,
    seed_article,
)
from tests.conftest import create_user

COMMENTS_URL = f"/api/v1/articles/{SEED_SLUG}/comments"


def new_comment(text: str = CLEAN_TEXT, external_id: str = "u-1", display_name: str = "Ana", **fields) -> dict:
    return {"text": text, "author": {"external_id": external_id, "display_name": display_name}, **fields}


def test_articles_are_listed_newest_first_with_published_counts_in_pages(client):
    add_comment()
    add_comment(INSULT_TEXT)  # rejected: not counted
    for number in range(3):
        add_article(f"story-{number}")
    first = client.get("/api/v1/articles?limit=2").get_json()
    assert [a["slug"] for a in first["articles"]] == ["story-2", "story-1"]
    second = client.get(f"/api/v1/articles?limit=2&cursor={first['next_cursor']}").get_json()
    assert [a["slug"] for a in second["articles"]] == ["story-0", SEED_SLUG]
    assert second["next_cursor"] is None
    assert second["articles"][1]["comment_count"] == 1
    assert second["articles"][1]["url"].endswith(f"/articles/{SEED_SLUG}")


def test_comments_list_only_published_ones_oldest_first_with_replies(client):
    first = add_comment()
    add_comment(INSULT_TEXT)
    reply = add_comment("Agreed, the Havana talks should continue.", parent=first)
    response = client.get(COMMENTS_URL)
    assert response.status_code == 200
    listed = response.get_json()["comments"]
    assert [(c["id"], c["parent_id"]) for c in listed] == [(first.id, None), (reply.id, first.id)]
    assert set(listed[0]) == {"id", "parent_id", "author", "text", "created_at", "edited_at", "featured"}


def test_comment_pages_follow_the_cursor_to_the_end(client):
    ids = [add_comment(f"{CLEAN_TEXT} Point {n}.").id for n in range(5)]
    seen, cursor = [], None
    while True:
        page = client.get(COMMENTS_URL, query_string={"limit": 2, **({"cursor": cursor} if cursor else {})}).get_json()
        seen += [c["id"] for c in page["comments"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids


@pytest.mark.parametrize("query, field", [("cursor=garbage", "cursor"), ("limit=101", "limit"), ("limit=two", "limit")])
def test_bad_page_arguments_are_named(client, query, field):
    response = client.get(f"{COMMENTS_URL}?{query}")
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field


def test_posting_creates_the_author_and_logs_the_key(client):
    _key, secret = make_key("newsroom-app")
    response = client.post(COMMENTS_URL, json=new_comment(), headers=bearer(secret))
    assert response.status_code == 201
    body = response.get_json()
    comment = db.session.get(Comment, body["id"])
    assert body == {"id": comment.id, "status": "published", "verdict": comment.verdict}
    author = comment.author
    assert (author.external_id, author.display_name, author.email, author.password_hash) == ("u-1", "Ana", None, None)
    [decision] = decisions_for(comment.id)
    assert decision.actor_type is ActorType.RULE and decision.note == "api key newsroom-app"


@pytest.mark.parametrize("text, language", [
    ("The talks in Havana matter to every family I know in Miami.", "en"),
    ("Las conversaciones en La Habana importan a todas las familias que conozco en Miami.", "es"),
])
def test_a_comment_is_stored_with_its_language(client, key_headers, text, language):
    response = client.post(COMMENTS_URL, json=new_comment(text), headers=key_headers)
    comment = db.session.get(Comment, response.get_json()["id"])
    assert comment.language == language == comment.verdict["language"]
    assert response.get_json()["verdict"]["languages"][0] == language


def test_the_same_author_posts_again_under_a_new_display_name(client, key_headers):
    client.post(COMMENTS_URL, json=new_comment(), headers=key_headers)
    client.post(COMMENTS_URL, json=new_comment("Another fair point on Havana and Miami.", display_name="Ana M."),
                headers=key_headers)
    authors = db.session.scalars(select(User).where(User.external_id == "u-1")).all()
    assert [a.display_name for a in authors] == ["Ana M."]


def test_a_rejected_comment_is_stored_and_reported_as_rejected(client, key_headers):
    response = client.post(COMMENTS_URL, json=new_comment(INSULT_TEXT), headers=key_headers)
    assert response.status_code == 201
    assert response.get_json()["status"] == "rejected"
    assert db.session.get(Comment, response.get_json()["id"]).status is CommentStatus.REJECTED


def test_the_same_idempotency_key_posts_once_and_returns_the_first_comment(client, key_headers):
    headers = {**key_headers, "Idempotency-Key": "7f1c-retry"}
    first = client.post(COMMENTS_URL, json=new_comment(), headers=headers)
    again = client.post(COMMENTS_URL, json=new_comment(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert count(Comment) == 1


def test_idempotency_keys_belong_to_their_api_key(client):
    one, two = bearer(make_key("one")[1]), bearer(make_key("two")[1])
    for headers in (one, two):
        assert client.post(COMMENTS_URL, json=new_comment(), headers={**headers, "Idempotency-Key": "k"}).status_code == 201
    assert count(Comment) == 2


def test_reusing_an_idempotency_key_for_another_comment_is_refused(client, key_headers):
    headers = {**key_headers, "Idempotency-Key": "k1"}
    client.post(COMMENTS_URL, json=new_comment(), headers=headers)
    response = client.post(COMMENTS_URL, json=new_comment("Something else entirely about Havana."), headers=headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "Idempotency-Key"
    assert count(Comment) == 1


def test_a_request_that_loses_the_idempotency_race_returns_the_winner(client, key_headers, monkeypatch):
    """Both requests pass the lookup; the unique index stops the second insert, which then returns the first comment."""
    headers = {**key_headers, "Idempotency-Key": "race"}
    winner = client.post(COMMENTS_URL, json=new_comment(), headers=headers).get_json()
    real_previous, calls = commenting._previous, []

    def blind_first_lookup(stored_key):
        calls.append(stored_key)
        return None if len(calls) == 1 else real_previous(stored_key)

    monkeypatch.setattr(commenting, "_previous", blind_first_lookup)
    response = client.post(COMMENTS_URL, json=new_comment(), headers=headers)
    assert response.status_code == 200
    assert response.get_json() == winner
    assert len(calls) == 2  # the insert failed on the unique index and the retry found the winner
    assert count(Comment) == 1
    assert count(Decision) == 1


@pytest.mark.parametrize("value", ["", "x" * 201, "has space"])
def test_malformed_idempotency_keys_are_refused(client, key_headers, value):
    response = client.post(COMMENTS_URL, json=new_comment(), headers={**key_headers, "Idempotency-Key": value})
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "Idempotency-Key"
    assert count(Comment) == 0


@pytest.mark.parametrize(
    "body, field",
    [
        (new_comment(""), "text"),
        (new_comment(TOO_LONG_TEXT), "text"),
        ({"text": "Fine."}, "author"),
        (new_comment(external_id=""), "author.external_id"),
        (new_comment(display_name="x" * 81), "author.display_name"),
        (new_comment(parent_id="1"), "parent_id"),
        (new_comment(parent_id=424242), "parent_id"),
    ],
)
def test_invalid_comments_are_refused_naming_the_field(client, key_headers, body, field):
    response = client.post(COMMENTS_URL, json=body, headers=key_headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field
    assert count(Comment) == 0


def test_a_reply_to_a_comment_on_another_article_is_refused(client, key_headers):
    elsewhere = add_comment(article=add_article("other-story"))
    response = client.post(COMMENTS_URL, json=new_comment(parent_id=elsewhere.id), headers=key_headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "parent_id"


def test_a_reply_to_a_published_comment_is_threaded(client, key_headers):
    parent = add_comment()
    response = client.post(COMMENTS_URL, json=new_comment("Good point on Havana.", parent_id=parent.id), headers=key_headers)
    assert response.status_code == 201
    assert db.session.get(Comment, response.get_json()["id"]).parent_id == parent.id


def test_closed_comments_and_banned_authors_are_conflicts(client, key_headers):
    seed_article().comments_open = False
    db.session.commit()
    closed = client.post(COMMENTS_URL, json=new_comment(), headers=key_headers)
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "comments_closed"
    seed_article().comments_open = True
    db.session.commit()
    create_user("Banned", external_id="u-banned", banned=True)
    banned = client.post(COMMENTS_URL, json=new_comment(external_id="u-banned"), headers=key_headers)
    assert banned.status_code == 409 and banned.get_json()["error"]["code"] == "author_blocked"
    assert count(Comment) == 0


def test_posting_to_an_unknown_article_is_404(client, key_headers):
    response = client.post("/api/v1/articles/nowhere/comments", json=new_comment(), headers=key_headers)
    assert response.status_code == 404
    assert count(Comment) == 0


@pytest.mark.parametrize("url", ["/api/v1/articles?limt=5", f"{COMMENTS_URL}?page=2"])
def test_unknown_query_parameters_are_named_not_ignored(client, url):
    response = client.get(url)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] in ("limt", "page")


def test_nul_characters_are_refused_alike_on_every_database(client, key_headers):
    posted = client.post(COMMENTS_URL, json=new_comment("Fine words\x00 here."), headers=key_headers)
    assert posted.status_code == 422 and posted.get_json()["error"]["field"] == "text"
    in_path = client.get("/api/v1/articles/a%00b/comments")
    assert in_path.status_code == 422 and in_path.get_json()["error"]["field"] == "slug"
    assert count(Comment) == 0
