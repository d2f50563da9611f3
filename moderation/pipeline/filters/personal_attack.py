"""Flags insults, belittling and threats aimed at someone in the conversation: the reader replied to, the writer, an @name.

Reads the rule's params `threat_score`, `insult_score`, `belittling_score`, `loose_score`, `public_figures`
("none", "review" or "reject": what an insult said of a third person, such as a politician or "these people", earns)
and `third_person_score` (the score "review" gives), and its lexicons `insults_strong`, `insults`,
`insult_adjectives`, `threats`, `attack_phrases`, `belittling`, `conversation_targets`, `persons` (nouns naming
people: "stupid voters") and `qualities` ("his stupidity"); compound insults coined on the spot ("turd-breath",
"pea-brained") are recognised by their parts (lexicons `coined_*`). The grammar's word lists are the lexicons
`common_words`, `fillers`, `neutral_persons`, `also_things`, `innocent_pairs`, `things`, `public_offices`,
`vocative_cues` and the params from `spoken_forms` to `reporting_verbs` (closed classes such as copulas and pronouns).
Criticism of an argument or a policy aims no insult at a person, and passes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING

from moderation.pipeline.learned import HeadScore, combine
from moderation.pipeline.normalise import normalise
from moderation.pipeline.types import FilterResult, ModerationContext, explained

if TYPE_CHECKING:
    from moderation.pipeline.normalise import NormalisedText
    from moderation.policy import Rule

# Words (with a contraction or a mask), commas and sentence ends; sentence ends are first all written "." and
# a run of them is one token ".".
_TOKEN = re.compile(r"[a-z0-9][a-z0-9*]*(?:'[a-z]+)?|\.(?!\.)|,")
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
_SENTENCE_ENDS = str.maketrans("!?;:\n", ".....")
# Plain words, to test cheaply whether a comment holds any word that could start a finding.
_RAW_WORD = re.compile(r"[a-z0-9]+")
_QUOTED = re.compile(r'"[^"\n]{3,400}"')
_MENTION = re.compile(r"(?<![\w@])@\w")
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;\n]*")
_STRETCHED = re.compile(r"([a-z])\1\1")
_DOUBLE = re.compile(r"([a-z])\1")

_PUNCTUATION = frozenset(".,")
# Contractions are morphology, not word lists: "you're" is "you", "are"; "won't" is "will", "not".
_SUFFIXES = {"re": ("are",), "m": ("am",), "ll": ("will",), "ve": ("have",), "d": ("would",), "s": ("'s",)}
_NEGATIVE_STEMS = {"won": "will", "can": "can", "ain": "is", "don": "do", "shan": "shall"}

_LABELS = {
    "threat": "threat aimed at a reader",
    "attack": "attack on the reader addressed",
    "belittling": "belittling the reader addressed",
    "direct": "insult aimed at a person in the conversation",
    "loose": "insult near a word addressing the reader",
    "third": "insult of a third person",
}
_PHRASE_KINDS = {"threats": "threat", "attack_phrases": "attack", "belittling": "belittling"}
_SCORE_PARAMS = {"threat": "threat_score", "attack": "insult_score", "direct": "insult_score",
                 "belittling": "belittling_score", "loose": "loose_score"}


@dataclass(frozen=True, slots=True)
class _Hit:
    """One finding before scoring: its kind and its range in normalised text."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Spoken:
    """Chat spellings ("u", "gonna") and the words they stand for, with a pattern that finds any of them."""

    forms: dict
    pattern: re.Pattern


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """A rule's word lists, compiled once into sets and phrase indexes."""

    strong: frozenset
    nouns: frozenset
    adjectives: frozenset
    compounds: dict
    targets: frozenset
    persons: frozenset
    qualities: frozenset
    people_words: frozenset
    readers: frozenset
    phrases: dict
    squeezed: dict
    maskable: tuple
    triggers: frozenset
    spoken: _Spoken
    coined: re.Pattern
    coined_words: frozenset
    common: frozenset
    fillers: frozenset
    person_nouns: frozenset
    also_things: frozenset
    innocent_pairs: frozenset
    things: frozenset
    public_offices: frozenset
    vocative_cues: frozenset
    you: frozenset
    your: frozenset
    copulas: frozenset
    adverbs: frozenset
    negations: frozenset
    negated: frozenset
    not_vocative: frozenset
    after_predicate: frozenset
    after_insult: frozenset
    body: frozenset
    not_body_insult: frozenset
    auxiliary_verbs: frozenset
    third_pronouns: frozenset
    possessives: frozenset
    first_persons: frozenset
    first_objects: frozenset
    feeling: frozenset
    verbs_after_a_subject: frozenset
    determiners: frozenset
    pointing_away: frozenset
    relative_pronouns: frozenset
    writing_verbs: frozenset
    not_imperative: frozenset
    reporting: frozenset


@dataclass(frozen=True, slots=True)
class _Scan:
    """What the matcher needs while it walks one comment."""

    tokens: list
    lexicon: _Lexicon
    mentions: frozenset
    origin: list
    original: str
    coined: frozenset


def check(text: NormalisedText, context: ModerationContext, rule: Rule) -> FilterResult:
    """Score a comment by its worst attack on a person, with the words that make it as evidence. The grammar's
    finding stands unless its kind is one of params `model_confirms` (an insult of a third person, one loosely near
    "you"), which stands only when the learned model confirms it; the model alone may hold for review."""
    lexicon = _lexicon(rule)
    result, kind = _attacks(text, lexicon, rule)
    return combine(result, text, rule.model, certain=kind not in rule.params["model_confirms"],
                   countered=lambda evidence: _not_an_attack(text, evidence, lexicon, rule))


def _not_an_attack(text: NormalisedText, evidence: HeadScore, lexicon: _Lexicon, rule: Rule) -> bool:
    """What the grammar knows and a bag of words does not: a comment that speaks to or of no one criticises a thing
    ("a ridiculous failure of policy"); an insult negated ("you're not stupid") or quoted (he shouted "idiot") is no
    attack; and swearing alone ("damn") is the profanity rule's (lexicons `judged_elsewhere_*`)."""
    people = lexicon.people_words if rule.params.get("public_figures", "review") != "none" else lexicon.readers
    if people.isdisjoint(text.vocabulary):
        return True
    words = [span for span in evidence.spans if normalise(span.text).text not in _judged_elsewhere(rule)]
    quoted = [(text.span(start, end).start, text.span(start, end).end) for start, end in _quoted_ranges(text.text)]
    sentences = [(match.start(), match.end(), match.group()) for match in _SENTENCE.finditer(text.original)]
    for span in words:
        if _inside(span.start, quoted):
            continue
        sentence = next((body for start, end, body in sentences if start <= span.start < end), "")
        if lexicon.negated.isdisjoint(normalise(sentence).vocabulary):
            return False
    return True


@lru_cache(maxsize=16)
def _judged_elsewhere(rule: Rule) -> frozenset[str]:
    """The single words other rules judge (swearing, slurs): evidence the model finds in them is not an attack."""
    return frozenset(entry.strip("+*") for name, entries in rule.lexicons.items()
                     if name.startswith("judged_elsewhere") for entry in entries if " " not in entry)


def _attacks(text: NormalisedText, lexicon: _Lexicon, rule: Rule) -> tuple[FilterResult, str | None]:
    """The rules' own finding: the worst attack on a person that the grammar reads, and its kind."""
    stretched = bool(_STRETCHED.search(text.plain.text if text.plain else text.text))
    # In ASCII text the normaliser's runs are exactly the plain words, already computed for every filter.
    words = text.runs if text.text.isascii() else _RAW_WORD.findall(text.text)
    coined = not lexicon.coined_words.isdisjoint(words) and lexicon.coined.search(text.text)
    if not (stretched or coined) and "*" not in text.text and lexicon.triggers.isdisjoint(words):
        return FilterResult(), None
    tokens = _tokens(text.text, lexicon.spoken, lexicon, stretched)
    if coined:
        tokens, coined = _join_coined(text.text, tokens, lexicon.coined)
    scan = _Scan(tokens, lexicon, _mention_offsets(text.original), text.origin, text.original, coined or frozenset())
    hits = _find(scan, _quoted_ranges(text.text))
    scored = [(_score(hit, rule), hit) for hit in hits]
    best = max((score for score, _ in scored), default=0.0)
    if best <= 0:
        return FilterResult(), None
    worst = next(hit for score, hit in scored if score == best)
    floor = min(best, rule.review_threshold)
    spans = tuple(text.span(start, end) for start, end in _merged(hit for score, hit in scored if score >= floor))
    return FilterResult(best, spans, explained(_LABELS[worst.kind], spans)), worst.kind


def _merged(hits) -> list[tuple[int, int]]:
    """The hits' ranges in order, overlapping ones joined ("stupid" and "stupid idiot" are one piece of evidence)."""
    ranges: list[tuple[int, int]] = []
    for start, end in sorted((hit.start, hit.end) for hit in hits):
        if ranges and start < ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(end, ranges[-1][1]))
        else:
            ranges.append((start, end))
    return ranges


@lru_cache(maxsize=32)
def _lexicon(rule: Rule) -> _Lexicon:
    """Build, once per rule, the sets and phrase indexes the matcher looks words up in (lexicons and grammar params)."""
    lists, params = rule.lexicons, rule.params
    spoken = _spoken(params["spoken_forms"])
    common = frozenset(lists["common_words"])
    nouns = lists.get("insults_strong", ()) + lists.get("insults", ())
    compounds: dict[str, list[tuple[str, ...]]] = {}
    for noun in nouns:
        parts = _plain_tokens(noun, spoken)
        if len(parts) > 1:
            compounds.setdefault(parts[-1], []).append(parts[:-1])
    phrases: dict[str, list[tuple[tuple[str, ...], int, str]]] = {}
    for name, kind in _PHRASE_KINDS.items():
        for phrase in lists.get(name, ()):
            parts = _plain_tokens(phrase, spoken)
            key = _key_word(phrase, parts, common)
            phrases.setdefault(parts[key], []).append((parts, key, kind))
    words = [_joined(word) for word in nouns + lists.get("insult_adjectives", ())]
    firsts = tuple(dict.fromkeys(entry[0][0] for entries in phrases.values() for entry in entries))
    you, your = frozenset(params["you_words"]), frozenset(params["your_words"])
    third_pronouns, possessives = frozenset(params["third_pronouns"]), frozenset(params["possessives"])
    person_nouns = frozenset(lists["neutral_persons"])
    targets = frozenset(lists.get("conversation_targets", ()))
    persons = frozenset(_joined(word) for word in lists.get("persons", ()))
    negations = frozenset(params["negations"])
    coined, coined_words = _coined(lists)
    return _Lexicon(
        strong=frozenset(_joined(word) for word in lists.get("insults_strong", ())),
        nouns=frozenset(_joined(word) for word in nouns),
        adjectives=frozenset(_joined(word) for word in lists.get("insult_adjectives", ())),
        compounds={last: tuple(heads) for last, heads in compounds.items()},
        targets=targets,
        persons=persons,
        qualities=frozenset(lists.get("qualities", ())),
        readers=you | your | targets,
        people_words=(you | your | third_pronouns | possessives | person_nouns | frozenset(params["people_words"])
                      | targets | persons),
        phrases={first: tuple(entries) for first, entries in phrases.items()},
        squeezed={_DOUBLE.sub(r"\1", word): word for word in words + list(compounds)},
        maskable=tuple(words) + firsts + tuple(params["maskable_fillers"]),
        triggers=frozenset(words + [word + "s" for word in words] + [word + "es" for word in words]
                           + list(compounds) + list(phrases) + list(lists.get("qualities", ()))),
        spoken=spoken,
        coined=coined,
        coined_words=coined_words,
        common=common,
        # A comma is a token too: fillers may hold one ("a stupid, lying fool"), and one may follow an insult.
        fillers=frozenset(lists["fillers"]) | {","},
        person_nouns=person_nouns,
        also_things=frozenset(lists["also_things"]),
        innocent_pairs=frozenset(tuple(pair.split()) for pair in lists["innocent_pairs"]),
        things=frozenset(lists["things"]),
        public_offices=frozenset(lists["public_offices"]),
        vocative_cues=frozenset(lists["vocative_cues"]),
        you=you,
        your=your,
        copulas=frozenset(params["copulas"]),
        adverbs=frozenset(params["adverbs"]),
        negations=negations,
        negated=negations | frozenset(params["negated_words"]),
        not_vocative=frozenset(params["not_vocative"]),
        after_predicate=frozenset(params["after_predicate"]) | _PUNCTUATION,
        after_insult=frozenset(params["after_insult"]) | _PUNCTUATION,
        body=frozenset(params["body_words"]),
        not_body_insult=frozenset(params["not_body_insult"]),
        auxiliary_verbs=frozenset(params["auxiliary_verbs"]),
        third_pronouns=third_pronouns,
        possessives=possessives,
        first_persons=frozenset(params["first_persons"]),
        first_objects=frozenset(params["first_objects"]),
        feeling=frozenset(params["feeling_verbs"]),
        verbs_after_a_subject=frozenset(params["verbs_after_a_subject"]),
        determiners=frozenset(params["determiners"]),
        pointing_away=frozenset(params["pointing_away"]),
        relative_pronouns=frozenset(params["relative_pronouns"]),
        writing_verbs=frozenset(params["writing_verbs"]),
        not_imperative=frozenset(params["not_imperative"]),
        reporting=frozenset(params["reporting_verbs"]),
    )


def _spoken(forms) -> _Spoken:
    """The chat spellings of params `spoken_forms`, each standing for one or more words."""
    expanded = {spelling: tuple(words.split()) for spelling, words in forms.items()}
    return _Spoken(expanded, re.compile(rf"(?<![a-z0-9])(?:{'|'.join(map(re.escape, expanded))})(?![a-z0-9'])"))


def _coined(lists) -> tuple[re.Pattern, frozenset]:
    """Compound insults coined on the spot, from the coined_* lexicons: a crude first part (written joined, hyphenated
    or spaced) or a dull one (joined) with an ending ("turd-breath", "dick face", "meatbag"), boot-licker and its
    kin, and the adjectives "pea-brained" and "half-witted". Also the words whose presence sends a comment to the
    pattern (a joined compound, or a crude first part), enumerated so that a comment is screened by set lookups."""
    crude, dull, endings = lists["coined_crude"], lists["coined_dull"], lists["coined_endings"]
    fawners, fawning = lists["coined_fawners"], lists["coined_fawning"]
    dim_minds, slow_wits = lists["coined_dim_minds"], lists["coined_slow_wits"]
    pattern = re.compile(
        rf"(?<![a-z])(?:(?:{_alternation(crude)})[ -]?(?:{_alternation(endings)})"
        rf"|(?:{_alternation(dull)})-?(?:{_alternation(endings)})|(?:{_alternation(fawners)})-?(?:"
        rf"{_alternation(fawning)})|(?P<adjective>(?:{_alternation(dim_minds)})-?brained|(?:"
        rf"{_alternation(slow_wits)})-?witted))s?(?![a-z])")
    pairs = ((crude + dull, endings), (fawners, fawning), (dim_minds, ("brained",)), (slow_wits, ("witted",)))
    words = frozenset([first + last + plural for firsts, lasts in pairs
                       for first in firsts for last in lasts for plural in ("", "s")] + list(crude))
    return pattern, words


def _alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of plain words, longest first so that the longest spelling wins."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


def _key_word(phrase: str, parts: tuple[str, ...], common: frozenset) -> int:
    """Pick the phrase word a comment is searched for: the longest uncommon one written as is (no contraction)."""
    written = set(_RAW_WORD.findall(phrase))
    candidates = [index for index, part in enumerate(parts) if part in written]
    uncommon = [index for index in candidates if parts[index] not in common] or candidates or [0]
    return max(uncommon, key=lambda index: len(parts[index]))


def _joined(word: str) -> str:
    """A lexicon entry as one word, as the normaliser or the writer may run it together (dim-wit, pieceofshit)."""
    return word.replace("-", "").replace(" ", "")


def _plain_tokens(phrase: str, spoken: _Spoken) -> tuple[str, ...]:
    """Tokenise a lexicon phrase the way comments are tokenised, so both spellings of a contraction meet."""
    return tuple(word for word, _, _ in _tokens(phrase, spoken, None, False))


def _tokens(text: str, spoken: _Spoken, lexicon: _Lexicon | None, stretched: bool) -> list[tuple[str, int, int]]:
    """Split normalised text into words, contractions expanded ("you're" → you, are), sentence ends as "."."""
    # Splitting keeps the tokens at odd indexes, and the running sum of the pieces' lengths gives their offsets.
    pieces = _TOKEN_SPLIT.split(text.translate(_SENTENCE_ENDS))
    offsets = list(accumulate(map(len, pieces), initial=0))
    tokens = list(zip(pieces[1::2], offsets[1::2], offsets[2::2]))
    if not (stretched or "'" in text or "*" in text or spoken.pattern.search(text)):
        return tokens
    rewritten = []
    append = rewritten.append
    forms = spoken.forms
    for token in tokens:
        word = token[0]
        if word in forms or "'" in word:
            rewritten.extend((part, token[1], token[2]) for part in forms.get(word) or _expand(word))
        elif lexicon is not None and (stretched or "*" in word):
            append((_restore(word, lexicon), token[1], token[2]))
        else:
            append(token)
    return rewritten


def _expand(word: str) -> tuple[str, ...]:
    """Expand one apostrophe contraction into the words it stands for."""
    stem, suffix = word.split("'", 1)
    if suffix == "t" and stem.endswith("n"):
        return (_NEGATIVE_STEMS.get(stem, stem[:-1]), "not")
    return (stem,) + _SUFFIXES.get(suffix, ())


def _restore(word: str, lexicon: _Lexicon) -> str:
    """Read a stretched (idioot) or masked (id*ot) word as the lexicon word it imitates, if there is one."""
    if "*" in word:
        core = word.strip("*")
        if "*" not in core or core.replace("*", "") in lexicon.nouns:
            return core.replace("*", "")
        shape = _mask_shape(core)
        return next((known for known in lexicon.maskable if shape.fullmatch(known)), word)
    if not _DOUBLE.search(word):
        return word
    return lexicon.squeezed.get(_DOUBLE.sub(r"\1", word), word)


@lru_cache(maxsize=1024)
def _mask_shape(core: str) -> re.Pattern:
    """The pattern a masked word stands for (id*ot: id[a-z]ot), compiled once per spelling."""
    return re.compile(core.replace("*", "[a-z]"))


def _join_coined(text: str, tokens: list, coined: re.Pattern) -> tuple[list, frozenset]:
    """Make each coined compound one token ("turd-breath"), and return which are nouns and which adjectives."""
    for match in coined.finditer(text):
        start, end = match.span()
        word = match.group().replace("-", "").replace(" ", "")
        kind = "adjective" if match.group("adjective") else "strong"
        inside = [i for i, token in enumerate(tokens) if start <= token[1] and token[2] <= end]
        if inside:
            tokens[inside[0]:inside[-1] + 1] = [(f"{kind}:{word}", start, end)]
    return tokens, frozenset(word for word, _, _ in tokens if ":" in word)


def _find(scan: _Scan, quoted: list[tuple[int, int]]) -> list[_Hit]:
    """Walk the words once, checking phrases where one may start and constructions around each insult word."""
    hits = []
    phrases, triggers = scan.lexicon.phrases, scan.lexicon.triggers
    for index, (word, _, _) in enumerate(scan.tokens):
        if word not in triggers and word not in scan.coined:
            continue
        if word in phrases:
            hits.extend(_phrase_hits(scan, index))
        if word in scan.lexicon.qualities:
            hit = _quality_hit(scan, index)
            if hit:
                hits.append(hit)
        kind = _insult_kind(word, scan.lexicon)
        if kind and not _innocent(scan.tokens, index, scan.lexicon):
            hit = _aimed(scan, index, kind)
            if hit:
                hits.append(hit)
    return [hit for hit in hits if not _inside(hit.start, quoted)]


def _innocent(tokens: list, index: int, lexicon: _Lexicon) -> bool:
    """Say whether an insult word is part of an innocent compound ("knee-jerk", "pussy hats", "pussy willow")."""
    before = tokens[index - 1][0] if index else ""
    after = tokens[index + 1][0] if index + 1 < len(tokens) else ""
    return (before, tokens[index][0]) in lexicon.innocent_pairs or (tokens[index][0], after) in lexicon.innocent_pairs


def _insult_kind(word: str, lexicon: _Lexicon) -> str:
    """Say whether a word (or its plural) is a strong insult, an insult noun, an insulting adjective, or none."""
    singular = word[:-2] if word[-2:] == "es" and word[:-2] in lexicon.nouns else word[:-1] if word[-1:] == "s" else word
    if word in lexicon.strong or singular in lexicon.strong:
        return "strong"
    if word in lexicon.nouns or singular in lexicon.nouns or word in lexicon.compounds:
        return "noun"
    if word in lexicon.adjectives:
        return "adjective"
    return word.partition(":")[0] if ":" in word else ""


def _phrase_hits(scan: _Scan, index: int) -> list[_Hit]:
    """Return the lexicon phrases around this key word, unless a subject or a negation comes just before one."""
    tokens, lexicon = scan.tokens, scan.lexicon
    hits = []
    for parts, key, kind in lexicon.phrases[tokens[index][0]]:
        start = index - key
        end = start + len(parts)
        if start < 0 or (start and tokens[start - 1][0] in lexicon.not_imperative and not _urged(tokens, start)):
            continue
        if tuple(word for word, _, _ in tokens[start:end]) == parts:
            hits.append(_Hit(kind, tokens[start][1], tokens[end - 1][2]))
    return hits


def _urged(tokens: list, start: int) -> bool:
    """Say whether "you" before a phrase urges the reader ("why don't you shut up", "You shut up.")."""
    before = tuple(word for word, _, _ in tokens[max(0, start - 3):start])
    return before[-2:] == ("not", "you") or before[-1:] == ("you",) and (start == 1 or before[-2:-1] == (".",))


def _aimed(scan: _Scan, index: int, kind: str) -> _Hit | None:
    """Decide whom an insult word is aimed at from the words before and after it; the evidence is the insult itself."""
    tokens, lexicon = scan.tokens, scan.lexicon
    first = _compound_start(tokens, index, lexicon)
    if kind == "adjective" and first == index and _said_of_you(tokens, index, lexicon) >= 0:
        return _Hit("direct", tokens[index][1], tokens[index][2])
    if _your_body(tokens, index, lexicon):
        return _Hit("direct", tokens[index - 1][1], tokens[index][2])
    if first < 0:
        return None
    if not (_names_a_person(tokens, index, kind, lexicon) or _body_insult(tokens, index, lexicon)):
        after = tokens[index + 1][0] if index + 1 < len(tokens) else "."
        if kind == "adjective" or after in lexicon.verbs_after_a_subject:
            return _third(scan, first, index, kind, predicate_only=kind == "adjective")
        return None
    target = _target_before(scan, first, kind)
    if target is None and _followed_by_you(tokens, _phrase_end(tokens, index, kind, lexicon)):
        target = ("direct", tokens[first][1])
    if target is None and (_fragment(tokens, first, _phrase_end(tokens, index, kind, lexicon), kind, lexicon)
                           or kind != "adjective" and _addressed(tokens, first, index, lexicon)):
        target = ("loose", tokens[first][1])
    if target is None:
        return _loose(tokens, first, index, kind, lexicon) or _third(scan, first, index, kind)
    return _Hit(target[0], _insult_start(tokens, first, lexicon), tokens[index][2])


def _insult_start(tokens: list, first: int, lexicon: _Lexicon) -> int:
    """Where an insult's words start, taking in the insulting adjectives just before it ("ignorant fool")."""
    while first and tokens[first - 1][0] in lexicon.adjectives:
        first -= 1
    return tokens[first][1]


def _third(scan: _Scan, first: int, index: int, kind: str, predicate_only: bool = False) -> _Hit | None:
    """Find an insult of someone outside the conversation: said of a person ("he is an idiot", "liberals are so
    stupid"), an insulting adjective before a person ("stupid people"), or an insult noun naming people ("these
    clowns", "idiots"); not when negated, reported ("called him a fool") or said of oneself ("I was a fool")."""
    tokens, lexicon = scan.tokens, scan.lexicon
    if _disowned(tokens, first, lexicon):
        return None
    hit = _Hit("third", _insult_start(tokens, first, lexicon), tokens[index][2])
    subject = _predicate_subject(scan, first, kind, predicate_only)
    if subject is not None:
        return hit if subject else None
    if kind == "adjective" and _too_dull(tokens, index):
        return hit
    if predicate_only:
        return None
    word = tokens[index][0]
    if kind == "adjective":
        following = index + 1
        while following < len(tokens) and tokens[following][0] in lexicon.fillers and tokens[following][0] != ",":
            following += 1
        return hit if following < len(tokens) and tokens[following][0] in lexicon.persons else None
    singular = word[:-1] if word[-1:] == "s" else word
    if word in lexicon.also_things or singular in lexicon.also_things:
        return None
    return hit if kind == "strong" or word != singular or _determined(tokens, first, lexicon) else None


def _too_dull(tokens: list, index: int) -> bool:
    """Say whether an adjective of wit says what someone is too dull to do ("too stupid to vote", "dumb enough
    to believe it"): only people are."""
    before = tokens[index - 1][0] if index else "."
    following = tuple(word for word, _, _ in tokens[index + 1:index + 3])
    return before == "too" and following[:1] == ("to",) or following == ("enough", "to")


def _disowned(tokens: list, first: int, lexicon: _Lexicon) -> bool:
    """Say whether the words just before an insult negate it, report it or turn it on the writer ("not a fool",
    "calling people idiots", "I was a fool", "silly me"), unless a third person is named after the writer."""
    named = False
    for position in range(first - 1, max(first - 5, -1), -1):
        word = tokens[position][0]
        if word == ".":
            return False
        if word in lexicon.negations or word in lexicon.reporting:
            return True
        if word in lexicon.first_persons and not named and (word in lexicon.first_objects or tokens[position + 1][0] in lexicon.copulas
                                                      or tokens[position + 1][0] in lexicon.feeling):
            return True
        named = named or word in lexicon.third_pronouns
    return False


def _predicate_subject(scan: _Scan, first: int, kind: str, predicate_only: bool) -> bool | None:
    """For an insult after a copula ("is", "are such", "looks like a"), say whether its subject is a person outside
    the conversation (True) or a thing (False); None when the insult is no predicate."""
    tokens, lexicon = scan.tokens, scan.lexicon
    position = first - 1
    while position >= 0 and first - position <= 6 and tokens[position][0] != "," and (
            tokens[position][0] in lexicon.fillers or tokens[position][0] in lexicon.adverbs or tokens[position][0] in ("a", "an")
            or tokens[position][0] in lexicon.adjectives or tokens[position][0][-2:] == "ly"):
        if predicate_only and tokens[position][0] in ("a", "an", "the"):
            return None  # "an ugly business": the adjective describes the noun after it
        position -= 1
    if position < 0 or tokens[position][0] not in lexicon.copulas or predicate_only and tokens[position][0] == "'s":
        return None
    while position >= 0 and (tokens[position][0] in lexicon.copulas or tokens[position][0] in lexicon.adverbs):
        position -= 1
    if position < 0 or tokens[position][0] in _PUNCTUATION:
        return None
    word, start, _ = tokens[position]
    if word in lexicon.things or word in lexicon.first_persons or word in lexicon.you:
        return False
    return (word in lexicon.third_pronouns or word in lexicon.persons or word in lexicon.public_offices or word in lexicon.nouns
            or _insult_kind(word, lexicon) in ("strong", "noun") or _capitalised(scan, start))


def _determined(tokens: list, first: int, lexicon: _Lexicon) -> bool:
    """Say whether an insult noun that may also be a verb or a thing stands in a noun phrase of people ("these
    clowns", "a bunch of losers", "what a coward", "spineless cowards"), not "fool the voters"."""
    before = tokens[first - 1][0] if first else "."
    return before in lexicon.determiners or before in lexicon.adjectives or tokens[first][0][-1:] == "s" and before in (
        ".", ",", "and", "or", "are", "were", "like", "by", "for", "with")


def _quality_hit(scan: _Scan, index: int) -> _Hit | None:
    """Find a lack of wit said of people ("his stupidity", "Trump's idiocy", "the stupidity of these voters")."""
    tokens, lexicon = scan.tokens, scan.lexicon
    before = tokens[index - 1][0] if index else "."
    owner = None
    if before in lexicon.possessives:
        owner = index - 1
    elif before == "'s" and index > 1 and tokens[index - 2][0] not in lexicon.things:
        owner = index - 2
    elif tuple(word for word, _, _ in tokens[index + 1:index + 2]) == ("of",):
        after = index + 2
        while after < len(tokens) and tokens[after][0] in lexicon.determiners:
            after += 1
        if after < len(tokens) and (tokens[after][0] in lexicon.persons or tokens[after][0] in lexicon.third_pronouns
                                    or _capitalised(scan, tokens[after][1])):
            owner = after
    if owner is None or _disowned(tokens, min(owner, index), lexicon):
        return None
    return _Hit("third", tokens[index][1], tokens[index][2])


def _said_of_you(tokens: list, index: int, lexicon: _Lexicon) -> int:
    """Find "you are", "are you", "you sound" or "your" (you're) before an insulting adjective said of the reader
    ("you are too stupid to see it", "your just as dumb as"), and return where it starts, or -1."""
    position = index - 1
    while position >= 0 and index - position <= 5 and (
            tokens[position][0] in lexicon.adverbs or tokens[position][0] in lexicon.fillers and tokens[position][0] != ","):
        position -= 1
    if position < 0 or any(word in lexicon.negations for word, _, _ in tokens[position:index]):
        return -1
    word = tokens[position][0]
    after = tokens[index + 1][0] if index + 1 < len(tokens) else "."
    if word in lexicon.your:
        return position if after in lexicon.after_predicate and position + 1 == index else -1
    if word not in lexicon.copulas or word in ("like", "'s", "is"):
        return -1
    subject = position
    while subject >= 0 and tokens[subject][0] in lexicon.copulas:
        subject -= 1
    if subject >= 0 and tokens[subject][0] in lexicon.you:
        return subject
    following = tokens[position + 1][0] if position + 1 < len(tokens) else "."
    return position if word in ("are", "were") and following in lexicon.you else -1


def _fragment(tokens: list, first: int, end: int, kind: str, lexicon: _Lexicon) -> bool:
    """Say whether an insult is a sentence of its own, of at most four words, naming a person: "Leftist fool.",
    "Pathetic little boy!", "What a loser." (not "The fool.", nor "A joke.", a thing unless an insult describes it)."""
    after = tokens[end + 1][0] if end + 1 < len(tokens) else "."
    if after != ".":
        return False
    start = first
    while start > 0 and tokens[start - 1][0] not in (".", ","):
        start -= 1
    if end - start >= 4:
        return False
    if any(word in lexicon.not_vocative for word, _, _ in tokens[start:first]):
        return False
    last = tokens[end][0]
    if kind == "adjective":
        return last in lexicon.person_nouns and last not in ("thing", "lot", "bunch", "excuse")
    singular = last[:-1] if last[-1:] == "s" else last
    if last not in lexicon.also_things and singular not in lexicon.also_things:
        return True
    return first > start and tokens[first - 1][0] in lexicon.adjectives


def _phrase_end(tokens: list, index: int, kind: str, lexicon: _Lexicon) -> int:
    """Return the last word of an insulting adjective's noun phrase ("pathetic little man"), or the insult itself."""
    if kind != "adjective":
        return index
    end = index
    while end + 1 < len(tokens) and (tokens[end + 1][0] in lexicon.fillers or tokens[end + 1][0] in lexicon.person_nouns):
        end += 1
    return end


def _addressed(tokens: list, first: int, index: int, lexicon: _Lexicon) -> bool:
    """Say whether an insult noun stands alone between punctuation, as one calls a person ("No, idiot.")."""
    before = first - 1
    while before >= 0 and tokens[before][0] in lexicon.fillers and tokens[before][0] not in (",", "a", "an", "the"):
        before -= 1
    after = tokens[index + 1][0] if index + 1 < len(tokens) else "."
    if after == "." and before >= 0 and tokens[before][0] in lexicon.vocative_cues and before == first - 1:
        return tokens[index][0] not in lexicon.also_things
    return (before < 0 or tokens[before][0] in (".", ",")) and after in (".", ",")


def _your_body(tokens: list, index: int, lexicon: _Lexicon) -> bool:
    """Say whether the word is "your X ass" ("your hating ass", "yo fat ass"): the reader called by a body part."""
    return (tokens[index][0] in lexicon.body and index > 1 and tokens[index - 2][0] in ("your", "ur", "yo", "yer", "yur")
            and tokens[index - 1][0] not in lexicon.not_body_insult and tokens[index - 1][0] not in _PUNCTUATION)


def _body_insult(tokens: list, index: int, lexicon: _Lexicon) -> bool:
    """Say whether the word is "ass" after an insulting adjective ("your ignorant ass"), a person whatever follows."""
    return tokens[index][0] in lexicon.body and index > 0 and tokens[index - 1][0] in lexicon.adjectives


def _names_a_person(tokens: list, index: int, kind: str, lexicon: _Lexicon) -> bool:
    """Say whether the words after an insult leave it naming a person ("a liar.", "a dense little dude")
    rather than a thing ("a hack job", "a stupid argument")."""
    after = tokens[index + 1][0] if index + 1 < len(tokens) else "."
    if kind == "strong":
        return True
    if kind != "adjective":
        return after in lexicon.after_insult
    following = index + 1
    while following < len(tokens) and tokens[following][0] in lexicon.fillers and tokens[following][0] != ",":
        following += 1
    after = tokens[following][0] if following < len(tokens) else "."
    if after in lexicon.nouns or after in lexicon.strong or after in lexicon.adjectives:
        return following > index + 1
    return after in lexicon.after_insult or after in lexicon.person_nouns or after in lexicon.targets or after in lexicon.persons


def _compound_start(tokens: list, index: int, lexicon: _Lexicon) -> int:
    """Return where a (possibly several-word) insult starts, or -1 if its last word stands alone here."""
    word = tokens[index][0]
    for head in lexicon.compounds.get(word, ()):
        first = index - len(head)
        if first >= 0 and tuple(w for w, _, _ in tokens[first:index]) == head:
            return first
    return -1 if word in lexicon.compounds and word not in lexicon.nouns else index


def _target_before(scan: _Scan, first: int, kind: str):
    """Look back over fillers for "you", "you are", "your", "the writer is", "@name is" or a third person."""
    tokens, lexicon = scan.tokens, scan.lexicon
    position = _article_before(tokens, first, lexicon) if kind != "adjective" else -1
    article = position >= 0
    position = (position if article else first) - 1
    while position >= 0 and first - position <= 6:
        word = tokens[position][0]
        if word in lexicon.negations:
            return None
        if word in ("a", "an"):
            article = True
        elif not (word in lexicon.fillers or word in lexicon.adjectives or word in lexicon.strong or word[-2:] == "ly"):
            break
        position -= 1
    if position < 0:
        return None
    word, start, _ = tokens[position]
    if word in lexicon.you or scan.origin[start] in scan.mentions:
        return _vocative(tokens, position, first, kind)
    if word in lexicon.your:
        return _possessive(tokens, position, first, kind, article, lexicon)
    you = _you_before_aside(tokens, position, first, lexicon) if kind != "adjective" and not article else -1
    if you >= 0:
        return ("direct", tokens[you][1])
    if word in lexicon.copulas or word in lexicon.adverbs:
        return _subject(scan, position, kind)
    return None


def _you_before_aside(tokens: list, position: int, first: int, lexicon: _Lexicon) -> int:
    """Find "you" one or two unknown words before a noun that ends the sentence ("you tedious old hack."), or -1."""
    after = tokens[first + 1][0] if first + 1 < len(tokens) else "."
    if after not in (".", ","):
        return -1
    for you in (position - 1, position - 2):
        if you >= 0 and tokens[you][0] in lexicon.you and tokens[you + 1][0] not in lexicon.fillers:
            return -1 if you and tokens[you - 1][0] in lexicon.auxiliary_verbs else you
    return -1


def _article_before(tokens: list, first: int, lexicon: _Lexicon) -> int:
    """Find "a", "an", "one" or "such" a few words before a noun ("a mean spirited azzhole"), or -1."""
    for position in range(first - 1, max(first - 5, -1), -1):
        word = tokens[position][0]
        if word in ("a", "an", "one", "such"):
            return position
        if word == "." or word in lexicon.you or word in lexicon.your or word in lexicon.copulas or word in lexicon.negations:
            return -1
    return -1


def _vocative(tokens: list, position: int, first: int, kind: str):
    """Accept "you idiot", "are you stupid?" and "you dumb!", not "you stupid people" nor "thank you, stupid me"."""
    asked = position and tokens[position - 1][0] in ("are", "were")
    if kind == "adjective" and not asked and position + 1 == first:
        after = tokens[first + 1][0] if first + 1 < len(tokens) else "."
        if after != ".":
            return None
    return ("direct", tokens[position - 1][1] if asked else tokens[position][1])


def _possessive(tokens: list, position: int, first: int, kind: str, article: bool, lexicon: _Lexicon):
    """Accept "your a troll" and "your stupid" (you're), and "your stupid ass", not "your stupid comment"."""
    after = tokens[first + 1][0] if first + 1 < len(tokens) else "."
    between = [word for word, _, _ in tokens[position + 1:first]]
    if article or (kind == "adjective" and all(word in lexicon.adverbs or word in ("as", "too", "to") for word in between)
                   and after in (".", ",", "and", "or", "as")):
        return ("direct", tokens[position][1])
    if kind != "adjective" and position + 1 < first and tokens[first][0] in ("ass", "self", "azz", "arse"):
        return ("direct", tokens[position][1])
    return None


def _subject(scan: _Scan, copula: int, kind: str):
    """Find whom a copula ("is", "are", "sound like") speaks of: the reader, the writer, an @name or a third person."""
    tokens, lexicon = scan.tokens, scan.lexicon
    position = copula
    while position >= 0 and (tokens[position][0] in lexicon.copulas or tokens[position][0] in lexicon.adverbs):
        position -= 1
    if tokens[copula][0] in ("are", "were") and copula + 1 < len(tokens) and tokens[copula + 1][0] in lexicon.you:
        return ("direct", tokens[copula][1])
    if position < 0 or tokens[position][0] in (".", ",", "just", "please", "not", "stop"):
        return ("direct", tokens[copula][1]) if tokens[copula][0] in ("be", "being") else None
    word, start, _ = tokens[position]
    if word in lexicon.you or word in lexicon.targets or scan.origin[start] in scan.mentions:
        return ("direct", start)
    writer = _writer_by_clause(tokens, position, lexicon)
    if writer is not None:
        return ("direct", tokens[writer][1])
    if word in lexicon.first_persons or word in lexicon.things or (position and tokens[position - 1][0] in lexicon.reporting):
        return None
    if kind != "adjective" and (word in lexicon.public_offices or _capitalised(scan, start)):
        return ("third", start)
    return None


def _writer_by_clause(tokens: list, position: int, lexicon: _Lexicon) -> int | None:
    """The writer named by what they wrote, in a clause ending just before the copula: "the reporter who wrote
    this", "whoever wrote this article"; the index of the word that names them, or None."""
    for relative in range(position, max(position - 5, 0) - 1, -1):
        if tokens[relative][0] not in lexicon.relative_pronouns:
            continue
        clause = {word for word, _, _ in tokens[relative + 1:position + 1]}
        if lexicon.writing_verbs.isdisjoint(clause):
            return None
        if relative and (tokens[relative - 1][0] in lexicon.targets or tokens[relative - 1][0] in lexicon.person_nouns):
            return relative - 1
        return relative if relative == 0 or tokens[relative - 1][0] == "." else None
    return None


def _capitalised(scan: _Scan, start: int) -> bool:
    """Say whether a word was written with a capital in a comment that is not all capitals: likely a name."""
    original = scan.original
    letter = original[scan.origin[start]]
    return letter.isupper() and not original.isupper()


def _followed_by_you(tokens: list, index: int) -> bool:
    """Say whether an insult is followed by "like you" ("morons like you") or "you are." ("what a fool you are")."""
    following = tuple(word for word, _, _ in tokens[index + 1:index + 4])
    if following[:2] in (("like", "you"), ("like", "yourself"), ("such", "as")):
        return True
    for offset in range(min(2, len(following) - 1)):
        if following[offset:offset + 2] == ("you", "are"):
            rest = following[offset + 2:offset + 3]
            return not rest or rest[0] in (".", ",")
    return following[:2] == ("you", "are") and len(following) == 2


def _loose(tokens: list, first: int, index: int, kind: str, lexicon: _Lexicon) -> _Hit | None:
    """Hold a strong insult or an insulting adjective that shares its sentence with "you" (and no negation),
    or an insult noun that is a whole short comment."""
    # Only short comments are counted word by word: the count matters up to four words.
    words = sum(1 for word, _, _ in tokens if word not in _PUNCTUATION) if len(tokens) <= 12 else len(tokens)
    if kind == "noun" and words <= 3:
        return _Hit("loose", tokens[first][1], tokens[index][2])
    if kind == "noun" or (first and tokens[first - 1][0] in lexicon.pointing_away):
        return None
    if kind == "adjective" and first and tokens[first - 1][0] in ("is", "'s", "was"):
        return None  # said of something else ("you are right that the plan is idiotic")
    sentence = {word for word, _, _ in _sentence(tokens, index)}
    if (sentence & lexicon.you or sentence & lexicon.your or (words <= 4 and kind == "strong")) and not sentence & lexicon.negations:
        return _Hit("loose", tokens[first][1], tokens[index][2])
    return None


def _sentence(tokens: list, index: int) -> list:
    """Return the tokens of the sentence that holds the token at index."""
    start = index
    while start > 0 and tokens[start - 1][0] != ".":
        start -= 1
    end = index
    while end + 1 < len(tokens) and tokens[end + 1][0] != ".":
        end += 1
    return tokens[start:end + 1]


def _score(hit: _Hit, rule: Rule) -> float:
    """Turn a finding's kind into a score from the rule's params (third persons through the public-figure setting)."""
    if hit.kind == "third":
        setting = rule.params.get("public_figures", "review")
        review = float(rule.params.get("third_person_score", rule.review_threshold))
        return {"none": 0.0, "review": review, "reject": rule.reject_threshold}[setting]
    return float(rule.params[_SCORE_PARAMS[hit.kind]])


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Return the quoted passages (someone else's words), unless one quote is most of the comment."""
    if '"' not in text:
        return []
    ranges = [match.span() for match in _QUOTED.finditer(text)]
    return [(start, end) for start, end in ranges if end - start < 0.8 * len(text)]


def _inside(position: int, ranges: list[tuple[int, int]]) -> bool:
    """Say whether a position falls inside one of the ranges."""
    return any(start <= position < end for start, end in ranges)


def _mention_offsets(original: str) -> frozenset:
    """Original offsets where an @name's word may start (at the "@" or just after it, as the normaliser folds it)."""
    if "@" not in original:
        return frozenset()
    starts = [match.start() for match in _MENTION.finditer(original)]
    return frozenset(starts + [start + 1 for start in starts])
