"""The moderation flow, read top to bottom: refuse, normalise, find the comment's languages, run every rule's filter
in each of them, decide."""
from __future__ import annotations

from flask_babel import lazy_gettext

from moderation.pipeline.filters import FILTERS
from moderation.pipeline.normalise import normalise
from moderation.pipeline.types import FilterResult, ModerationContext, Refused
from moderation.pipeline.verdict import Verdict, decide

__all__ = ["moderate", "Verdict", "Refused"]


def moderate(text: str, context: ModerationContext, policy, languages: tuple[str, ...] | None = None) -> Verdict:
    """Judge one comment against every rule of `policy`, in every language it is written in (`languages`, ISO 639-1
    codes, when the caller names them; else detected); raises Refused for empty or too long text."""
    if not text or not text.strip():
        raise Refused("empty", lazy_gettext("The comment is empty."))
    if len(text) > policy.max_length:
        raise Refused("too_long", lazy_gettext("The comment is longer than %(limit)s characters.", limit=policy.max_length))
    normalised = normalise(text)
    languages = languages or policy.detector.detect(text, normalised)
    results = [_gravest([(rule, FILTERS[rule.filter](normalised, context, rule)) for rule in versions])
               for versions in policy.rules_in(languages)]
    return decide(policy, results, context.premoderate, languages)


def _gravest(found: list[tuple[object, FilterResult]]) -> tuple[object, FilterResult]:
    """One rule's finding over the languages it ran in: the gravest (by action, then score), with the evidence the
    other languages' versions acted on added ("an idiot y un pendejo": both words)."""
    if len(found) == 1:
        return found[0]
    order = {"none": 0, "review": 1, "reject": 2}
    ranked = sorted(found, key=lambda pair: (order[pair[0].action(pair[1].score)], pair[1].score), reverse=True)
    rule, best = ranked[0]
    spans = list(best.spans)
    for other_rule, other in ranked[1:]:
        if other_rule.action(other.score) != "none":
            spans += [span for span in other.spans
                      if not any(span.start < seen.end and seen.start < span.end for seen in spans)]
    if len(spans) == len(best.spans):
        return rule, best
    return rule, FilterResult(best.score, tuple(sorted(spans, key=lambda span: (span.start, span.end))),
                              best.explanation)
