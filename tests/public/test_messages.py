"""Each message is drawn beside what it is about (the anchor the page lands on), and every refusal keeps the text."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from moderation.db import db
from moderation.models import Comment
from moderation.models._types import utcnow
from moderation.policy import current_policy
from tests.conftest import create_user
from tests.public.helpers import ARTICLE_URL, add_comment

CLEAN = "I hope the Havana talks lead to safer, legal migration for Cuban families."


def element(page: str, element_id: str) -> str:
    """The HTML of the element with this id, to its first closing tag of the same name (none of ours nest)."""
    start = page.rindex("<", 0, page.index(f'id="{element_id}"'))
    tag = re.match(r"<(\w+)", page[start:]).group(1)
    return page[start:page.index(f"</{tag}>", start)]


def test_published_message_is_inside_the_comment_the_redirect_lands_on(client, auth, reader):
    auth.login(reader)
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": CLEAN})
    anchor = response.headers["Location"].rsplit("#", 1)[1]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your comment is published." in element(page, anchor)
    assert page.count("Your comment is published.") == 1


def test_a_too_long_comment_is_refused_beside_the_form_with_the_text_kept(client, auth, reader):
    auth.login(reader)
    text = "Havana talks. " * (current_policy().max_length // 14 + 2)
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": text})
    assert response.status_code == 422
    form = element(response.get_data(as_text=True), "comment-form")
    assert "longer than" in form and 'role="alert"' in form
    assert text.strip() in form
    assert re.search(r'action="[^"]*/comments#comment-form"', form)  # the browser lands on the form


def test_an_empty_comment_is_refused_beside_the_form(client, auth, reader):
    auth.login(reader)
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": "   "})
    assert response.status_code == 422
    assert "Write something first." in element(response.get_data(as_text=True), "comment-form")


def test_a_refused_reply_keeps_its_text_in_its_own_reply_form(client, auth, reader):
    parent = add_comment(create_user("Other Reader"), CLEAN)
    auth.login(reader)
    text = "x" * (current_policy().max_length + 1)
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": text, "parent_id": str(parent.id)})
    reply_form = element(response.get_data(as_text=True), f"reply-form-{parent.id}")
    assert "longer than" in reply_form and text in reply_form


def test_a_suspended_reader_sees_the_end_date_where_the_form_would_be(client, auth, app):
    until = utcnow() + timedelta(days=3)
    suspended = create_user("Sus Pended", suspended_until=until)
    auth.login(suspended)
    page = client.get(ARTICLE_URL).get_data(as_text=True)
    status = element(page, "comment-form")
    assert "suspended from commenting until" in status and until.strftime("%d %B %Y") in status
    assert "Join the conversation" not in page and "<textarea" not in status


def test_a_reader_banned_while_typing_keeps_the_text_of_the_post_and_of_the_resubmit(client, auth, reader):
    auth.login(reader)
    client.post(f"{ARTICLE_URL}/comments", data={"body": "You are a complete idiot and a moron."})
    reader.banned = True
    db.session.commit()
    typed = "The talks matter to my family in Hialeah."
    response = client.post(f"{ARTICLE_URL}/comments", data={"body": typed})
    form = element(response.get_data(as_text=True), "comment-form")
    assert response.status_code == 422 and "banned" in form and typed in form
    held = db.session.scalars(select(Comment.id)).one()
    response = client.post(f"/comments/{held}/resubmit", data={"body": typed})
    form = element(response.get_data(as_text=True), "comment-form")
    assert response.status_code == 422 and "banned" in form and typed in form


def test_the_report_form_preselects_no_reason_and_asks_for_one(client, auth, reader):
    comment = add_comment(create_user("Other Reader"), CLEAN)
    auth.login(reader)
    form = client.get(f"/comments/{comment.id}/report").get_data(as_text=True)
    assert "selected" not in form and '<option value="">Choose a reason</option>' in form
    response = client.post(f"/comments/{comment.id}/report", data={"reason": "", "note": "kept note"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Choose why" in page and "kept note" in page
    assert 'aria-invalid="true"' in page


def test_a_reported_comment_says_reported_with_the_thanks_beside_it(client, auth, reader):
    comment = add_comment(create_user("Other Reader"), CLEAN)
    auth.login(reader)
    response = client.post(f"/comments/{comment.id}/report", data={"reason": "spam"})
    assert response.headers["Location"].endswith(f"#c{comment.id}")
    mine = element(client.get(response.headers["Location"]).get_data(as_text=True), f"c{comment.id}")
    assert "The moderators will look at this comment." in mine
    assert "Reported" in mine and ">Report</a>" not in mine


def test_signed_out_readers_see_reply_and_report_that_ask_them_to_sign_in(client, app):
    comment = add_comment(create_user("Other Reader"), CLEAN)
    page = client.get(ARTICLE_URL).get_data(as_text=True)
    actions = element(page, f"c{comment.id}")
    assert f"/auth/login?next=/articles/us-cuba-migration-talks%23c{comment.id}" in actions
    assert f'href="/comments/{comment.id}/report"' in actions
    assert "/auth/login?next=/articles/us-cuba-migration-talks%23comments" in page
    assert "back=/articles/us-cuba-migration-talks%23comments" in page  # Hide Comments returns to the comments


def test_a_banned_reader_sees_the_status_instead_of_the_edit_on_the_notice(client, auth, reader):
    auth.login(reader)
    client.post(f"{ARTICLE_URL}/comments", data={"body": "You are a complete idiot and a moron."})
    reader.banned = True
    db.session.commit()
    held = db.session.scalars(select(Comment.id)).one()
    status = element(client.get(f"/comments/{held}/notice").get_data(as_text=True), "comment-form")
    assert "banned from commenting" in status and "<textarea" not in status
