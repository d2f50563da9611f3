"""The policy notice: each rule by its one name, only the clause of the policy that applies, and what happens next."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from moderation.db import db
from moderation.models import Comment
from moderation.policy import current_policy
from tests.public.helpers import ARTICLE_URL

HELD = "The mayor is a clown."  # a third person insulted: held for review by the personal-comments rule


def notice_after_posting(client, auth, reader, body: str) -> tuple[Comment, str]:
    auth.login(reader)
    page = client.post(f"{ARTICLE_URL}/comments", data={"body": body}, follow_redirects=True).get_data(as_text=True)
    return db.session.scalars(select(Comment)).one(), page


def test_a_held_comment_is_told_its_rule_its_clause_and_when_a_moderator_reads_it(client, auth, reader):
    comment, page = notice_after_posting(client, auth, reader, HELD)
    policy = current_policy()
    rule = policy.rule("personal_attack")
    assert comment.status.value == "pending"
    assert f"<strong>{rule.title}:</strong>" in page
    assert f"we ask that you “{rule.clause}”" in page
    assert policy.paragraph.split(". ")[2] not in page.replace("&#39;", "'")  # not the whole sentence once per rule
    assert f"within {policy.review_within_hours} hours" in page
    assert "checked against the policy again" in page


def test_after_the_one_edit_the_notice_says_it_is_spent(client, auth, reader):
    comment, _ = notice_after_posting(client, auth, reader, HELD)
    client.post(f"/comments/{comment.id}/resubmit", data={"body": HELD.replace("clown", "buffoon"),
                                                          "version": comment.version})
    page = client.get(f"/comments/{comment.id}/notice").get_data(as_text=True)
    assert "You have used your one edit" in page
    assert "checked against the policy again" not in page


@pytest.mark.parametrize("body", ["You are a complete idiot and a moron!!", "Oh shit, the talks failed."])
def test_explanations_share_one_format_without_straight_quotes_or_trailing_stops(client, auth, reader, body):
    comment, page = notice_after_posting(client, auth, reader, body)
    for reason in comment.verdict["reasons"]:
        assert re.fullmatch(r"[A-Z][^“”\"]*: “[^“”\"]+”(, “[^“”\"]+”)*", reason["explanation"]), reason
        assert reason["title"] == current_policy().label(reason["category"])
    for finding in comment.verdict["categories"].values():
        assert all(not span["text"].endswith(tuple(".,;:!?")) for span in finding["spans"])
