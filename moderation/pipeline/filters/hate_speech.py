"""Flags attacks on people for who they are: slurs, and a named group called subhuman, threatened or
excluded, or generalised as criminal or inferior (statements, negations and questions), discounted when the
sentence condemns or reports it. Reads lexicons slurs_strong, slurs_mild, groups, dehumanising, violence,
inferiority, condemnation and params *_score and condemned_factor."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from moderation.pipeline.matching import Matcher, compile_lexicons, word_pattern
from moderation.pipeline.normalise import NormalisedText
from moderation.pipeline.types import FilterResult, ModerationContext

_SENTENCE_END = re.compile(r"[.!?;\n]+")
_DETERMINERS = r"(?:[\W_]+(?:all|the|these|those|every|them|of|some|more|fucking|damn|dirty|filthy|stupid|bloody))*"
_COPULA = re.compile(r"[\W_]*(?:are|is|were|was|r|'re|be|being|remain|will always be)(?![^\W_])")
_MODAL = re.compile(r"[\W_]*(?:should|must|need to|needs to|ought to|deserve to|deserves to|have to|has to|will|can|"
                    r"are going to|is going to|gotta)(?:[\W_]+(?:all|just|simply|be|get|go|not|never))*(?![^\W_])")
_QUESTION_BEFORE = re.compile(r"(?:why|are|is|aren't|isn't|don't|do)[\W_]+(?:all[\W_]+|the[\W_]+|these[\W_]+|those[\W_]+|so many[\W_]+)*$")
_CALLED_BEFORE = re.compile(r"(?:call|calls|called|calling|consider|considers|considered)[\W_]+$")
_NEGATION = re.compile(r"(?<![^\W_])(?:not|n't|never|no)(?![^\W_])|n't")
_SELF_IDENTIFIED = re.compile(r"(?:i'm|i am|im|as a|as an|we're|we are|us|proud)[\W_]+(?:a[\W_]+|an[\W_]+|proud[\W_]+)*$")
_GAP = 40
_WINDOW = 90


@dataclass(frozen=True, slots=True)
class _Patterns:
    """The rule's lexicons compiled: slurs as a tiered matcher, the rest as whole-word regexes."""

    slurs: Matcher
    groups: re.Pattern
    dehumanising: re.Pattern
    violence: re.Pattern
    inferiority: re.Pattern
    condemnation: re.Pattern
    violence_before: re.Pattern
    adjective_before: re.Pattern


def check(text: NormalisedText, context: ModerationContext, rule) -> FilterResult:
    """Score the gravest attack on a group found, with every finding as evidence."""
    patterns = _patterns(rule)
    params = rule.params
    findings = _slurs(text, patterns, params) + _group_attacks(text.text, patterns, params)
    if not findings:
        return FilterResult()
    findings.sort(key=lambda finding: finding[1])
    score = max(finding[0] for finding in findings)
    spans = tuple(text.span(start, end) for _, start, end, _ in findings)
    kinds = list(dict.fromkeys(kind for _, _, _, kind in findings))
    quoted = ", ".join(f'"{span.text}"' for span in spans[:3])
    return FilterResult(round(score, 3), spans, f"{'; '.join(kinds).capitalize()}: {quoted}.")


@lru_cache(maxsize=16)
def _patterns(rule) -> _Patterns:
    """Compile the rule's lexicons once per policy (rules hash by identity)."""
    lex = rule.lexicons
    predicates = list(lex["dehumanising"]) + list(lex["inferiority"])
    violence = word_pattern(lex["violence"])
    return _Patterns(
        slurs=compile_lexicons({"strong": lex["slurs_strong"], "mild": lex["slurs_mild"]}),
        groups=word_pattern(lex["groups"]),
        dehumanising=word_pattern(lex["dehumanising"]),
        violence=violence,
        inferiority=word_pattern(lex["inferiority"]),
        condemnation=word_pattern(lex["condemnation"]),
        violence_before=re.compile(f"(?:{violence.pattern}){_DETERMINERS}[\\W_]*$"),
        adjective_before=re.compile(f"(?:{word_pattern(predicates).pattern})[\\W_]+$"),
    )


def _slurs(text: NormalisedText, patterns: _Patterns, params) -> list[tuple[float, int, int, str]]:
    """Slurs, except a reclaimed mild one that the writer uses of themselves (as a dyke, I ...)."""
    found = []
    for hit in patterns.slurs.find(text):
        if hit.tier == "mild" and _SELF_IDENTIFIED.search(text.text, max(0, hit.start - 30), hit.start):
            continue
        found.append((params[f"{hit.tier}_slur_score"], hit.start, hit.end, "slur"))
    return found


def _group_attacks(text: str, patterns: _Patterns, params) -> list[tuple[float, int, int, str]]:
    """For each group named, what its sentence says of it, discounted if the sentence condemns it."""
    found = []
    bounds = None
    for group in patterns.groups.finditer(text):
        if bounds is None:
            bounds = [match.end() for match in _SENTENCE_END.finditer(text)]
        first, last = _sentence(bounds, group.start(), len(text))
        attack = _attack_on(text, group, first, last, patterns, params)
        if attack:
            score, start, end, kind = attack
            if patterns.condemnation.search(text, first, last):
                score *= params["condemned_factor"]
            found.append((score, start, end, kind))
    return found


def _sentence(bounds: list[int], position: int, length: int) -> tuple[int, int]:
    """The start and end of the sentence holding `position`."""
    index = bisect.bisect_right(bounds, position)
    return (bounds[index - 1] if index else 0), (bounds[index] if index < len(bounds) else length)


def _attack_on(text, group, first, last, patterns: _Patterns, params):
    """The gravest thing the sentence says of one group mention: violence, dehumanisation or a generalisation."""
    before_start = max(first, group.start() - _WINDOW)
    before = text[before_start:group.start()]
    after_end = min(last, group.end() + _WINDOW)
    violence = patterns.violence_before.search(before)
    if violence:
        return params["violence_score"], before_start + violence.start(), group.end(), "call for violence or exclusion"
    modal = _MODAL.match(text, group.end(), after_end)
    if modal:
        predicate = patterns.violence.search(text, modal.end(), min(after_end, modal.end() + _GAP))
        if predicate:
            return params["violence_score"], group.start(), predicate.end(), "call for violence or exclusion"
    return _generalisation(text, group, before, after_end, patterns, params)


def _generalisation(text, group, before, after_end, patterns: _Patterns, params):
    """A group said to be vermin or criminal: after a copula (X are ...), in a question (why are X so ...),
    as a name (calls X vermin) or as an epithet (filthy X); a negation clears it unless it denies humanity."""
    start = group.end()
    copula = _COPULA.match(text, start, after_end)
    if copula:
        start = copula.end()
    elif not (_QUESTION_BEFORE.search(before) or _CALLED_BEFORE.search(before)):
        epithet = patterns.adjective_before.search(before)
        if epithet:
            return params["generalisation_score"], group.start() - len(before) + epithet.start(), group.end(), "generalisation about a group"
        return None
    for pattern, key, kind in ((patterns.dehumanising, "dehumanising_score", "dehumanising language"),
                               (patterns.inferiority, "generalisation_score", "generalisation about a group")):
        predicate = pattern.search(text, start, min(after_end, start + _GAP))
        if predicate and (predicate.group().startswith("not") or not _NEGATION.search(text, start, predicate.start())):
            return params[key], group.start(), predicate.end(), kind
    return None
