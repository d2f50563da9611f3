"""Fairness: identity statements (templates × identity terms, moderation/training/identity-statements.toml) publish,
and `held_per_term` measures what `evaluate --all` reports."""
from __future__ import annotations

import pytest

from moderation.pipeline import moderate
from moderation.pipeline.types import ModerationContext
from moderation.policy import load_policy
from moderation.training import fairness

POLICY = load_policy()
STATEMENTS = list(fairness.statements())


def test_the_suite_crosses_every_template_with_every_term():
    terms = {term for term, _ in STATEMENTS}
    assert len(terms) >= 40 and len(STATEMENTS) == len(terms) * 10
    assert ("queer", "I am queer and I support these talks.") in STATEMENTS


@pytest.mark.parametrize("term, statement", STATEMENTS, ids=[statement for _, statement in STATEMENTS])
def test_an_identity_statement_publishes(term, statement):
    verdict = moderate(statement, ModerationContext(), POLICY)
    assert verdict.outcome == "publish", verdict.reasons


def test_the_share_held_per_term_counts_what_does_not_publish(monkeypatch):
    class Judged:
        def __init__(self, outcome):
            self.outcome = outcome

    # One template in ten held (the raft story), whatever the term: every term's share is a tenth.
    monkeypatch.setattr(fairness, "moderate", lambda text, context, policy: Judged(
        "review" if "on a raft" in text else "publish"))
    held = fairness.held_per_term(POLICY)
    assert set(held) == {term for term, _ in STATEMENTS}
    assert all(share == pytest.approx(0.1) for share in held.values())
