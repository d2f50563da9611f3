"""Flags swear words and crude terms, tiered mild/strong; reads lexicons mild, strong and innocent (phrases such as
"pussy hats" in which a listed word is no profanity) and params mild_score, strong_score, repeat_bonus, name_words
and max_masked_share."""
from __future__ import annotations

from functools import lru_cache

from moderation.pipeline.matching import Hit, Matcher, compile_lexicons, written_as_a_name
from moderation.pipeline.normalise import NormalisedText
from moderation.pipeline.types import FilterResult, ModerationContext, explained

TIERS = ("strong", "mild")


def check(text: NormalisedText, context: ModerationContext, rule) -> FilterResult:
    """Score the strongest profane word found, with every one as evidence."""
    hits = [hit for hit in _matcher(rule).find(text, rule.params.get("max_masked_share", 0.5))
            if not _is_name(hit, text, rule)]
    if hits and rule.lexicons.get("innocent"):
        hits = _outside_innocent_phrases(hits, text, rule)
    if not hits:
        return FilterResult()
    params = rule.params
    top = max(params[f"{hit.tier}_score"] for hit in hits)
    score = min(1.0, top + params.get("repeat_bonus", 0.0) * (len(hits) - 1))
    spans = tuple(text.span(hit.start, hit.end) for hit in hits)
    strongest = "strong" if any(hit.tier == "strong" for hit in hits) else "mild"
    return FilterResult(round(score, 3), spans, explained(f"{strongest} profanity", spans))


@lru_cache(maxsize=16)
def _matcher(rule) -> Matcher:
    """The rule's lexicons compiled once per policy (rules hash by identity)."""
    return compile_lexicons({tier: rule.lexicons.get(tier, ()) for tier in TIERS})


@lru_cache(maxsize=16)
def _innocent_matcher(rule) -> Matcher:
    """The rule's innocent phrases compiled once per policy."""
    return compile_lexicons({"innocent": rule.lexicons["innocent"]})


def _outside_innocent_phrases(hits: list[Hit], text: NormalisedText, rule) -> list[Hit]:
    """Drop the hits that fall inside an innocent phrase ("pussy hats", "cock-a-doodle-doo")."""
    phrases = [(found.start, found.end) for found in _innocent_matcher(rule).find(text)]
    return [hit for hit in hits if not any(start <= hit.start and hit.end <= end for start, end in phrases)]


def _is_name(hit: Hit, text: NormalisedText, rule) -> bool:
    """A word that is also a name, written as one beside another capitalised word: a listed name word (Dick Cheney,
    Moby Dick), or any word that holds a listed root only inside it (Dr. Herman Libshitz, Ben Schmuckler)."""
    if hit.word not in rule.params.get("name_words", ()) and hit.word.startswith(_roots(rule)):
        return False
    return written_as_a_name(text, hit)


@lru_cache(maxsize=16)
def _roots(rule) -> tuple[str, ...]:
    """Every entry of the rule's tiers as the letters a word must start with to be that entry."""
    return tuple(entry.strip("*+") for tier in TIERS for entry in rule.lexicons.get(tier, ()))
