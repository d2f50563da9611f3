"""The moderation flow, read top to bottom: refuse, normalise, run every rule's filter, decide."""
from __future__ import annotations

from moderation.pipeline.filters import FILTERS
from moderation.pipeline.normalise import normalise
from moderation.pipeline.types import ModerationContext, Refused
from moderation.pipeline.verdict import Verdict, decide

__all__ = ["moderate", "Verdict", "Refused"]


def moderate(text: str, context: ModerationContext, policy) -> Verdict:
    """Judge one comment against every rule of `policy`; raises Refused for empty or too long text."""
    if not text or not text.strip():
        raise Refused("empty", "The comment is empty.")
    if len(text) > policy.max_length:
        raise Refused("too_long", f"The comment is longer than {policy.max_length} characters.")
    normalised = normalise(text)
    results = [(rule, FILTERS[rule.filter](normalised, context, rule)) for rule in policy.rules]
    return decide(policy, results, context.premoderate)
