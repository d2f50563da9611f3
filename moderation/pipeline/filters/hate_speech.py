"""Flags attacks on people for who they are: slurs, and a group (named, pointed at, or referred back to) called
subhuman, threatened, told to leave, or generalised as criminal, inferior or destructive (statements, negations
and questions), discounted when the sentence condemns or reports it. Reads lexicons slurs_strong, slurs_mild,
gendered_slurs, groups, group_adjectives, people, places, references, dehumanising, violence, death_wishes, removal_verbs, removal_directions, inferiority, conduct, hostility,
phrases, insults, abuse_strong, abuse_mild, condemnation and params *_score, reference_factor, condemned_factor and
the grammar's word classes (determiners, intensifiers, copulas, modals, question_openers, calling_verbs, reflexives,
auxiliaries, negations, self_naming, self_naming_fillers, pronouns, subject_pronouns, demonstratives, aiming_words)."""
from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from moderation.pipeline.learned import combine
from moderation.pipeline.matching import Matcher, PhraseSet, compile_lexicons, written_as_a_name
from moderation.pipeline.normalise import NormalisedText
from moderation.pipeline.types import FilterResult, ModerationContext, explained

_SENTENCE_END = re.compile(r"[.!?;\n]+")
# A passage in quotation marks, single or double: an apostrophe inside a word (don't) opens none.
_QUOTED = re.compile(r"(?<!\w)(['\"])[^'\"\n]{2,300}\1(?!\w)")
_NEGATED = re.compile(r"\b(?:not|never|no)\b|n't")
_CONTRACTED_NOT = re.compile(r"n't\b")
BEFORE, AFTER, GAP = 6, 10, 6
# The lists found in one pass over the tokens (see _scan).
_MENTIONED = ("groups", "group_adjectives", "places", "references")
_SCANNED = (*_MENTIONED, "condemnation", "death_wishes")
_MARKERS = ("pointers", "predicates")
# What a "t" after a word ending in "n" is read as ("isn't" is "isn", "t"): see _group_attacks.
_NOT = frozenset(["not"])
SLUR_TIERS = ("strong", "mild")
ABUSE_TIERS = ("abuse_strong", "abuse_mild", "insult")


@dataclass(frozen=True, slots=True)
class _Lexicons:
    """The rule's word lists compiled for word-by-word lookup."""

    words: Matcher
    gendered_slurs: frozenset[str]
    insults: frozenset[str]
    groups: PhraseSet
    group_adjectives: PhraseSet
    people: frozenset[str]
    places: PhraseSet
    references: PhraseSet
    dehumanising: PhraseSet
    violence: PhraseSet
    death_wishes: PhraseSet
    removal_verbs: frozenset[str]
    removal_directions: PhraseSet
    inferiority: PhraseSet
    conduct: PhraseSet
    hostility: PhraseSet
    condemnation: PhraseSet
    determiners: frozenset[str]
    copulas: frozenset[str]
    modals: frozenset[str]
    question_openers: frozenset[str]
    calling_verbs: frozenset[str]
    reflexives: frozenset[str]
    auxiliaries: frozenset[str]
    negations: frozenset[str]
    self_naming: frozenset[str]
    self_naming_fillers: frozenset[str]
    pronouns: frozenset[str]
    subject_pronouns: frozenset[str]
    demonstratives: frozenset[str]
    aiming_words: frozenset[str]
    openers: dict[str, tuple[str, ...]]
    mention_words: frozenset[str]
    attack_words: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Mention:
    """A group in the token list: named, or pointed at ("these people", "them") with the reference factor;
    `adjective` when only a group adjective or a country names it (only slighting words and swearing right
    beside it count, and for a country a call for violence before it: "nuke China"), `called` when the words
    pointing at it are themselves dehumanising and slighting ("those filthy rats": "these animals" alone may
    be animals)."""

    first: int
    last: int
    factor: float = 1.0
    adjective: bool = False
    called: bool = False
    place: bool = False


def check(text: NormalisedText, context: ModerationContext, rule) -> FilterResult:
    """Score the gravest attack on a group found, with every finding as evidence; a quoted one (someone else's words:
    a father's story of what was yelled at him) scores at most params quoted_score. A strong slur stands alone; the
    grammar's other findings stand when the learned model confirms them, and the model alone may hold for review
    unless the comment condemns or reports hate (which a bag of words cannot tell from hate)."""
    lexicons = _lexicons(rule)
    params = rule.params
    hits = lexicons.words.find(text)
    abuse = [(hit.start, hit.end) for hit in hits if hit.tier in ABUSE_TIERS and not written_as_a_name(text, hit)]
    findings = _slurs(text, hits, lexicons, params) + _aimed_slurs(text, lexicons, params)
    findings += _group_attacks(text, abuse, lexicons, params)
    findings += [(params["phrase_score"], hit.start, hit.end, "hateful slogan") for hit in hits if hit.tier == "phrase"]
    quoted = [match.span() for match in _QUOTED.finditer(text.text)]
    findings = [(min(score, params["quoted_score"]), start, end, kind)
                if any(first <= start and end <= last for first, last in quoted) else (score, start, end, kind)
                for score, start, end, kind in findings]
    certain = any(kind == "slur" and score >= params["strong_slur_score"] for score, _, _, kind in findings)
    return combine(_result(text, findings), text, rule.model, certain,
                   countered=lambda _: bool(_scan(list(text.tokens), lexicons)["condemnation"]))


def _result(text: NormalisedText, findings: list) -> FilterResult:
    """The grammar's finding: the gravest score, every finding's span, and their kinds."""
    if not findings:
        return FilterResult()
    findings.sort(key=lambda finding: finding[1])
    spans = tuple(text.span(start, end) for _, start, end, _ in findings)
    kinds = ", ".join(dict.fromkeys(kind for _, _, _, kind in findings))
    return FilterResult(round(max(f[0] for f in findings), 3), spans, explained(kinds, spans))


@lru_cache(maxsize=16)
def _lexicons(rule) -> _Lexicons:
    """Compile the rule's lexicons and grammar words (params) once per policy (rules hash by identity); the word
    lists that are matched anywhere in the comment share one matcher, so the comment is scanned once for all of them."""
    lex, params = rule.lexicons, rule.params
    reflexives = frozenset(params["reflexives"])
    groups, references = _phrases(lex["groups"]), _phrases(lex["references"])
    lexicons = _Lexicons(
        words=compile_lexicons({"strong": lex["slurs_strong"], "mild": lex["slurs_mild"], "phrase": lex["phrases"],
                                "abuse_strong": lex["abuse_strong"], "abuse_mild": lex["abuse_mild"],
                                "insult": lex["insults"]}),
        gendered_slurs=frozenset(lex["gendered_slurs"]),
        insults=frozenset(lex["insults"]),
        groups=groups,
        group_adjectives=_phrases(lex["group_adjectives"]),
        people=frozenset(lex["people"]),
        places=_phrases(lex["places"]),
        references=references,
        dehumanising=_phrases(lex["dehumanising"]),
        violence=_phrases(lex["violence"]),
        death_wishes=_phrases(lex["death_wishes"]),
        removal_verbs=frozenset(lex["removal_verbs"]),
        removal_directions=_phrases(lex["removal_directions"]),
        inferiority=_phrases(lex["inferiority"]),
        conduct=_phrases(lex["conduct"]),
        hostility=_phrases(lex["hostility"]),
        condemnation=_phrases(lex["condemnation"]),
        determiners=frozenset(params["determiners"]) | frozenset(params["intensifiers"]),
        copulas=frozenset(params["copulas"]),
        modals=frozenset(params["modals"]),
        question_openers=frozenset(params["question_openers"]),
        calling_verbs=frozenset(params["calling_verbs"]),
        reflexives=reflexives,
        auxiliaries=reflexives | frozenset(params["auxiliaries"]),
        negations=frozenset(params["negations"]),
        self_naming=frozenset(params["self_naming"]),
        self_naming_fillers=frozenset(params["self_naming_fillers"]),
        pronouns=frozenset(params["pronouns"]),
        subject_pronouns=frozenset(params["subject_pronouns"]),
        demonstratives=frozenset(params["demonstratives"]),
        aiming_words=frozenset(params["aiming_words"]),
        openers={},
        mention_words=frozenset(),
        attack_words=frozenset(),
    )
    lists = {"groups": lexicons.groups, "group_adjectives": lexicons.group_adjectives, "places": lexicons.places,
             "references": lexicons.references, "condemnation": lexicons.condemnation,
             "death_wishes": lexicons.death_wishes}
    openers: dict[str, tuple[str, ...]] = {}
    for name, phrases in lists.items():
        for word in phrases.first:
            openers[word] = (*openers.get(word, ()), name)
    for word in lexicons.demonstratives | lexicons.pronouns:
        openers[word] = (*openers.get(word, ()), "pointers")
    predicates = (lexicons.dehumanising, lexicons.violence, lexicons.inferiority, lexicons.conduct,
                  lexicons.hostility, lexicons.removal_directions)
    predicate_words = _key_words(*predicates)
    for word in predicate_words:
        openers[word] = (*openers.get(word, ()), "predicates")
    mention_words = lexicons.demonstratives | _key_words(*(lists[name] for name in _MENTIONED))
    attack_words = predicate_words | _key_words(lexicons.death_wishes)
    return dataclasses.replace(lexicons, openers=openers, mention_words=mention_words, attack_words=attack_words)


def _entries(phrases: PhraseSet) -> Iterator[tuple[str, ...]]:
    """Every entry of a phrase set (inflections included) as a tuple of words."""
    for first, rests in phrases.first.items():
        for rest in rests:
            yield (first, *rest)


def _key_words(*phrase_sets: PhraseSet) -> frozenset[str]:
    """One key word of every entry: a comment holding none of them holds no entry of these sets."""
    return frozenset(_key_word(phrase) for phrases in phrase_sets for phrase in _entries(phrases))


def _key_word(phrase: tuple[str, ...]) -> str:
    """The word an entry cannot be found without, chosen to be rare: its longest ("a joke" -> "joke")."""
    return max(phrase, key=len)


def _phrases(entries: Iterable[str]) -> PhraseSet:
    """A phrase set whose contractions read as the tokens do: "don't belong" is looked up as "don not belong"."""
    return PhraseSet(_CONTRACTED_NOT.sub("n not", entry) for entry in entries)


def _slurs(text: NormalisedText, hits, lexicons: _Lexicons, params) -> list:
    """Slurs, except a reclaimed mild one that writers use of themselves (as a dyke, I'm a queer, we dykes)."""
    found = []
    tokens = None
    for hit in hits:
        if hit.tier not in SLUR_TIERS:
            continue
        if hit.tier == "mild":
            tokens = tokens or [w for w, _, _ in text.words]
            index = next((i for i, (_, s, _) in enumerate(text.words) if s == hit.start), 0)
            if _self_named(tokens, index, lexicons):
                continue
        found.append((params[f"{hit.tier}_slur_score"], hit.start, hit.end, "slur"))
    return found


def _aimed_slurs(text: NormalisedText, lexicons: _Lexicons, params) -> list:
    """A misogynist slur aimed at someone: after "you" or a slighting word ("fat", "stupid"), within two words."""
    if lexicons.gendered_slurs.isdisjoint(text.vocabulary):
        return []
    words = text.words
    aiming = lexicons.aiming_words | lexicons.insults
    found = []
    for index in (i for i, (word, _, _) in enumerate(words) if word in lexicons.gendered_slurs):
        pointer = next((i for i in (index - 1, index - 2) if i >= 0 and words[i][0] in aiming), None)
        if pointer is not None:
            found.append((params["gendered_slur_score"], words[pointer][1], words[index][2], "misogynist slur"))
    return found


def _self_named(tokens: list[str], index: int, lexicons: _Lexicons) -> bool:
    """Whether the word at `index` follows "as a", "I'm a", "we", "proud" and the like."""
    before = _skip_back(tokens, index, max(0, index - 2), lexicons.self_naming_fillers)
    return before > 0 and tokens[before - 1] in lexicons.self_naming


def _group_attacks(text: NormalisedText, abuse, lexicons: _Lexicons, params) -> list:
    """For each group named or pointed at, what its sentence says of it, discounted if the sentence condemns it."""
    vocabulary = text.vocabulary
    if "t" in vocabulary:
        vocabulary = vocabulary | _NOT
    if lexicons.mention_words.isdisjoint(vocabulary):
        return []
    # Without swearing, only a word that may say something of a group (or a death wish) can make a finding.
    if not abuse and lexicons.attack_words.isdisjoint(vocabulary):
        return []
    words = text.words
    tokens = list(text.tokens)
    if "t" in vocabulary:
        tokens = ["not" if w == "t" and i and tokens[i - 1].endswith("n") else w for i, w in enumerate(tokens)]
    found_at = _scan(tokens, lexicons)
    mentions = _mentions(tokens, found_at, lexicons, params["reference_factor"])
    if not mentions:
        return []
    condemned, predicates = found_at["condemnation"], found_at["predicates"]
    ends = [m.end() for m in _SENTENCE_END.finditer(text.text)]
    found = _death_wish(tokens, words, mentions, found_at["death_wishes"], lexicons, params)
    for mention in mentions:
        first, last = mention.first, mention.last
        said = _within(predicates, max(0, first - BEFORE), last + AFTER)
        if not (said or abuse or mention.called):
            continue
        lo, hi = _sentence_tokens(words, ends, first, last)
        if not (said and _within(predicates, lo, hi)):
            attack = None
        elif mention.adjective:
            attack = _epithet(tokens, first, last, lo, hi, lexicons, params) or \
                (mention.place and _violence_before(tokens, first, lo, lexicons, params, last))
        else:
            attack = _attack_on(tokens, first, last, lo, hi, lexicons, params)
        if not attack and mention.called and not lexicons.insults.isdisjoint(tokens[first + 1:last - 1]):
            attack = params["dehumanising_score"], first, last, "dehumanising language"
        if attack:
            attack = (attack[0], words[attack[1]][1], words[attack[2] - 1][2], attack[3])
        elif mention.factor == 1:
            reach = params["abuse_distance"] if not mention.adjective else params["adjective_abuse_distance"]
            attack = _abuse_near(abuse, text.text, words, first, last, lo, hi, params["abuse_score"], reach)
        if attack:
            score, start, end, kind = attack
            score *= mention.factor
            if _within(condemned, lo, hi):
                score *= params["condemned_factor"]
            found.append((score, start, end, kind))
    return found


def _death_wish(tokens, words, mentions, wishes: list[tuple[int, int]], lexicons: _Lexicons, params) -> list:
    """Death wished on the reader ("kill yourself", not "don't kill yourself") in a comment that names a group
    or calls the reader by one ("you're autistic"): held for review."""
    wishes = [(first, last) for first, last in wishes if not (first and tokens[first - 1] in lexicons.negations)]
    if not wishes or not any(mention.factor == 1 and not mention.place for mention in mentions):
        return []
    score = params["violence_score"] * params["reference_factor"]
    first, last = wishes[0]
    return [(score, words[first][1], words[last - 1][2], "death wished on someone for who they are")]


def _scan(tokens: list[str], lexicons: _Lexicons) -> dict[str, list[tuple[int, int]]]:
    """One pass over the tokens for every list whose entries mark a group or a condemnation: per list, its
    entries found (leftmost longest, not overlapping) as token ranges; "pointers" lists the lone demonstratives
    and pronouns, "predicates" the key word of anything that may be said of a group (a sentence with none
    says nothing of the group it names, and is not looked at further)."""
    openers, length = lexicons.openers, len(tokens)
    found: dict[str, list[tuple[int, int]]] = {name: [] for name in (*_SCANNED, "pointers", "predicates")}
    done = dict.fromkeys(found, 0)
    for index in [i for i, token in enumerate(tokens) if token in openers]:
        for name in openers[tokens[index]]:
            if index < done[name]:
                continue
            size = 1 if name in _MARKERS else getattr(lexicons, name).match_at(tokens, index, length)
            if size:
                found[name].append((index, index + size))
                done[name] = index + size
    return found


def _within(ranges: list[tuple[int, int]], lo: int, hi: int) -> bool:
    """Whether a range of `ranges` (sorted) lies within tokens [lo, hi)."""
    index = bisect.bisect_left(ranges, (lo, lo))
    return index < len(ranges) and ranges[index][1] <= hi


def _mentions(tokens: list[str], found_at, lexicons: _Lexicons, reference_factor: float) -> list[_Mention]:
    """Groups named (a group adjective before a word for people names one too: "white guys"); groups pointed at
    ("these people", "these dogs"); and, once a group is named, the pronouns after it that may stand for it.
    Leftmost first, longest first, not overlapping."""
    candidates = []
    for first, last in found_at["groups"]:
        # A group word used as an adjective takes the word for people after it ("Cuban rafters are rats").
        noun = next((i for i in range(last, min(len(tokens), last + 2)) if tokens[i] in lexicons.people), None)
        candidates.append(_Mention(first, last if noun is None else noun + 1))
    for first, last in found_at["group_adjectives"]:
        noun = next((i for i in range(last, min(len(tokens), last + 3)) if tokens[i] in lexicons.people), None)
        candidates.append(_Mention(first, noun + 1) if noun is not None else _Mention(first, last, adjective=True))
    candidates += [_Mention(first, last, adjective=True, place=True) for first, last in found_at["places"]]
    candidates += [_Mention(first, last, reference_factor) for first, last in found_at["references"]]
    pointers = [index for index, _ in found_at["pointers"]]
    candidates += [_Mention(first, last, reference_factor, called=True)
                   for first, last in _called_by_name(tokens, pointers, lexicons)]
    named = [mention.last for mention in candidates if mention.factor == 1 and not mention.adjective]
    if named:
        candidates += [_Mention(i, i + 1, reference_factor) for i in pointers
                       if i >= min(named) and tokens[i] in lexicons.pronouns]
    mentions, done = [], 0
    for mention in sorted(candidates, key=lambda m: (m.first, -m.last)):
        if mention.first >= done:
            mentions.append(mention)
            done = mention.last
    return mentions


def _called_by_name(tokens: list[str], pointers: list[int], lexicons: _Lexicons) -> list[tuple[int, int]]:
    """A demonstrative and, within two words, a dehumanising name: "these dogs", "those filthy leeches"."""
    found = []
    dehumanising = lexicons.dehumanising
    for index in (i for i in pointers if tokens[i] in lexicons.demonstratives):
        for name in range(index + 1, min(len(tokens), index + 4)):
            length = dehumanising.match_at(tokens, name, len(tokens))
            if length:
                found.append((index, name + length))
                break
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


def _abuse_near(abuse, text, words, first, last, lo, hi, score, reach):
    """Swearing within `reach` characters of a group mention in its sentence, as a character range from the
    group to the word."""
    low, high = words[lo][1], words[hi - 1][2]
    group_start, group_end = words[first][1], words[last - 1][2]
    for start, end in abuse:
        between = text[group_end:start] if start >= group_end else text[end:group_start]
        if low <= start < high and group_start - reach <= start and end <= group_end + reach \
                and not _NEGATED.search(between):
            return score, min(start, group_start), max(end, group_end), "abuse aimed at a group"
    return None


def _attack_on(tokens, first, last, lo, hi, lexicons: _Lexicons, params):
    """The gravest thing a sentence says of one group mention: violence, removal, dehumanisation, a
    generalisation or hostility."""
    before = _skip_back(tokens, first, max(lo, first - BEFORE), lexicons.determiners)
    if tokens[first] in lexicons.subject_pronouns:
        lo = before = first
    attack = _violence_before(tokens, first, lo, lexicons, params, last)
    if attack:
        return attack
    removal = _removal(tokens, before, last, lo, hi, lexicons)
    if removal:
        return params["violence_score"], removal[0], removal[1], "call for violence or exclusion"
    after = _skip(tokens, last, hi, lexicons.modals)
    if after > last:
        hit = lexicons.violence.find(tokens, after, min(hi, after + 3))
        if hit and not _reported(tokens, last, hit[0]):
            return params["violence_score"], first, hit[1], "call for violence or exclusion"
    attack = _generalisation(tokens, first, last, lo, hi, before, lexicons, params) or \
        _conduct(tokens, first, last, hi, lexicons, params)
    if attack:
        return attack
    # "I hate all Muslims", and "I don't like Muslims" (where "like" is also a filler word skipped above).
    for end in dict.fromkeys((before, first)):
        start = lexicons.hostility.ends_at(tokens, end, max(lo, end - 3))
        if start is not None:
            return params["hostility_score"], start, last, "hostility to a group"
    return None


def _reported(tokens, last, violence: int) -> bool:
    """Violence told as done, in the passive ("women have been murdered", "migrants were deported"), not called for
    ("migrants should be deported")."""
    return tokens[violence].endswith("ed") and not {"been", "were", "was"}.isdisjoint(tokens[last:violence])


def _violence_before(tokens, first, lo, lexicons: _Lexicons, params, last=None):
    """A call for violence just before the group ("kill all the X", "nuke China"); a past tense ("deported
    more Mexicans", "banned Islam") reports what was done and does not count."""
    before = _skip_back(tokens, first, max(lo, first - BEFORE), lexicons.determiners)
    start = lexicons.violence.ends_at(tokens, before, max(lo, before - 4))
    if start is not None and not tokens[start].endswith("ed"):
        return params["violence_score"], start, last or first + 1, "call for violence or exclusion"
    return None


def _removal(tokens, before, last, lo, hi, lexicons: _Lexicons) -> tuple[int, int] | None:
    """A verb of removal just before the group (one describing word may come between) and a direction just
    after it: "send them all back", "kick the lazy X out"."""
    verb = next((i for i in (before - 1, before - 2) if i >= lo and tokens[i] in lexicons.removal_verbs), None)
    if verb is None:
        return None
    after = _skip(tokens, last, hi, lexicons.reflexives)
    for index in range(after, min(hi, after + 2)):
        length = lexicons.removal_directions.match_at(tokens, index, hi)
        if length:
            return verb, index + length
    return None


def _conduct(tokens, first, last, hi, lexicons: _Lexicons, params):
    """A group said to do harm as a whole: "X ruin everything", "X will never change", "X don't belong here"."""
    verb = _skip(tokens, last, hi, lexicons.auxiliaries)
    length = lexicons.conduct.match_at(tokens, verb, hi) if verb < hi else 0
    if length:
        return params["generalisation_score"], first, verb + length, "generalisation about a group"
    return None


def _generalisation(tokens, first, last, lo, hi, before, lexicons: _Lexicons, params):
    """A group said to be vermin or criminal: after a copula (X are ...), in a question (why are X so ...),
    as a name (calls X vermin) or as an epithet (filthy X); a negation clears it unless it denies humanity."""
    # "Aren't X ...?": the question opener stands before the negation.
    negations = lexicons.negations
    opener_at = before - 2 if before - 1 > lo and tokens[before - 1] in negations else before - 1
    opener = tokens[opener_at] if opener_at >= lo else ""
    verb = _skip(tokens, last, hi, lexicons.reflexives)
    if verb < hi and tokens[verb] in lexicons.copulas:
        start = verb + 1
    elif opener in lexicons.question_openers or opener in lexicons.calling_verbs:
        start = last
    else:
        return _epithet(tokens, first, last, lo, hi, lexicons, params)
    stop = min(hi, start + GAP)
    for predicates, key, kind in ((lexicons.dehumanising, "dehumanising_score", "dehumanising language"),
                                  (lexicons.inferiority, "generalisation_score", "generalisation about a group")):
        hit = predicates.find(tokens, start, stop)
        if hit and (tokens[hit[0]] in negations or negations.isdisjoint(tokens[start:hit[0]])):
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
