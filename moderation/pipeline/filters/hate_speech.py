"""Flags attacks on people for who they are: slurs, and a named group called subhuman, threatened or
excluded, or generalised as criminal or inferior (statements, negations and questions), discounted when the
sentence condemns or reports it. Reads lexicons slurs_strong, slurs_mild, groups, dehumanising, violence,
inferiority, hostility, phrases, insults, abuse_strong, abuse_mild,
condemnation and params *_score and condemned_factor."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from moderation.pipeline.matching import Matcher, PhraseSet, compile_lexicons
from moderation.pipeline.normalise import NormalisedText
from moderation.pipeline.types import FilterResult, ModerationContext

_SENTENCE_END = re.compile(r"[.!?;\n]+")
_NEGATED = re.compile(r"\b(?:not|never|no)\b|n't")
# Small closed classes of English grammar, not policy: how a sentence says something of a group.
DETERMINERS = frozenset("all the these those every them of some more most many any such so".split())
INTENSIFIERS = frozenset("just simply really truly nothing but a an bunch lot race of like such so always "
                         "basically only totally fucking damn bloody".split())
COPULAS = frozenset("are is were was r re be being become becomes remain".split())
MODALS = frozenset("should must need needs to ought deserve deserves have has gotta be get go all just simply".split())
QUESTION_OPENERS = frozenset("why are is aren isn don do".split())
CALLING = frozenset("call calls called calling consider considers considered".split())
REFLEXIVES = frozenset("itself themselves all really always just".split())
NEGATIONS = frozenset("not never no t nt isnt arent dont".split())
SELF_NAMING = frozenset("i'm im am as we're we us proud a an".split())
BEFORE, AFTER, GAP = 6, 10, 6
SLUR_TIERS = ("strong", "mild")
ABUSE_TIERS = ("abuse_strong", "abuse_mild", "insult")


@dataclass(frozen=True, slots=True)
class _Lexicons:
    """The rule's word lists compiled for word-by-word lookup."""

    words: Matcher
    groups: PhraseSet
    dehumanising: PhraseSet
    violence: PhraseSet
    inferiority: PhraseSet
    hostility: PhraseSet
    condemnation: PhraseSet


def check(text: NormalisedText, context: ModerationContext, rule) -> FilterResult:
    """Score the gravest attack on a group found, with every finding as evidence."""
    lexicons = _lexicons(rule)
    params = rule.params
    hits = lexicons.words.find(text)
    abuse = [(hit.start, hit.end) for hit in hits if hit.tier in ABUSE_TIERS]
    findings = _slurs(text, hits, params) + _group_attacks(text, abuse, lexicons, params)
    findings += [(params["phrase_score"], hit.start, hit.end, "hateful slogan") for hit in hits if hit.tier == "phrase"]
    if not findings:
        return FilterResult()
    findings.sort(key=lambda finding: finding[1])
    spans = tuple(text.span(start, end) for _, start, end, _ in findings)
    kinds = ", ".join(dict.fromkeys(kind for _, _, _, kind in findings))
    quoted = ", ".join(f'"{span.text}"' for span in spans[:3])
    return FilterResult(round(max(f[0] for f in findings), 3), spans, f"{kinds.capitalize()}: {quoted}.")


@lru_cache(maxsize=16)
def _lexicons(rule) -> _Lexicons:
    """Compile the rule's lexicons once per policy (rules hash by identity); the word lists that are matched
    anywhere in the comment share one matcher, so the comment is scanned once for all of them."""
    lex = rule.lexicons
    return _Lexicons(
        words=compile_lexicons({"strong": lex["slurs_strong"], "mild": lex["slurs_mild"], "phrase": lex["phrases"],
                                "abuse_strong": lex["abuse_strong"], "abuse_mild": lex["abuse_mild"],
                                "insult": lex["insults"]}),
        groups=PhraseSet(lex["groups"]),
        dehumanising=PhraseSet(lex["dehumanising"]),
        violence=PhraseSet(lex["violence"]),
        inferiority=PhraseSet(lex["inferiority"]),
        hostility=PhraseSet(lex["hostility"]),
        condemnation=PhraseSet(lex["condemnation"]),
    )


def _slurs(text: NormalisedText, hits, params) -> list:
    """Slurs, except a reclaimed mild one that writers use of themselves (as a dyke, I ...)."""
    found = []
    tokens = None
    for hit in hits:
        if hit.tier not in SLUR_TIERS:
            continue
        if hit.tier == "mild":
            tokens = tokens or [w for w, _, _ in text.words]
            index = next((i for i, (_, s, _) in enumerate(text.words) if s == hit.start), 0)
            if index and tokens[index - 1] in SELF_NAMING:
                continue
        found.append((params[f"{hit.tier}_slur_score"], hit.start, hit.end, "slur"))
    return found


def _group_attacks(text: NormalisedText, abuse, lexicons: _Lexicons, params) -> list:
    """For each group named, what its sentence says of it, discounted if the sentence condemns it."""
    if lexicons.groups.first.keys().isdisjoint(text.vocabulary):
        return []
    words = text.words
    tokens = [w for w, _, _ in words]
    if "t" in text.vocabulary:
        tokens = ["not" if w == "t" and i and tokens[i - 1].endswith("n") else w for i, w in enumerate(tokens)]
    mentions = lexicons.groups.find_all(tokens)
    if not mentions:
        return []
    ends = [m.end() for m in _SENTENCE_END.finditer(text.text)]
    found = []
    for first, last in mentions:
        lo, hi = _sentence_tokens(words, ends, first, last)
        attack = _attack_on(tokens, first, last, lo, hi, lexicons, params)
        if attack:
            attack = (attack[0], words[attack[1]][1], words[attack[2] - 1][2], attack[3])
        else:
            attack = _abuse_near(abuse, text.text, words, first, last, lo, hi, params)
        if attack:
            score, start, end, kind = attack
            if lexicons.condemnation.find(tokens, lo, hi):
                score *= params["condemned_factor"]
            found.append((score, start, end, kind))
    return found


def _sentence_tokens(words, ends, first, last) -> tuple[int, int]:
    """The token range of the sentence around a mention, at most BEFORE tokens before it and AFTER after it."""
    index = bisect.bisect_right(ends, words[first][1])
    sentence_start = ends[index - 1] if index else 0
    sentence_end = ends[index] if index < len(ends) else words[-1][2]
    lo = first
    while lo > max(0, first - BEFORE) and words[lo - 1][1] >= sentence_start:
        lo -= 1
    hi = last
    while hi < min(len(words), last + AFTER) and words[hi][1] < sentence_end:
        hi += 1
    return lo, hi


def _abuse_near(abuse, text, words, first, last, lo, hi, params):
    """Swearing close to a group mention within its sentence, as a character range from the group to the word."""
    low, high = words[lo][1], words[hi - 1][2]
    group_start, group_end = words[first][1], words[last - 1][2]
    reach = params["abuse_distance"]
    for start, end in abuse:
        between = text[group_end:start] if start >= group_end else text[end:group_start]
        if low <= start < high and group_start - reach <= start and end <= group_end + reach \
                and not _NEGATED.search(between):
            return params["abuse_score"], min(start, group_start), max(end, group_end), "abuse aimed at a group"
    return None


def _attack_on(tokens, first, last, lo, hi, lexicons: _Lexicons, params):
    """The gravest thing a sentence says of one group mention: violence, dehumanisation or a generalisation."""
    before = _skip_back(tokens, first, max(lo, first - BEFORE), DETERMINERS | INTENSIFIERS)
    start = lexicons.violence.ends_at(tokens, before, max(lo, before - 4))
    if start is not None:
        return params["violence_score"], start, last, "call for violence or exclusion"
    start = lexicons.hostility.ends_at(tokens, before, max(lo, before - 3))
    if start is not None:
        return params["hostility_score"], start, last, "hostility to a group"
    after = _skip(tokens, last, hi, MODALS)
    if after > last:
        hit = lexicons.violence.find(tokens, after, min(hi, after + 3))
        if hit:
            return params["violence_score"], first, hit[1], "call for violence or exclusion"
    return _generalisation(tokens, first, last, lo, hi, before, lexicons, params)


def _generalisation(tokens, first, last, lo, hi, before, lexicons: _Lexicons, params):
    """A group said to be vermin or criminal: after a copula (X are ...), in a question (why are X so ...),
    as a name (calls X vermin) or as an epithet (filthy X); a negation clears it unless it denies humanity."""
    opener = tokens[before - 1] if before > lo else ""
    verb = _skip(tokens, last, hi, REFLEXIVES)
    if verb < hi and tokens[verb] in COPULAS:
        start = verb + 1
    elif opener in QUESTION_OPENERS or opener in CALLING:
        start = last
    else:
        return _epithet(tokens, first, last, lo, hi, lexicons, params)
    stop = min(hi, start + GAP)
    for predicates, key, kind in ((lexicons.dehumanising, "dehumanising_score", "dehumanising language"),
                                  (lexicons.inferiority, "generalisation_score", "generalisation about a group")):
        hit = predicates.find(tokens, start, stop)
        if hit and (tokens[hit[0]] in NEGATIONS or NEGATIONS.isdisjoint(tokens[start:hit[0]])):
            return params[key], first, hit[1], kind
    return None


def _epithet(tokens, first, last, lo, hi, lexicons: _Lexicons, params):
    """A group named with a slighting word beside it: "filthy Chinese", "religious cockroaches"."""
    if last < hi and lexicons.dehumanising.match_at(tokens, last, hi):
        return params["generalisation_score"], first, last + 1, "generalisation about a group"
    for predicates in (lexicons.dehumanising, lexicons.inferiority):
        start = predicates.ends_at(tokens, first, max(lo, first - 3))
        if start is not None:
            return params["generalisation_score"], start, last, "generalisation about a group"
    return None


def _skip(tokens, index, stop, words) -> int:
    """The first index at or after `index` whose token is not in `words`."""
    while index < stop and tokens[index] in words:
        index += 1
    return index


def _skip_back(tokens, index, stop, words) -> int:
    """Walk back from `index` over tokens in `words`, not past `stop`."""
    while index > stop and tokens[index - 1] in words:
        index -= 1
    return index
