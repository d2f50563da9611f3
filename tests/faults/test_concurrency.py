"""Many writers at once lose nothing and store nothing twice: API writers with Idempotency-Key retries,
a comment form sent twice, and a moderator's decision racing the author's edit of the same comment."""
from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from moderation.db import db
from moderation.models import Comment, CommentStatus, Decision, Role
from tests.conftest import PASSWORD, create_user
from tests.faults.conftest import Browserless
from tests.public.helpers import ARTICLE_URL
from tests.security.conftest import api_key

WRITERS = 20
COMMENTS_EACH = 10
COMMENTS_URL = "/api/v1/articles/us-cuba-migration-talks/comments"
ABUSIVE = "You are a complete idiot and a moron."


def comment_text(writer: int, number: int) -> str:
    return f"Writer {writer} on the Havana talks, comment {number}: migration policy needs patience."


def write_all(base_url: str, secret: str, writer: int) -> list[int]:
    """One writer's comments, every third one sent twice with the same Idempotency-Key, as a retrying client."""
    client = Browserless(base_url)
    ids = []
    for number in range(COMMENTS_EACH):
        sends = 2 if number % 3 == 0 else 1
        for _ in range(sends):
            reply = client.request(
                "POST", COMMENTS_URL,
                json_body={"text": comment_text(writer, number),
                           "author": {"external_id": f"writer-{writer}", "display_name": f"Writer {writer}"}},
                headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": f"w{writer}-c{number}"},
            )
            assert reply.status in (200, 201), reply.body
            ids.append(reply.json()["id"])
    return ids


def test_concurrent_api_writers_store_every_comment_exactly_once_with_its_verdict(app, live_server):
    secret = api_key("comment")
    with ThreadPoolExecutor(WRITERS) as pool:
        answered = [ids for ids in pool.map(lambda w: write_all(live_server, secret, w), range(WRITERS))]
    db.session.expire_all()
    stored = db.session.scalars(select(Comment)).all()
    assert len(stored) == WRITERS * COMMENTS_EACH
    assert Counter(c.body for c in stored) == Counter(
        comment_text(w, n) for w in range(WRITERS) for n in range(COMMENTS_EACH)
    )
    assert all(c.verdict["verdict"] == c.verdict_outcome and c.policy_version for c in stored)
    for ids in answered:  # a retry answered with the id of the first
        assert len(set(ids)) == COMMENTS_EACH
    posts = Counter(d.comment_id for d in db.session.scalars(select(Decision).where(Decision.action == "post")))
    assert set(posts.values()) == {1} and len(posts) == len(stored)


def test_the_same_idempotency_key_sent_at_once_posts_once(app, live_server):
    secret = api_key("comment")

    def send(_):
        return Browserless(live_server).request(
            "POST", COMMENTS_URL,
            json_body={"text": comment_text(0, 0), "author": {"external_id": "racer", "display_name": "Racer"}},
            headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "one-key"},
        )

    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(send, range(8)))
    assert sorted(r.status for r in replies).count(201) == 1
    assert {r.json()["id"] for r in replies} == {db.session.scalars(select(Comment.id)).one()}


def signed_in(base_url: str, user) -> Browserless:
    browser = Browserless(base_url)
    assert browser.request("POST", "/auth/login", form={"email": user.email, "password": PASSWORD}).status == 302
    return browser


def test_a_comment_form_sent_twice_posts_once(app, live_server, reader):
    browser = signed_in(live_server, reader)
    page = browser.request("GET", ARTICLE_URL).body.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    form = {"body": comment_text(1, 1), "form_token": token}
    with ThreadPoolExecutor(4) as pool:
        replies = list(pool.map(lambda _: browser.request("POST", f"{ARTICLE_URL}/comments", form=form), range(4)))
    assert [r.status for r in replies] == [302] * 4
    assert len({r.headers["Location"] for r in replies}) == 1  # every click lands on the same comment
    again = browser.request("POST", f"{ARTICLE_URL}/comments", form=form)  # the back button and resend
    assert again.status == 302
    assert len(db.session.scalars(select(Comment)).all()) == 1


def test_two_forms_with_the_same_text_are_two_comments(app, live_server, reader):
    browser = signed_in(live_server, reader)
    for token in ("first-form", "second-form"):
        browser.request("POST", f"{ARTICLE_URL}/comments", form={"body": comment_text(2, 2), "form_token": token})
    assert len(db.session.scalars(select(Comment)).all()) == 2


def held_comment(browser) -> Comment:
    browser.request("POST", f"{ARTICLE_URL}/comments", form={"body": ABUSIVE, "form_token": "held"})
    db.session.expire_all()
    comment = db.session.scalars(select(Comment).order_by(Comment.id.desc())).first()
    assert comment.status is not CommentStatus.PUBLISHED and not comment.resubmitted
    return comment


def overrule(comment: Comment) -> dict:
    """The moderator's decision against the policy's: approve what it rejected, reject what it held."""
    if comment.status is CommentStatus.REJECTED:
        return {"action": "approve", "version": comment.version}
    return {"action": "reject", "version": comment.version, "reason": "personal_attack"}


def log_of(comment_id: int) -> list[str]:
    db.session.expire_all()
    return [d.action for d in db.session.scalars(select(Decision).where(Decision.comment_id == comment_id).order_by(Decision.id))]


def test_a_decision_made_while_the_author_edits_wins_and_the_author_is_told(app, live_server, reader):
    author = signed_in(live_server, reader)
    moderator = signed_in(live_server, create_user("Mo Derator", role=Role.MODERATOR))
    comment = held_comment(author)
    seen = comment.version
    decision = overrule(comment)
    decided = moderator.request("POST", f"/admin/comments/{comment.id}/decide", form=decision)
    assert decided.status in (302, 303)
    edit = author.request("POST", f"/comments/{comment.id}/resubmit", form={"body": "Fair point, sorry.", "version": seen})
    assert edit.status == 422  # the notice again, with the edit kept in its form
    assert "your edit was not saved" in edit.body.decode()
    db.session.expire_all()
    stored = db.session.get(Comment, comment.id)
    assert stored.body == ABUSIVE and not stored.resubmitted
    assert log_of(comment.id)[1:] == [decision["action"]]


def test_an_edit_made_while_the_moderator_looks_wins_and_the_moderator_is_told(app, live_server, reader):
    author = signed_in(live_server, reader)
    moderator = signed_in(live_server, create_user("Mo Derator", role=Role.MODERATOR))
    comment = held_comment(author)
    seen = comment.version
    edit = author.request("POST", f"/comments/{comment.id}/resubmit", form={"body": "Fair point, sorry.", "version": seen})
    assert edit.status == 302
    decided = moderator.request("POST", f"/admin/comments/{comment.id}/decide", form=overrule(comment))
    page = moderator.request("GET", decided.headers["Location"]).body.decode()
    assert "nothing was changed" in page
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).body == "Fair point, sorry."
    assert log_of(comment.id)[1:] == ["resubmit"]


@pytest.mark.parametrize("rounds", [6])
def test_decisions_and_edits_sent_at_the_same_moment_leave_one_winner_each(app, live_server, reader, rounds):
    author = signed_in(live_server, reader)
    moderator = signed_in(live_server, create_user("Mo Derator", role=Role.MODERATOR))
    for n in range(rounds):
        author.request("POST", f"{ARTICLE_URL}/comments", form={"body": f"{ABUSIVE} ({n})", "form_token": f"t{n}"})
    db.session.expire_all()
    comments = db.session.scalars(select(Comment).order_by(Comment.id)).all()
    decisions = {comment.id: overrule(comment) for comment in comments}

    def race(comment):
        with ThreadPoolExecutor(2) as pool:
            edit = pool.submit(author.request, "POST", f"/comments/{comment.id}/resubmit",
                               form={"body": "Fair point, sorry.", "version": comment.version})
            decision = pool.submit(moderator.request, "POST", f"/admin/comments/{comment.id}/decide",
                                   form=decisions[comment.id])
            return edit.result(), decision.result()

    for comment in comments:
        race(comment)
    for comment in comments:
        after_post = log_of(comment.id)[1:]
        assert after_post in (["resubmit"], [decisions[comment.id]["action"]]), after_post
        stored = db.session.get(Comment, comment.id)
        last = db.session.scalars(select(Decision).where(Decision.comment_id == comment.id).order_by(Decision.id.desc())).first()
        assert stored.status.value == last.to_status
        assert stored.resubmitted == (after_post == ["resubmit"])
