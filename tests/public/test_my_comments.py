"""Your comments: each comment of the signed-in reader with its state, why a rejected one was not published and
what the reader can still do."""
from __future__ import annotations

from sqlalchemy import select

from moderation.audit import Actor
from moderation.db import db
from moderation.models import Comment, CommentStatus
from moderation.queue import perform
from tests.conftest import create_user
from tests.public.helpers import ARTICLE_URL, add_comment

CLEAN = "I hope the Havana talks lead to safer, legal migration for Cuban families."
HELD = "The governor is a clown."


def item(page: str, comment_id: int) -> str:
    start = page.index(f'id="mine-{comment_id}"')
    return page[start:page.index("</li>", start)]


def test_each_state_is_shown_with_what_the_reader_can_do(client, auth, reader, moderator, app):
    published = add_comment(reader, CLEAN)
    pending = add_comment(reader, HELD)
    rejected = add_comment(reader, "The mayor is a clown.")
    assert pending.status is CommentStatus.PENDING and rejected.status is CommentStatus.PENDING
    perform(rejected, "reject", Actor.for_user(moderator), reason="personal_attack", note="Argue the point instead.")
    db.session.commit()
    other = add_comment(create_user("Someone Else"), CLEAN + " Another view.")
    auth.login(reader)
    page = client.get("/account/comments").get_data(as_text=True)
    assert "Published." in item(page, published.id)
    assert "Awaiting review." in item(page, pending.id)
    final = item(page, rejected.id)
    assert "Not published." in final and "Personal comments" in final and "Argue the point instead." in final
    assert "This decision is final" in final and app.config["CONTACT_ADDRESS"] in final
    assert f"mine-{other.id}" not in page  # only the reader's own


def test_a_rule_rejection_not_yet_edited_offers_the_one_edit(client, auth, reader):
    auth.login(reader)
    client.post(f"{ARTICLE_URL}/comments", data={"body": "You are a complete idiot and a moron."})
    comment = db.session.scalars(select(Comment)).one()
    assert comment.status is CommentStatus.REJECTED and not comment.resubmitted
    mine = item(client.get("/account/comments").get_data(as_text=True), comment.id)
    assert f"/comments/{comment.id}/notice" in mine and "This decision is final" not in mine


def test_the_awaiting_review_badge_links_to_your_comments(client, auth, reader):
    pending = add_comment(reader, HELD)
    auth.login(reader)
    page = client.get(ARTICLE_URL).get_data(as_text=True)
    assert f'href="/account/comments#mine-{pending.id}"' in page


def test_your_comments_needs_sign_in(client, app):
    response = client.get("/account/comments")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
