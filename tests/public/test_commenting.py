"""Posting, replying, the policy notice with its one edit, reporting, and who may post."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from moderation.db import db
from moderation.models import Article, Comment, CommentStatus, Decision, Report, ModerationMode
from moderation.models._types import utcnow
from moderation.policy import current_policy
from tests.conftest import create_user
from tests.public.helpers import ARTICLE_URL, add_comment, seed_article

CLEAN = "I hope the Havana talks lead to safer, legal migration for Cuban families."
ABUSIVE = "You are a complete idiot and a moron."


def only_comment() -> Comment:
    return db.session.scalars(select(Comment)).one()


def test_posting_requires_sign_in(client):
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": CLEAN})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert db.session.scalars(select(Comment)).all() == []


def test_clean_comment_is_published_with_its_stored_verdict(client, auth, reader):
    auth.login(reader)
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": CLEAN}, follow_redirects=True)
    assert b"Your comment is published." in response.data
    comment = only_comment()
    assert comment.status is CommentStatus.PUBLISHED and comment.body == CLEAN
    assert comment.verdict["verdict"] == "publish"
    assert set(comment.verdict["categories"]) == {"profanity", "hate_speech", "personal_attack", "off_topic"}
    assert comment.policy_version == comment.verdict["policy"]["version"]
    log = db.session.scalars(select(Decision)).one()
    assert (log.actor_type.value, log.to_status) == ("rule", "published")


def test_abusive_comment_is_not_published_and_the_reader_sees_the_policy_sentence(client, auth, reader):
    auth.login(reader)
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": ABUSIVE}, follow_redirects=True)
    page = response.get_data(as_text=True)
    comment = only_comment()
    assert comment.status is not CommentStatus.PUBLISHED
    reason = comment.verdict["reasons"][0]
    assert f"{reason['title']}:</strong>" in page and f"we ask that you “{reason['clause']}”" in page
    assert reason["policy"] not in page.replace("&#39;", "'")
    assert "<mark>" in page
    public = client.get(ARTICLE_URL).get_data(as_text=True)
    auth.logout()
    assert "complete idiot" not in client.get(ARTICLE_URL).get_data(as_text=True)
    assert comment.status is CommentStatus.REJECTED or "Awaiting review" in public


def test_reader_may_edit_and_resubmit_once(client, auth, reader):
    auth.login(reader)
    client.post(f"{ARTICLE_URL}/comments", data={"body": ABUSIVE})
    comment = only_comment()
    response = client.post(f"/comments/{comment.id}/resubmit", data={"body": CLEAN}, follow_redirects=True)
    assert b"Your comment is published." in response.data
    db.session.refresh(comment)
    assert comment.status is CommentStatus.PUBLISHED and comment.resubmitted and comment.body == CLEAN
    again = client.post(f"/comments/{comment.id}/resubmit", data={"body": "Another try."}, follow_redirects=True)
    assert b"can no longer be edited" in again.data
    db.session.refresh(comment)
    assert comment.body == CLEAN
    actions = db.session.scalars(select(Decision.action).order_by(Decision.id)).all()
    assert actions == ["post", "resubmit"]


def test_another_reader_cannot_see_or_resubmit_my_notice(client, auth, reader):
    other = create_user("Other Reader")
    comment = add_comment(reader, ABUSIVE)
    auth.login(other)
    assert client.get(f"/comments/{comment.id}/notice").status_code == 404
    assert client.post(f"/comments/{comment.id}/resubmit", data={"body": CLEAN}).status_code == 404


def test_reply_appears_under_its_parent(client, auth, reader):
    parent = add_comment(create_user("Parent Author"), "The visa numbers in the story are striking.")
    auth.login(reader)
    client.post(f"{ARTICLE_URL}/comments", data={"body": "The drop from 26,720 visas is notable.", "parent_id": parent.id})
    reply = db.session.scalar(select(Comment).where(Comment.parent_id == parent.id))
    assert reply is not None and reply.status is CommentStatus.PUBLISHED


@pytest.mark.parametrize("parent_id", ["999999", "abc"])
def test_reply_to_a_missing_parent_is_a_clear_400(client, auth, reader, parent_id):
    auth.login(reader)
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": CLEAN, "parent_id": parent_id})
    assert response.status_code == 400
    assert db.session.scalars(select(Comment)).all() == []


def test_empty_comment_gets_a_form_message(client, auth, reader):
    auth.login(reader)
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": ""}, follow_redirects=True)
    assert b"Write something first." in response.data
    assert db.session.scalars(select(Comment)).all() == []


def test_pending_comment_is_seen_by_its_author_only(client, auth, reader):
    article = seed_article()
    article.moderation_mode = ModerationMode.PRE
    db.session.commit()
    add_comment(reader, CLEAN)
    assert only_comment().status is CommentStatus.PENDING and only_comment().hold_reason == "premoderation"
    auth.login(reader)
    assert "Awaiting review" in client.get(ARTICLE_URL).get_data(as_text=True)
    auth.logout()
    auth.login(create_user("Someone Else"))
    assert "safer, legal migration" not in client.get(ARTICLE_URL).get_data(as_text=True)


def test_closed_article_takes_no_comment(client, auth, reader):
    db.session.query(Article).update({Article.comments_open: False})
    db.session.commit()
    auth.login(reader)
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": CLEAN}, follow_redirects=True)
    assert b"Comments are closed on this story." in response.data
    assert db.session.scalars(select(Comment)).all() == []


@pytest.mark.parametrize(
    "fields, message",
    [({"suspended_until": utcnow() + timedelta(days=3)}, b"suspended"), ({"banned": True}, b"banned")],
)
def test_suspended_or_banned_author_cannot_post(client, auth, fields, message):
    author = create_user("Blocked Author", **fields)
    auth.login(author)
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": CLEAN}, follow_redirects=True)
    assert message in response.data
    assert db.session.scalars(select(Comment)).all() == []


def test_expired_suspension_allows_posting(client, auth):
    author = create_user("Returning Author", suspended_until=utcnow() - timedelta(minutes=1))
    auth.login(author)
    client.post(f"{ARTICLE_URL}/comments", data={"body": CLEAN})
    assert only_comment().status is CommentStatus.PUBLISHED


def test_report_with_a_policy_reason_and_no_duplicate(client, auth, reader):
    comment = add_comment(create_user("Commenter"), CLEAN)
    auth.login(reader)
    form = client.get(f"/comments/{comment.id}/report").get_data(as_text=True)
    for choice in ("profanity", "hate_speech", "personal_attack", "off_topic", "spam", "other"):
        assert f'value="{choice}"' in form
    response = client.post(f"/comments/{comment.id}/report", data={"reason": "off_topic", "note": "ad"},
                           follow_redirects=True)
    assert b"The moderators will look" in response.data
    again = client.post(f"/comments/{comment.id}/report", data={"reason": "spam"}, follow_redirects=True)
    assert b"already reported" in again.data
    report = db.session.scalars(select(Report)).one()
    assert (report.reason, report.note, report.reporter_id) == ("off_topic", "ad", reader.id)


def test_report_with_an_unknown_reason_is_refused(client, auth, reader):
    comment = add_comment(create_user("Commenter"), CLEAN)
    auth.login(reader)
    response = client.post(f"/comments/{comment.id}/report", data={"reason": "because"})
    assert response.status_code == 400
    assert db.session.scalars(select(Report)).all() == []


def test_enough_reports_hide_a_comment_and_queue_it(client, auth, app):
    comment = add_comment(create_user("Commenter"), CLEAN)
    for number in range(app.config["REPORT_HIDE_THRESHOLD"]):
        auth.login(create_user(f"Reporter {number}"))
        client.post(f"/comments/{comment.id}/report", data={"reason": "personal_attack"})
        auth.logout()
    db.session.refresh(comment)
    assert comment.status is CommentStatus.PENDING and comment.hold_reason == "reports"
    assert "safer, legal migration" not in client.get(ARTICLE_URL).get_data(as_text=True)
    hidden = db.session.scalar(select(Decision).where(Decision.action == "hide_reported"))
    assert hidden.actor_type.value == "system" and hidden.to_status == "pending"


def long_text(length: int) -> str:
    return ("The talks in Havana matter to families on both sides. " * length)[:length]


def test_a_too_long_comment_is_refused_with_the_limit_and_the_reader_keeps_the_text(client, auth, reader):
    auth.login(reader)
    limit = current_policy().max_length
    text = long_text(limit + 1)
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"longer than {limit} characters" in page
    assert f'aria-describedby="body-count">{text}</textarea>' in page
    assert db.session.scalars(select(Comment)).all() == []


def test_a_too_long_reply_reopens_its_reply_form_with_the_text(client, auth, reader):
    parent = add_comment(create_user("Other Reader"), CLEAN)
    auth.login(reader)
    text = long_text(current_policy().max_length + 1)
    page = client.post(f"{ARTICLE_URL}/comments", data={"body": text, "parent_id": parent.id}).get_data(as_text=True)
    assert '<details class="reply" open>' in page
    assert f'aria-describedby="reply-{parent.id}-count">{text}</textarea>' in page
    assert f'aria-describedby="body-count"></textarea>' in page  # not in the story's own form as well


def test_a_too_long_edit_stays_in_the_edit_form(client, auth, reader):
    auth.login(reader)
    client.post(f"{ARTICLE_URL}/comments", data={"body": ABUSIVE})
    comment = only_comment()
    text = long_text(current_policy().max_length + 1)
    response = client.post(f"/comments/{comment.id}/resubmit", data={"body": text, "version": comment.version})
    assert response.status_code == 422
    assert f'aria-describedby="body-count">{text}</textarea>' in response.get_data(as_text=True)
    db.session.refresh(comment)
    assert comment.body == ABUSIVE and not comment.resubmitted


def test_comment_boxes_count_against_the_policy_limit_without_cutting_a_paste(client, auth, reader):
    add_comment(create_user("Other Reader"), CLEAN)
    auth.login(reader)
    page = client.get(ARTICLE_URL).get_data(as_text=True)
    limit = current_policy().max_length
    assert "maxlength" not in page
    assert page.count(f'data-max-length="{limit}"') == 2  # the story's form and the reply form
    assert page.count(f'aria-live="polite">Up to {limit:,} characters.</p>') == 2


def test_a_line_break_counts_as_one_character_as_the_reader_sees_it(client, auth, reader):
    auth.login(reader)
    limit = current_policy().max_length
    text = long_text(limit - 2) + "\r\n" + "."  # limit + 1 characters as sent, limit as typed
    assert client.post(f"{ARTICLE_URL}/comments", data={"body": text}).status_code == 302
    assert only_comment().body == text.replace("\r\n", "\n")
