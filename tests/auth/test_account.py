"""The reader's account: name and password, password reset by e-mail and the decision e-mail (both through a real
SMTP server on loopback), deleting the account, and the mail written to the log when no SMTP server is set."""
from __future__ import annotations

import logging
import re
import uuid

import redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from moderation.db import db
from moderation.models import Comment, CommentStatus, Decision, User
from tests.conftest import PASSWORD, create_user
from tests.public.helpers import ARTICLE_URL, add_comment

HELD = "The governor is a clown."
CLEAN = "I hope the Havana talks lead to safer, legal migration for Cuban families."
NEW_PASSWORD = "a whole new passphrase"


def link_in(message) -> str:
    return re.search(r"http://localhost(/\S+)", message.get_content()).group(1)


def test_password_reset_end_to_end_through_smtp(client, reader, outbox):
    response = client.post("/auth/reset", data={"email": reader.email.upper()})
    assert response.status_code == 302
    mail = outbox.only(reader.email)
    assert mail["Subject"] == "Choose a new password"
    link = link_in(mail)
    form = client.get(link)
    assert form.status_code == 200 and b"Choose a new password" in form.data
    done = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/auth/login")
    assert client.post("/auth/login", data={"email": reader.email, "password": NEW_PASSWORD}).status_code == 302
    used = client.get(link, follow_redirects=True)  # a link works once: the password it was made for is gone
    assert b"expired or was used already" in used.data


def test_a_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, app, outbox):
    response = client.post("/auth/reset", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert b"If an account uses nobody@example.org" in response.data
    assert outbox.messages == []


def test_a_forged_reset_link_is_refused(client, reader):
    response = client.get("/auth/reset/not-a-token", follow_redirects=True)
    assert b"expired or was used already" in response.data


def test_without_smtp_the_mail_is_written_to_the_log_with_a_working_link(client, reader, caplog):
    with caplog.at_level(logging.INFO, logger="moderation.mail"):
        client.post("/auth/reset", data={"email": reader.email})
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name == "moderation.mail")
    link = re.search(r"http://localhost(/auth/reset/\S+)", logged).group(1)
    assert client.get(link).status_code == 200


def held_comment_decided(client, auth, author, moderator, action: str) -> Comment:
    auth.login(author)
    client.post(f"{ARTICLE_URL}/comments", data={"body": HELD})
    comment = db.session.scalars(select(Comment).where(Comment.author_id == author.id)).one()
    assert comment.status is CommentStatus.PENDING
    auth.logout()
    auth.login(moderator)
    data = {"action": action, "version": comment.version}
    if action == "reject":
        data |= {"reason": "personal_attack", "note": "Please argue with the governor's policies instead."}
    assert client.post(f"/admin/comments/{comment.id}/decide", data=data).status_code in (302, 303)
    return comment


def test_the_author_who_asked_is_told_of_a_rejection_by_email(client, auth, moderator, outbox):
    author = create_user("Nora Notified", notify_decisions=True)
    held_comment_decided(client, auth, author, moderator, "reject")
    mail = outbox.only(author.email)
    assert "was not published" in mail["Subject"]
    body = mail.get_content()
    assert HELD in body and "argue with the governor's policies" in body and "/account/comments" in body


def test_the_author_who_asked_is_told_of_an_approval_by_email(client, auth, moderator, outbox):
    author = create_user("Nora Notified", notify_decisions=True)
    held_comment_decided(client, auth, author, moderator, "approve")
    assert "is published" in outbox.only(author.email)["Subject"]


def test_with_a_job_queue_the_decision_email_is_sent_by_a_worker_not_the_request(client, app, auth, moderator, outbox,
                                                                                redis_url, monkeypatch):
    connection = redis.Redis.from_url(redis_url)
    monkeypatch.setitem(app.extensions, "jobs", connection)
    monkeypatch.setitem(app.config, "JOB_QUEUE_NAME", f"test-{uuid.uuid4().hex}")
    queue = Queue(app.config["JOB_QUEUE_NAME"], connection=connection)
    author = create_user("Nora Notified", notify_decisions=True)

    held_comment_decided(client, auth, author, moderator, "reject")

    assert outbox.messages == [] and queue.count == 1
    SimpleWorker([queue], connection=connection).work(burst=True)  # a worker in this process and app context
    assert "was not published" in outbox.only(author.email)["Subject"]


def test_no_decision_email_unless_the_author_asked(client, auth, moderator, outbox):
    author = create_user("Quiet Reader")
    held_comment_decided(client, auth, author, moderator, "reject")
    assert outbox.messages == []


def test_the_reader_switches_the_decision_email_on(client, auth, reader):
    auth.login(reader)
    response = client.post("/auth/account/notices", data={"notify_decisions": "y"})
    assert response.headers["Location"].endswith("#notices")
    db.session.refresh(reader)
    assert reader.notify_decisions


def test_the_reader_changes_the_name_under_the_policy(client, auth, reader):
    create_user("Maria Reader")
    auth.login(reader)
    refused = client.post("/auth/account/name", data={"display_name": "MARIA READER"})
    assert refused.status_code == 400 and b"Another reader uses this name" in refused.data
    assert b'value="MARIA READER"' in refused.data  # what was typed stays in the field
    assert client.post("/auth/account/name", data={"display_name": "Ana  Rivera"}).status_code == 302
    db.session.refresh(reader)
    assert reader.display_name == "Ana Rivera"


def test_the_reader_changes_the_password_given_the_current_one(client, auth, reader):
    auth.login(reader)
    wrong = client.post("/auth/account/password",
                        data={"current": "not it at all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert wrong.status_code == 400 and b"not your current password" in wrong.data
    client.post("/auth/account/password", data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    db.session.refresh(reader)
    assert reader.check_password(NEW_PASSWORD)


def test_deleting_the_account_keeps_the_comments_under_deleted_account(client, auth, reader):
    comment = add_comment(reader, CLEAN)
    auth.login(reader)
    assert client.post("/auth/account/delete", data={"password": "wrong password"}).status_code == 400
    assert client.post("/auth/account/delete", data={"password": PASSWORD}).status_code == 302
    db.session.refresh(reader)
    assert (reader.display_name, reader.email, reader.password_hash) == ("deleted account", None, None)
    page = client.get(ARTICLE_URL).get_data(as_text=True)
    assert CLEAN in page and "deleted account" in page and "Ana Reader" not in page
    assert db.session.scalar(select(Decision).where(Decision.action == "delete_account")).subject_user_id == reader.id
    assert comment.status is CommentStatus.PUBLISHED


def test_deleting_the_account_removes_the_comments_when_so_configured(client, auth, reader, app, monkeypatch):
    monkeypatch.setitem(app.config, "ACCOUNT_DELETION_COMMENTS", "remove")
    comment = add_comment(reader, CLEAN)
    auth.login(reader)
    client.post("/auth/account/delete", data={"password": PASSWORD})
    db.session.refresh(comment)
    assert comment.status is CommentStatus.REJECTED and comment.body == ""
    assert CLEAN not in client.get(ARTICLE_URL).get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.id == reader.id)).deleted_at is not None
