"""Flags insults, belittling and threats aimed at someone in the conversation: the reader replied to, the writer, an @name.

Reads the rule's params `threat_score`, `insult_score`, `belittling_score`, `loose_score`, `public_figures`
("none", "review" or "reject": what an insult said of a third person, such as a politician or "these people", earns)
and `third_person_score` (the score "review" gives), and its lexicons `insults_strong`, `insults`,
`insult_adjectives`, `threats`, `attack_phrases`, `belittling`, `conversation_targets`, `persons` (nouns naming
people: "stupid voters") and `qualities` ("his stupidity"); compound insults coined on the spot ("turd-breath",
"pea-brained") are recognised by their parts. Criticism of an argument or a policy aims no insult at a person, and passes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from types import MappingProxyType
from typing import TYPE_CHECKING

from moderation.pipeline.learned import WordWeights
from moderation.pipeline.matching import compile_lexicons
from moderation.pipeline.normalise import normalise
from moderation.pipeline.types import FilterResult, ModerationContext

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
# Words too common to look a phrase up by ("you", "have"): a phrase is found through a rarer word of it.
_COMMON = frozenset({
    "you", "your", "yours", "yourself", "i", "me", "my", "we", "us", "our", "a", "an", "the", "to", "of", "in", "on",
    "at", "for", "with", "up", "off", "out", "back", "go", "get", "got", "have", "has", "had", "will", "would",
    "should", "can", "could", "do", "does", "did", "not", "no", "is", "are", "am", "be", "been", "going", "want",
    "know", "what", "who", "where", "when", "how", "take", "hope", "talking", "guys",
    "watch", "coming", "learn", "sit", "deserve", "like", "come", "one", "all",
    "some", "just", "so", "now", "this", "that", "it", "job", "down", "idea", "read", "all", "cares", "nobody",
})
# Compound insults coined on the spot: a crude first part (written joined, hyphenated or spaced) or a dull one
# (joined) with a body part or container ("turd-breath", "dick face", "meatbag"), boot-licker and its kin, and the
# adjectives "pea-brained" and "half-witted". Enumerated, so that a comment is screened by set lookups.
_CRUDE = ("shit", "fuck", "dick", "dik", "cock", "ass", "arse", "butt", "turd", "piss", "douche", "scum", "twat",
          "cunt", "knob")
_DULL = ("dumb", "cum", "jizz", "poop", "crap", "dirt", "slime", "sleaze", "puke", "snot", "dork", "dim", "bone",
         "block", "knuckle", "meat", "pin", "fat", "air", "pea", "bird", "lame", "mush", "numb", "dung", "vomit", "pus")
_CONTAINERS = ("head", "face", "breath", "bag", "wad", "stain", "brain", "wit", "licker", "sucker", "eater", "nugget",
               "bucket", "muncher", "monkey", "clown", "wipe", "weasel", "goblin", "nozzle", "waffle", "ball", "burger")
_FAWNERS = ("boot", "ball", "balls", "toe", "bum", "nut", "knob", "blood", "butt", "ass", "arse", "dick", "cock")
_FAWNING = ("licker", "sucker", "sniffer", "kisser")
_DIM_MINDS = (("pea", "bird", "hare", "lame", "scatter", "feather", "rat", "mush", "shit", "dumb", "half", "small",
               "tiny", "pin", "fat", "bone", "empty", "lizard", "smooth"), ("brained",))
_SLOW_WITS = (("half", "dim", "slow", "dull", "thick"), ("witted",))


def _alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of plain words, longest first so that the longest spelling wins."""
    return "|".join(sorted(words, key=len, reverse=True))


_COINED = re.compile(
    rf"(?<![a-z])(?:(?:{_alternation(_CRUDE)})[ -]?(?:{_alternation(_CONTAINERS)})"
    rf"|(?:{_alternation(_DULL)})-?(?:{_alternation(_CONTAINERS)})|(?:{_alternation(_FAWNERS)})-?(?:"
    rf"{_alternation(_FAWNING)})|(?P<adjective>(?:{_alternation(_DIM_MINDS[0])})-?brained|(?:"
    rf"{_alternation(_SLOW_WITS[0])})-?witted))s?(?![a-z])")
# Words whose presence sends a comment to the compound matcher: a joined compound, or a crude first part.
_COINED_WORDS = frozenset(
    [first + last + plural for firsts, lasts in ((_CRUDE + _DULL, _CONTAINERS), (_FAWNERS, _FAWNING), _DIM_MINDS,
                                                 _SLOW_WITS)
     for first in firsts for last in lasts for plural in ("", "s")] + list(_CRUDE))
_QUOTED = re.compile(r'"[^"\n]{3,400}"')
_MENTION = re.compile(r"(?<![\w@])@\w")
_STRETCHED = re.compile(r"([a-z])\1\1")
_DOUBLE = re.compile(r"([a-z])\1")

_PUNCTUATION = frozenset(".,")
_SPOKEN = {
    "u": ("you",), "ya": ("you",), "youre": ("you", "are"), "yer": ("your",), "yur": ("your",),
    "im": ("i", "am"), "ive": ("i", "have"), "dont": ("do", "not"), "cant": ("can", "not"),
    "doesnt": ("does", "not"), "isnt": ("is", "not"), "arent": ("are", "not"), "r": ("are",),
    "gonna": ("going", "to"), "gunna": ("going", "to"), "wanna": ("want", "to"),
}
_SPOKEN_WORD = re.compile(rf"(?<![a-z0-9])(?:{'|'.join(_SPOKEN)})(?![a-z0-9'])")
_SUFFIXES = {"re": ("are",), "m": ("am",), "ll": ("will",), "ve": ("have",), "d": ("would",), "s": ("'s",)}
_NEGATIVE_STEMS = {"won": "will", "can": "can", "ain": "is", "don": "do", "shan": "shall"}

_YOU = frozenset({"you", "yourself", "yourselves", "yall"})
_YOUR = frozenset({"your", "ur"})
_COPULAS = frozenset({"are", "is", "'s", "was", "were", "be", "being", "been", "sound", "sounds", "look", "looks",
                      "seem", "seems", "act", "acting", "like", "become", "remain", "am"})
_ADVERBS = frozenset({"must", "really", "just", "clearly", "obviously", "truly", "still", "always", "surely",
                      "definitely", "certainly", "such", "so", "also", "again", "indeed", "simply", "officially"})
# Words that may stand between "you are" and the insult: "you are such a complete fucking idiot".
_FILLERS = frozenset({"a", "an", "the", "such", "so", "one", "just", "really", "truly", "clearly", "obviously",
                      "complete", "total", "absolute", "utter", "real", "big", "little", "lil", "fucking", "fuckin",
                      "freaking", "frigging", "friggin", "damn", "damned", "bloody", "very", "pure", "typical",
                      "fat", "old", "sorry", "poor", "dirty", "filthy", "lying", "ugly", "of", "most", "biggest",
                      "greatest", "bigger", "more", "too", "as", "that", "kind", "sort", "absolutely", "totally",
                      "completely", "utterly", "pretty", "quite", "extremely", "stinking", "silly", "stupid", "this",
                      "nothing", "but", ",", "and", "or", "even", "any", "some", "sad", "human", "to", "either", "both",
                      "all"})
# Words that start no vocative fragment: a determiner or a pronoun makes "the fool." a third person's description.
_NOT_VOCATIVE = frozenset({"the", "this", "that", "these", "those", "his", "her", "their", "its", "my", "our", "he",
                           "she", "they", "it", "i", "we", "is", "was", "are", "were", "be", "not", "no", "of", "to",
                           "an", "in", "for", "by", "with", "who", "like", "me", "him", "them", "am", "'s"})
# Insult nouns that also name things ("a joke", "pure garbage", "a tool"): alone in a fragment they may be a thing.
_ALSO_THINGS = frozenset({"joke", "trash", "garbage", "disgrace", "embarrassment", "failure", "tool", "child", "dog",
                          "pig", "rat", "snake", "worm", "puke", "scum", "bum", "dope", "hack", "fraud", "nobody",
                          "swine", "sucker", "baby", "sheep", "puppet", "quack", "ass", "pos", "nazi", "racist"})
# What may follow an insulting adjective said of "your" (you're): "your dumb.", "your too stupid to see it".
_AFTER_PREDICATE = frozenset({".", ",", "and", "or", "as", "to", "for", "if", "enough", "but", "because", "lol",
                              "beyond", "af"})
# Words after which an insult noun that ends its sentence calls the reader ("Then don't watch it, loser" without
# the comma; "Shut up idiot!").
_BEFORE_VOCATIVE = frozenset({"it", "up", "off", "out", "me", "us", "here", "there", "now", "already", "lol", "please",
                              "ok", "okay", "dude", "man", "yet", "too", "again", "though", "anyway", "pal", "buddy",
                              "mate", "hey", "oh", "yes", "yeah", "no", "nope", "sorry", "thanks", "bye", "haha",
                              "lmao", "hi", "hello", "well", "right", "bud"})
# Words before "ass" that make "your X ass" no insult of the reader.
_NOT_BODY_INSULT = frozenset({"bad", "kick", "own", "whole", "up", "in", "on", "off", "out", "of", "and", "that",
                              "this"})
# Verbs before "you" that make it an object, not a vocative ("did you see the loser").
_AUXILIARY_VERBS = frozenset({"do", "did", "does", "can", "could", "will", "would", "should", "have", "has", "had",
                              "are", "were", "thank", "see", "tell", "told", "know"})
_BODY = frozenset({"ass", "azz", "arse", "self"})
_MASKABLE_FILLERS = ("fucking", "fuckin", "fucken", "damn")
_NEGATIONS = frozenset({"not", "never", "no", "nor", "hardly"})
# Negations as the normaliser's words have them ("isn't" is "isn", "t"): a sentence holding one is left to the grammar.
_NEGATED_WORDS = _NEGATIONS | frozenset({"t", "nt", "isnt", "dont", "doesnt", "arent", "wasnt", "cant", "wont"})
# Neutral nouns for a person: an insulting adjective before one insults that person ("a stupid person").
_PERSON_NOUNS = frozenset({"person", "man", "woman", "guy", "dude", "individual", "human", "people", "boy", "girl",
                           "child", "kid", "bunch", "lot", "thing", "creature", "excuse", "soul"})
# What may follow an insult noun that names a person; any other word makes it a compound ("a hack job").
_AFTER_INSULT = frozenset({".", ",", "and", "or", "who", "that", "like", "with", "if", "but", "too", "lol", "to", "for",
                           "you", "yourself", "then", "now", "again", "as", "at", "in", "here", "there", "from",
                           "haha", "lmao", "because", "cuz", "since", "when", "what", "just", "go", "get", "stop",
                           "fuck", "hell", "shit"})
_THINGS = frozenset({"it", "that", "this", "which", "what", "there", "here", "idea", "argument", "point", "comment",
                     "post", "article", "story", "policy", "plan", "law", "bill", "thing", "claim", "statement",
                     "life", "world", "game", "team", "season", "system", "country", "situation", "deal"})
# Subjects after which an insult is said of a third person (a name written with a capital counts too).
_THIRD_PRONOUNS = frozenset({"he", "she", "they", "him", "them", "who", "whoever", "anyone", "someone", "everyone"})
_FIRST_OBJECTS = frozenset({"me", "us", "myself", "ourselves"})
_FEELING = frozenset({"feel", "felt", "feeling", "looked", "was", "am"})
# Words after an insult noun that make it the subject of a clause ("these clowns are", "fools would walk up").
_VERBS_AFTER_A_SUBJECT = frozenset({"are", "is", "was", "were", "will", "would", "can", "could", "should", "have",
                                    "has", "had", "do", "does", "did", "keep", "need", "want", "think", "believe",
                                    "still", "never", "always", "actually", "really", "just"})
_POSSESSIVES = frozenset({"his", "her", "their"})
# Words by which a comment speaks to or of someone: with them, a likely offensive comment is held for review.
_PEOPLE_WORDS = _YOU | _YOUR | _THIRD_PRONOUNS | _POSSESSIVES | _PERSON_NOUNS | frozenset(
    {"u", "ya", "ur", "yo", "youre", "he", "she", "his", "her", "hes", "shes", "theyre"})
# Words before an insult noun that make it name people ("these clowns", "a bunch of losers", "what a coward").
_DETERMINERS = frozenset({"a", "an", "the", "these", "those", "such", "some", "all", "many", "most", "bunch", "of",
                          "other", "what", "total", "complete", "utter", "absolute", "real", "bigger", "biggest",
                          "little", "old", "this", "that"})
_FIRST_PERSONS = frozenset({"i", "me", "we", "us", "myself", "ourselves"})
_THIRD_PERSONS = frozenset({"president", "senator", "governor", "mayor", "congressman", "congresswoman", "minister",
                            "candidate", "judge", "secretary", "spokesman", "spokeswoman", "chairman", "premier"})
# Words before an insult that point it away from the reader ("these idiots", "to bitch about", "called him a moron").
_OTHERS = frozenset({"these", "those", "the", "some", "other", "all", "many", "most", "his", "her", "their", "our",
                     "to", "call", "calls", "called", "calling", "another", "such", "of"})
# Words before a phrase that make it no imperative at the reader ("when you grow up", "not going to be shut up").
_NOT_IMPERATIVE = frozenset({"i", "you", "we", "they", "he", "she", "it", "kids", "children", "when", "until", "till",
                             "if", "will", "would", "be", "been", "being", "get", "got", "not", "never", "to"})
# Word pairs in which an insult word insults no one.
_INNOCENT_PAIRS = frozenset({("knee", "jerk"), ("pussy", "hat"), ("pussy", "hats"), ("pussy", "willow"),
                             ("pussy", "cat"), ("pussy", "willows"), ("fool", "proof"), ("idiot", "proof"),
                             ("idiot", "box"), ("idiot", "light"), ("dog", "whistle"), ("bully", "pulpit")})
_REPORTING = frozenset({"call", "calls", "called", "calling", "label", "labels", "labelled", "labeled", "name",
                        "named", "brand", "branded", "dub", "dubbed"})

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
    """Score a comment by its worst attack on a person, with the words that make it as evidence; below review, the
    learned word weights may still hold it."""
    lexicon = _lexicon(rule)
    result = _attacks(text, lexicon, rule)
    if result.score >= rule.review_threshold or "offensive" not in rule.models:
        return result
    return _learned(text, lexicon, rule) or result


def _learned(text: NormalisedText, lexicon: _Lexicon, rule: Rule) -> FilterResult | None:
    """Hold for review (never reject) a comment with a sentence the word weights find likely offensive that also
    speaks to or of someone ("you", "he", "people"; only the reader and the writer when `public_figures` is "none").
    Negated sentences and quoted words are the grammar's alone ("you're not an idiot", he shouted "you idiot"),
    and a sentence that names no one is criticism of a thing ("a stupid policy"), which passes."""
    params = rule.params
    if _evidence_words(rule).isdisjoint(text.vocabulary):
        return None
    people = lexicon.people_words if rule.params.get("public_figures", "review") != "none" else lexicon.readers
    found = _model(rule).score(text, params["model_evidence_weight"], params["model_probability"], people,
                               _NEGATED_WORDS)
    quoted = [(text.span(start, end).start, text.span(start, end).end) for start, end in _quoted_ranges(text.text)]
    spans = tuple(span for span in found.spans if not _inside(span.start, quoted))
    if not (spans and found.aimed and found.probability >= params["model_probability"]):
        return None
    words = ", ".join(f"“{word}”" for word in dict.fromkeys(span.text for span in spans[:5]))
    return FilterResult(float(params["model_score"]), spans, f"words typical of insulting comments: {words}")


@lru_cache(maxsize=32)
def _evidence_words(rule: Rule) -> frozenset[str]:
    """The words heavy enough to be evidence: a comment with none of them is passed over at once."""
    return _model(rule).heavy_words(rule.params["model_evidence_weight"])


@lru_cache(maxsize=32)
def _model(rule: Rule) -> WordWeights:
    """The rule's word weights without the words other rules judge (lexicons `judged_elsewhere_*`: swearing, slurs),
    so that the signal holds insults and not a swear word said of nothing."""
    lists = {name: words for name, words in rule.lexicons.items() if name.startswith("judged_elsewhere")}
    model = rule.models["offensive"]
    if not lists:
        return model
    matcher = compile_lexicons(lists)
    kept = {word: weight for word, weight in model.weights.items() if not matcher.find(normalise(word))}
    return WordWeights(model.bias, MappingProxyType(kept))


def _attacks(text: NormalisedText, lexicon: _Lexicon, rule: Rule) -> FilterResult:
    """The rules' own finding: the worst attack on a person that the grammar reads."""
    stretched = bool(_STRETCHED.search(text.plain.text if text.plain else text.text))
    # In ASCII text the normaliser's runs are exactly the plain words, already computed for every filter.
    words = text.runs if text.text.isascii() else _RAW_WORD.findall(text.text)
    coined = not _COINED_WORDS.isdisjoint(words) and _COINED.search(text.text)
    if not (stretched or coined) and "*" not in text.text and lexicon.triggers.isdisjoint(words):
        return FilterResult()
    tokens = _tokens(text.text, lexicon, stretched)
    if coined:
        tokens, coined = _join_coined(text.text, tokens)
    scan = _Scan(tokens, lexicon, _mention_offsets(text.original), text.origin, text.original, coined or frozenset())
    hits = _find(scan, _quoted_ranges(text.text))
    scored = [(_score(hit, rule), hit) for hit in hits]
    best = max((score for score, _ in scored), default=0.0)
    if best <= 0:
        return FilterResult()
    worst = next(hit for score, hit in scored if score == best)
    floor = min(best, rule.review_threshold)
    spans = tuple(text.span(start, end) for start, end in _merged(hit for score, hit in scored if score >= floor))
    return FilterResult(best, spans, f"{_LABELS[worst.kind]}: " + ", ".join(f"“{s.text}”" for s in spans))


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
    """Build, once per rule, the sets and phrase indexes the matcher looks words up in."""
    lists = rule.lexicons
    nouns = lists.get("insults_strong", ()) + lists.get("insults", ())
    compounds: dict[str, list[tuple[str, ...]]] = {}
    for noun in nouns:
        parts = _plain_tokens(noun)
        if len(parts) > 1:
            compounds.setdefault(parts[-1], []).append(parts[:-1])
    phrases: dict[str, list[tuple[tuple[str, ...], int, str]]] = {}
    for name, kind in _PHRASE_KINDS.items():
        for phrase in lists.get(name, ()):
            parts = _plain_tokens(phrase)
            key = _key_word(phrase, parts)
            phrases.setdefault(parts[key], []).append((parts, key, kind))
    words = [_joined(word) for word in nouns + lists.get("insult_adjectives", ())]
    firsts = tuple(dict.fromkeys(entry[0][0] for entries in phrases.values() for entry in entries))
    return _Lexicon(
        strong=frozenset(_joined(word) for word in lists.get("insults_strong", ())),
        nouns=frozenset(_joined(word) for word in nouns),
        adjectives=frozenset(_joined(word) for word in lists.get("insult_adjectives", ())),
        compounds={last: tuple(heads) for last, heads in compounds.items()},
        targets=frozenset(lists.get("conversation_targets", ())),
        persons=frozenset(_joined(word) for word in lists.get("persons", ())),
        qualities=frozenset(lists.get("qualities", ())),
        readers=_YOU | _YOUR | frozenset(lists.get("conversation_targets", ())),
        people_words=_PEOPLE_WORDS | frozenset(lists.get("conversation_targets", ())) | frozenset(
            _joined(word) for word in lists.get("persons", ())),
        phrases={first: tuple(entries) for first, entries in phrases.items()},
        squeezed={_DOUBLE.sub(r"\1", word): word for word in words + list(compounds)},
        maskable=tuple(words) + firsts,
        triggers=frozenset(words + [word + "s" for word in words] + [word + "es" for word in words]
                           + list(compounds) + list(phrases) + list(lists.get("qualities", ()))),
    )


def _key_word(phrase: str, parts: tuple[str, ...]) -> int:
    """Pick the phrase word a comment is searched for: the longest uncommon one written as is (no contraction)."""
    written = set(_RAW_WORD.findall(phrase))
    candidates = [index for index, part in enumerate(parts) if part in written]
    uncommon = [index for index in candidates if parts[index] not in _COMMON] or candidates or [0]
    return max(uncommon, key=lambda index: len(parts[index]))


def _joined(word: str) -> str:
    """A lexicon entry as one word, as the normaliser or the writer may run it together (dim-wit, pieceofshit)."""
    return word.replace("-", "").replace(" ", "")


def _plain_tokens(phrase: str) -> tuple[str, ...]:
    """Tokenise a lexicon phrase the way comments are tokenised, so both spellings of a contraction meet."""
    return tuple(word for word, _, _ in _tokens(phrase, None, False))


def _tokens(text: str, lexicon: _Lexicon | None, stretched: bool) -> list[tuple[str, int, int]]:
    """Split normalised text into words, contractions expanded ("you're" → you, are), sentence ends as "."."""
    # Splitting keeps the tokens at odd indexes, and the running sum of the pieces' lengths gives their offsets.
    pieces = _TOKEN_SPLIT.split(text.translate(_SENTENCE_ENDS))
    offsets = list(accumulate(map(len, pieces), initial=0))
    tokens = list(zip(pieces[1::2], offsets[1::2], offsets[2::2]))
    if not (stretched or "'" in text or "*" in text or _SPOKEN_WORD.search(text)):
        return tokens
    rewritten = []
    append = rewritten.append
    for token in tokens:
        word = token[0]
        if word in _SPOKEN or "'" in word:
            rewritten.extend((part, token[1], token[2]) for part in _SPOKEN.get(word) or _expand(word))
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
        return next((known for known in lexicon.maskable + _MASKABLE_FILLERS if shape.fullmatch(known)), word)
    if not _DOUBLE.search(word):
        return word
    return lexicon.squeezed.get(_DOUBLE.sub(r"\1", word), word)


@lru_cache(maxsize=1024)
def _mask_shape(core: str) -> re.Pattern:
    """The pattern a masked word stands for (id*ot: id[a-z]ot), compiled once per spelling."""
    return re.compile(core.replace("*", "[a-z]"))


def _join_coined(text: str, tokens: list) -> tuple[list, frozenset]:
    """Make each coined compound one token ("turd-breath"), and return which are nouns and which adjectives."""
    for match in _COINED.finditer(text):
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
        if kind and not _innocent(scan.tokens, index):
            hit = _aimed(scan, index, kind)
            if hit:
                hits.append(hit)
    return [hit for hit in hits if not _inside(hit.start, quoted)]


def _innocent(tokens: list, index: int) -> bool:
    """Say whether an insult word is part of an innocent compound ("knee-jerk", "pussy hats", "pussy willow")."""
    before = tokens[index - 1][0] if index else ""
    after = tokens[index + 1][0] if index + 1 < len(tokens) else ""
    return (before, tokens[index][0]) in _INNOCENT_PAIRS or (tokens[index][0], after) in _INNOCENT_PAIRS


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
    tokens = scan.tokens
    hits = []
    for parts, key, kind in scan.lexicon.phrases[tokens[index][0]]:
        start = index - key
        end = start + len(parts)
        if start < 0 or (start and tokens[start - 1][0] in _NOT_IMPERATIVE and not _urged(tokens, start)):
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
    if kind == "adjective" and first == index and _said_of_you(tokens, index) >= 0:
        return _Hit("direct", tokens[index][1], tokens[index][2])
    if _your_body(tokens, index):
        return _Hit("direct", tokens[index - 1][1], tokens[index][2])
    if first < 0:
        return None
    if not (_names_a_person(tokens, index, kind, lexicon) or _body_insult(tokens, index, lexicon)):
        after = tokens[index + 1][0] if index + 1 < len(tokens) else "."
        if kind == "adjective" or after in _VERBS_AFTER_A_SUBJECT:
            return _third(scan, first, index, kind, predicate_only=kind == "adjective")
        return None
    target = _target_before(scan, first, kind)
    if target is None and _followed_by_you(tokens, _phrase_end(tokens, index, kind)):
        target = ("direct", tokens[first][1])
    if target is None and (_fragment(tokens, first, _phrase_end(tokens, index, kind), kind, lexicon.adjectives)
                           or kind != "adjective" and _addressed(tokens, first, index)):
        target = ("loose", tokens[first][1])
    if target is None:
        return _loose(tokens, first, index, kind) or _third(scan, first, index, kind)
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
    if _disowned(tokens, first):
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
        while following < len(tokens) and tokens[following][0] in _FILLERS and tokens[following][0] != ",":
            following += 1
        return hit if following < len(tokens) and tokens[following][0] in lexicon.persons else None
    singular = word[:-1] if word[-1:] == "s" else word
    if word in _ALSO_THINGS or singular in _ALSO_THINGS:
        return None
    return hit if kind == "strong" or word != singular or _determined(tokens, first, lexicon) else None


def _too_dull(tokens: list, index: int) -> bool:
    """Say whether an adjective of wit says what someone is too dull to do ("too stupid to vote", "dumb enough
    to believe it"): only people are."""
    before = tokens[index - 1][0] if index else "."
    following = tuple(word for word, _, _ in tokens[index + 1:index + 3])
    return before == "too" and following[:1] == ("to",) or following == ("enough", "to")


def _disowned(tokens: list, first: int) -> bool:
    """Say whether the words just before an insult negate it, report it or turn it on the writer ("not a fool",
    "calling people idiots", "I was a fool", "silly me"), unless a third person is named after the writer."""
    named = False
    for position in range(first - 1, max(first - 5, -1), -1):
        word = tokens[position][0]
        if word == ".":
            return False
        if word in _NEGATIONS or word in _REPORTING:
            return True
        if word in _FIRST_PERSONS and not named and (word in _FIRST_OBJECTS or tokens[position + 1][0] in _COPULAS
                                                      or tokens[position + 1][0] in _FEELING):
            return True
        named = named or word in _THIRD_PRONOUNS
    return False


def _predicate_subject(scan: _Scan, first: int, kind: str, predicate_only: bool) -> bool | None:
    """For an insult after a copula ("is", "are such", "looks like a"), say whether its subject is a person outside
    the conversation (True) or a thing (False); None when the insult is no predicate."""
    tokens, lexicon = scan.tokens, scan.lexicon
    position = first - 1
    while position >= 0 and first - position <= 6 and tokens[position][0] != "," and (
            tokens[position][0] in _FILLERS or tokens[position][0] in _ADVERBS or tokens[position][0] in ("a", "an")
            or tokens[position][0] in lexicon.adjectives or tokens[position][0][-2:] == "ly"):
        if predicate_only and tokens[position][0] in ("a", "an", "the"):
            return None  # "an ugly business": the adjective describes the noun after it
        position -= 1
    if position < 0 or tokens[position][0] not in _COPULAS or predicate_only and tokens[position][0] == "'s":
        return None
    while position >= 0 and (tokens[position][0] in _COPULAS or tokens[position][0] in _ADVERBS):
        position -= 1
    if position < 0 or tokens[position][0] in _PUNCTUATION:
        return None
    word, start, _ = tokens[position]
    if word in _THINGS or word in _FIRST_PERSONS or word in _YOU:
        return False
    return (word in _THIRD_PRONOUNS or word in lexicon.persons or word in _THIRD_PERSONS or word in lexicon.nouns
            or _insult_kind(word, lexicon) in ("strong", "noun") or _capitalised(scan, start))


def _determined(tokens: list, first: int, lexicon: _Lexicon) -> bool:
    """Say whether an insult noun that may also be a verb or a thing stands in a noun phrase of people ("these
    clowns", "a bunch of losers", "what a coward", "spineless cowards"), not "fool the voters"."""
    before = tokens[first - 1][0] if first else "."
    return before in _DETERMINERS or before in lexicon.adjectives or tokens[first][0][-1:] == "s" and before in (
        ".", ",", "and", "or", "are", "were", "like", "by", "for", "with")


def _quality_hit(scan: _Scan, index: int) -> _Hit | None:
    """Find a lack of wit said of people ("his stupidity", "Trump's idiocy", "the stupidity of these voters")."""
    tokens, lexicon = scan.tokens, scan.lexicon
    before = tokens[index - 1][0] if index else "."
    owner = None
    if before in _POSSESSIVES:
        owner = index - 1
    elif before == "'s" and index > 1 and tokens[index - 2][0] not in _THINGS:
        owner = index - 2
    elif tuple(word for word, _, _ in tokens[index + 1:index + 2]) == ("of",):
        after = index + 2
        while after < len(tokens) and tokens[after][0] in _DETERMINERS:
            after += 1
        if after < len(tokens) and (tokens[after][0] in lexicon.persons or tokens[after][0] in _THIRD_PRONOUNS
                                    or _capitalised(scan, tokens[after][1])):
            owner = after
    if owner is None or _disowned(tokens, min(owner, index)):
        return None
    return _Hit("third", tokens[index][1], tokens[index][2])


def _said_of_you(tokens: list, index: int) -> int:
    """Find "you are", "are you", "you sound" or "your" (you're) before an insulting adjective said of the reader
    ("you are too stupid to see it", "your just as dumb as"), and return where it starts, or -1."""
    position = index - 1
    while position >= 0 and index - position <= 5 and (
            tokens[position][0] in _ADVERBS or tokens[position][0] in _FILLERS and tokens[position][0] != ","):
        position -= 1
    if position < 0 or any(word in _NEGATIONS for word, _, _ in tokens[position:index]):
        return -1
    word = tokens[position][0]
    after = tokens[index + 1][0] if index + 1 < len(tokens) else "."
    if word in _YOUR:
        return position if after in _AFTER_PREDICATE and position + 1 == index else -1
    if word not in _COPULAS or word in ("like", "'s", "is"):
        return -1
    subject = position
    while subject >= 0 and tokens[subject][0] in _COPULAS:
        subject -= 1
    if subject >= 0 and tokens[subject][0] in _YOU:
        return subject
    following = tokens[position + 1][0] if position + 1 < len(tokens) else "."
    return position if word in ("are", "were") and following in _YOU else -1


def _fragment(tokens: list, first: int, end: int, kind: str, adjectives: frozenset) -> bool:
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
    if any(word in _NOT_VOCATIVE for word, _, _ in tokens[start:first]):
        return False
    last = tokens[end][0]
    if kind == "adjective":
        return last in _PERSON_NOUNS and last not in ("thing", "lot", "bunch", "excuse")
    singular = last[:-1] if last[-1:] == "s" else last
    if last not in _ALSO_THINGS and singular not in _ALSO_THINGS:
        return True
    return first > start and tokens[first - 1][0] in adjectives


def _phrase_end(tokens: list, index: int, kind: str) -> int:
    """Return the last word of an insulting adjective's noun phrase ("pathetic little man"), or the insult itself."""
    if kind != "adjective":
        return index
    end = index
    while end + 1 < len(tokens) and (tokens[end + 1][0] in _FILLERS or tokens[end + 1][0] in _PERSON_NOUNS):
        end += 1
    return end


def _addressed(tokens: list, first: int, index: int) -> bool:
    """Say whether an insult noun stands alone between punctuation, as one calls a person ("No, idiot.")."""
    before = first - 1
    while before >= 0 and tokens[before][0] in _FILLERS and tokens[before][0] not in (",", "a", "an", "the"):
        before -= 1
    after = tokens[index + 1][0] if index + 1 < len(tokens) else "."
    if after == "." and before >= 0 and tokens[before][0] in _BEFORE_VOCATIVE and before == first - 1:
        return tokens[index][0] not in _ALSO_THINGS
    return (before < 0 or tokens[before][0] in (".", ",")) and after in (".", ",")


def _your_body(tokens: list, index: int) -> bool:
    """Say whether the word is "your X ass" ("your hating ass", "yo fat ass"): the reader called by a body part."""
    return (tokens[index][0] in _BODY and index > 1 and tokens[index - 2][0] in ("your", "ur", "yo", "yer", "yur")
            and tokens[index - 1][0] not in _NOT_BODY_INSULT and tokens[index - 1][0] not in _PUNCTUATION)


def _body_insult(tokens: list, index: int, lexicon: _Lexicon) -> bool:
    """Say whether the word is "ass" after an insulting adjective ("your ignorant ass"), a person whatever follows."""
    return tokens[index][0] in _BODY and index > 0 and tokens[index - 1][0] in lexicon.adjectives


def _names_a_person(tokens: list, index: int, kind: str, lexicon: _Lexicon) -> bool:
    """Say whether the words after an insult leave it naming a person ("a liar.", "a dense little dude")
    rather than a thing ("a hack job", "a stupid argument")."""
    after = tokens[index + 1][0] if index + 1 < len(tokens) else "."
    if kind == "strong":
        return True
    if kind != "adjective":
        return after in _AFTER_INSULT
    following = index + 1
    while following < len(tokens) and tokens[following][0] in _FILLERS and tokens[following][0] != ",":
        following += 1
    after = tokens[following][0] if following < len(tokens) else "."
    if after in lexicon.nouns or after in lexicon.strong or after in lexicon.adjectives:
        return following > index + 1
    return after in _AFTER_INSULT or after in _PERSON_NOUNS or after in lexicon.targets or after in lexicon.persons


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
    position = _article_before(tokens, first) if kind != "adjective" else -1
    article = position >= 0
    position = (position if article else first) - 1
    while position >= 0 and first - position <= 6:
        word = tokens[position][0]
        if word in _NEGATIONS:
            return None
        if word in ("a", "an"):
            article = True
        elif not (word in _FILLERS or word in lexicon.adjectives or word in lexicon.strong or word[-2:] == "ly"):
            break
        position -= 1
    if position < 0:
        return None
    word, start, _ = tokens[position]
    if word in _YOU or scan.origin[start] in scan.mentions:
        return _vocative(tokens, position, first, kind)
    if word in _YOUR:
        return _possessive(tokens, position, first, kind, article)
    you = _you_before_aside(tokens, position, first) if kind != "adjective" and not article else -1
    if you >= 0:
        return ("direct", tokens[you][1])
    if word in _COPULAS or word in _ADVERBS:
        return _subject(scan, position, kind)
    return None


def _you_before_aside(tokens: list, position: int, first: int) -> int:
    """Find "you" one or two unknown words before a noun that ends the sentence ("you tedious old hack."), or -1."""
    after = tokens[first + 1][0] if first + 1 < len(tokens) else "."
    if after not in (".", ","):
        return -1
    for you in (position - 1, position - 2):
        if you >= 0 and tokens[you][0] in _YOU and tokens[you + 1][0] not in _FILLERS:
            return -1 if you and tokens[you - 1][0] in _AUXILIARY_VERBS else you
    return -1


def _article_before(tokens: list, first: int) -> int:
    """Find "a", "an", "one" or "such" a few words before a noun ("a mean spirited azzhole"), or -1."""
    for position in range(first - 1, max(first - 5, -1), -1):
        word = tokens[position][0]
        if word in ("a", "an", "one", "such"):
            return position
        if word == "." or word in _YOU or word in _YOUR or word in _COPULAS or word in _NEGATIONS:
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


def _possessive(tokens: list, position: int, first: int, kind: str, article: bool):
    """Accept "your a troll" and "your stupid" (you're), and "your stupid ass", not "your stupid comment"."""
    after = tokens[first + 1][0] if first + 1 < len(tokens) else "."
    between = [word for word, _, _ in tokens[position + 1:first]]
    if article or (kind == "adjective" and all(word in _ADVERBS or word in ("as", "too", "to") for word in between)
                   and after in (".", ",", "and", "or", "as")):
        return ("direct", tokens[position][1])
    if kind != "adjective" and position + 1 < first and tokens[first][0] in ("ass", "self", "azz", "arse"):
        return ("direct", tokens[position][1])
    return None


def _subject(scan: _Scan, copula: int, kind: str):
    """Find whom a copula ("is", "are", "sound like") speaks of: the reader, the writer, an @name or a third person."""
    tokens = scan.tokens
    position = copula
    while position >= 0 and (tokens[position][0] in _COPULAS or tokens[position][0] in _ADVERBS):
        position -= 1
    if tokens[copula][0] in ("are", "were") and copula + 1 < len(tokens) and tokens[copula + 1][0] in _YOU:
        return ("direct", tokens[copula][1])
    if position < 0 or tokens[position][0] in (".", ",", "just", "please", "not", "stop"):
        return ("direct", tokens[copula][1]) if tokens[copula][0] in ("be", "being") else None
    word, start, _ = tokens[position]
    if word in _YOU or word in scan.lexicon.targets or scan.origin[start] in scan.mentions:
        return ("direct", start)
    if word in _FIRST_PERSONS or word in _THINGS or (position and tokens[position - 1][0] in _REPORTING):
        return None
    if kind != "adjective" and (word in _THIRD_PERSONS or _capitalised(scan, start)):
        return ("third", start)
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


def _loose(tokens: list, first: int, index: int, kind: str) -> _Hit | None:
    """Hold a strong insult or an insulting adjective that shares its sentence with "you" (and no negation),
    or an insult noun that is a whole short comment."""
    # Only short comments are counted word by word: the count matters up to four words.
    words = sum(1 for word, _, _ in tokens if word not in _PUNCTUATION) if len(tokens) <= 12 else len(tokens)
    if kind == "noun" and words <= 3:
        return _Hit("loose", tokens[first][1], tokens[index][2])
    if kind == "noun" or (first and tokens[first - 1][0] in _OTHERS):
        return None
    if kind == "adjective" and first and tokens[first - 1][0] in ("is", "'s", "was"):
        return None  # said of something else ("you are right that the plan is idiotic")
    sentence = {word for word, _, _ in _sentence(tokens, index)}
    if (sentence & _YOU or sentence & _YOUR or (words <= 4 and kind == "strong")) and not sentence & _NEGATIONS:
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
