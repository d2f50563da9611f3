"""GET /api/v1/queue and POST /api/v1/comments/<id>/decision: the admin pages' rules, under the key's name."""
from __future__ import annotations

import base64
import json

import pytest

from moderation.audit import Actor
from moderation.db import db
from moderation.models import ActorType, Comment, CommentStatus, ModerationMode
from moderation.queue import perform
from tests.api.conftest import CLEAN_TEXT, INSULT_TEXT, add_article, add_comment, bearer, decisions_for, make_key


@pytest.fixture
def held(app) -> Comment:
    """A clean comment held because its article is pre-moderated."""
    article = add_article("premoderated", moderation_mode=ModerationMode.PRE)
    comment = add_comment(article=article)
    assert comment.status is CommentStatus.PENDING
    return comment


def decide(client, comment_id, headers, **body):
    return client.post(f"/api/v1/comments/{comment_id}/decision", json=body, headers=headers)


def test_the_queue_lists_held_comments_with_what_a_moderator_needs(client, key_headers, held):
    add_comment()  # published: not in the pending queue
    response = client.get("/api/v1/queue?status=pending", headers=key_headers)
    assert response.status_code == 200
    [item] = response.get_json()["items"]
    assert (item["id"], item["status"], item["hold_reason"], item["version"]) == (held.id, "pending", "premoderation", 1)
    assert item["verdict"] == held.verdict and item["article"] == "premoderated"


def test_the_rejected_queue_and_paging(client, key_headers):
    rejected = [add_comment(f"{INSULT_TEXT} Number {n}.") for n in range(3)]
    first = client.get("/api/v1/queue?status=rejected&limit=2", headers=key_headers).get_json()
    second = client.get(f"/api/v1/queue?status=rejected&limit=2&cursor={first['next_cursor']}", headers=key_headers).get_json()
    assert sorted(i["id"] for i in first["items"] + second["items"]) == [c.id for c in rejected]
    assert second["next_cursor"] is None


@pytest.mark.parametrize("query, field", [("status=approved", "status"), ("cursor=nonsense", "cursor"), ("limit=0", "limit")])
def test_bad_queue_arguments_are_named(client, key_headers, query, field):
    response = client.get(f"/api/v1/queue?{query}", headers=key_headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field


def test_approving_publishes_and_logs_the_key(client, held):
    _key, secret = make_key("desk-bot", "admin")
    response = decide(client, held.id, bearer(secret), action="approve", expected_version=1, note="fine")
    assert response.status_code == 200
    body = response.get_json()
    assert body["comment"]["status"] == "published" and body["comment"]["version"] == 2
    assert body["decision"]["actor"] == {"type": "api_key", "name": "desk-bot"}
    db.session.expire_all()
    assert db.session.get(Comment, held.id).status is CommentStatus.PUBLISHED
    last = decisions_for(held.id)[-1]
    assert (last.actor_type, last.actor_name, last.action, last.note) == (ActorType.API_KEY, "desk-bot", "approve", "fine")


def test_rejecting_needs_one_of_the_policy_reasons(client, key_headers, held):
    missing = decide(client, held.id, key_headers, action="reject")
    assert missing.status_code == 422 and missing.get_json()["error"]["field"] == "reason"
    response = decide(client, held.id, key_headers, action="reject", reason="off_topic")
    assert response.status_code == 200
    db.session.expire_all()
    comment = db.session.get(Comment, held.id)
    assert (comment.status, comment.rejection_reason) == (CommentStatus.REJECTED, "off_topic")


def test_a_decision_after_someone_else_decided_is_409_naming_them(client, key_headers, held, moderator):
    perform(held, "approve", Actor.for_user(moderator), expected_version=1)
    db.session.commit()
    response = decide(client, held.id, key_headers, action="reject", reason="other", expected_version=1)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "already_decided" and moderator.display_name in error["message"]
    assert error["decision"]["actor"] == {"type": "user", "name": moderator.display_name}
    assert error["decision"]["action"] == "approve"
    db.session.expire_all()
    assert db.session.get(Comment, held.id).status is CommentStatus.PUBLISHED


def test_an_action_that_does_not_apply_is_409(client, key_headers):
    published = add_comment(CLEAN_TEXT)
    response = decide(client, published.id, key_headers, action="approve")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "not_allowed"
    assert len(decisions_for(published.id)) == 1


@pytest.mark.parametrize("body, field", [({}, "action"), ({"action": "feature"}, "action"), ({"action": "approve", "expected_version": "1"}, "expected_version")])
def test_invalid_decisions_are_named(client, key_headers, held, body, field):
    response = decide(client, held.id, key_headers, **body)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field


def test_a_forged_queue_cursor_with_an_impossible_id_is_refused_not_a_server_error(client, key_headers):
    forged = base64.urlsafe_b64encode(json.dumps({"s": "oldest", "k": ["2026-01-01T00:00:00+00:00", 2**40]}).encode()).decode()
    response = client.get(f"/api/v1/queue?cursor={forged}", headers=key_headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "cursor"
