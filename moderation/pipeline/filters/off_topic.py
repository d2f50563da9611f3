"""Flags remarks off point: spam (links elsewhere, disguised links, phone numbers, money offers, self-promotion, chain
letters, repeats, shouting, gibberish) and comments that a learned relevance model reads as chatter or talk of
something else, judged against the article or the parent comment when there is one.

Reads the rule's params: each signal's score (`link_score`, `bare_link_score`, `phone_score`, `money_score`,
`promotion_score`, `spam_word_score`, `repeat_score`, `shouting_score`, `gibberish_score`, `obfuscated_link_score`,
`chain_letter_score`, `low_relevance_score`; several combine), `allowed_domains`, `obfuscated_endings`,
`stopword_zipf`; for relevance `relevance_model` (a file under policies/models/), `min_words_for_relevance`,
`relevance_probability`, `long_comment_words`, `relevance_probability_long`, `relevance_probability_alone`,
`min_relevance`, `min_topic_relevance`, `min_words_for_silence`, `relevance_evidence_weight`; and
`weak_signals`, `discussion_probability`, `discussion_words` (signals a discussion may carry). Its lexicons:
`spam_phrases`, `spam_words`, `chain_requests` and `chain_threats` (a chain letter asks for both), `background`
(English word frequencies, for the rarity of words) and `news_vocabulary` (words of public debate).
"""
from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING

from moderation.pipeline import relevance
from moderation.pipeline.matching import positions
from moderation.pipeline.types import FilterResult, ModerationContext, Span, explained

if TYPE_CHECKING:
    from moderation.pipeline.normalise import NormalisedText
    from moderation.policy import Rule

_LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    r"|\b[a-z0-9][a-z0-9-]{1,62}\.(?:com|net|org|info|biz|ly|co|io|me|tk|ru|br|us|tv|be|gl|to|xyz|online|site|club)"
    r"\b(?:/[^\s<>\"']*)?")
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?([^/\s:?#]+)")
# A phone number is written in groups (305-555-0123, (305) 555 0123, +1 305.555.0123), not as one run of digits.
_PHONE = re.compile(r"(?<![\w$.,])(?:\+\d{1,3}[ .-]?)?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\w.,]?\d)")
_MONEY = re.compile(
    r"[$£€]\s?\d[\d,.]*\s*k?\+?\s*(?:usd\s*)?(?:/|per|a|an|each|every)\s*(?:hour|hr|day|week|wk|month|mo)\b"
    r"|\b\d[\d,.]*\s*(?:dollars|usd|bucks)\s*(?:/|per|a|an|each|every)\s*(?:hour|hr|day|week|month)\b")
_BARE_LINK_WORDS = 8
_SHORT_COMMENT_WORDS = 10
_LONG_COMMENT_WORDS = 100
# Stems (and their four-letter prefixes) of a context long enough for a comment's silence about it to count: a title
# alone says too little to hold a comment that shares none of its words.
_FULL_CONTEXT_TERMS = 60
_SHARED_BANDS = ((0.0, "(shared:none)"), (0.15, "(shared:little)"), (0.4, "(shared:some)"), (1.0, "(shared:much)"))
# Words of public debate ("congress", "embargo") that say a comment talks politics: this many is plenty.
_NEWS_WORDS = 3
_EVIDENCE_WORDS = 5
# The model reads this many words of a comment, so that a long one costs no more than one of a few paragraphs: its
# opening says whether it is chatter.
_READ_WORDS = 200
_LOWER_PAIRS = re.compile(r"[a-z]{2}")
# What every phone number holds, written so that it starts with a character class, which re scans for far faster.
_PHONE_DIGITS = re.compile(r"\d\d\d\)?[ .-]\d\d\d[ .-]\d\d\d\d")
_CURRENCY = ("$", "£", "€", "dollars", "bucks", "usd")
_UPPER_BYTES = string.ascii_uppercase.encode()
_LOWER_BYTES = string.ascii_lowercase.encode()
_TLD = re.compile(r"\.(?:com|net|org|info|biz|ly|co|io|me|tk|ru|br|us|tv|be|gl|to|xyz|online|site|club)\b")
# Words no English speaker types: five letters and no vowel, or six consonants in a row (asdfghjkl, xkcdqwrt).
_UNPRONOUNCEABLE = re.compile(r"\b(?:[bcdfghjklmnpqrstvwxz]{5,}|[a-z]*[bcdfghjklmnpqrstvwxz]{6,}[a-z]*)\b")
_CONSONANTS = re.compile(r"[bcdfghjklmnpqrstvwxz]{5}")
_WORD = re.compile(r"[a-z]+")
# A link written so that no link finder sees it: a scheme misspelt or doubled (hxxps://, htthttps://ps://) or a dot
# spelt out or spaced ("cashfast dot biz", "cashfast [dot] com", "bit . ly/x"); the endings come from the policy.
# Two links run together ("a.comhttp://b.com") hold a dot between the schemes; a doubled scheme holds none.
_BROKEN_SCHEME = re.compile(r"\bhxxps?:|://[\w-]*://")
_DOT_SPELT = r"(?:\s+\.\s+|\s*[\[({]\s*(?:dot|\.)\s*[\])}]\s*|\s+dot\s+)"
# A dot followed by a space ends a sentence ("in Miami. Com..."): only a path after the ending makes that a link.
_DOT_THEN_SPACE = r"\.\s+"
# Shorter names need a path after them to count ("bit . ly/3xyz", not "the dot com bubble").
_LONG_NAME = 4
_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "ed", "es", "er", "ly", "s")

_LABELS = {
    "link": "link to another site",
    "bare_link": "link to another site",
    "phone": "phone number",
    "money": "money offer",
    "promotion": "self-promotion",
    "spam_word": "words common in spam",
    "repeat": "the same text posted again",
    "shouting": "shouting in capitals",
    "gibberish": "gibberish",
    "obfuscated_link": "a disguised link",
    "chain_letter": "a chain letter",
    "low_relevance": "reads as chatter or talk of something else",
}


@dataclass(frozen=True, slots=True, eq=False)
class _Vocabulary:
    """A rule's word lists, compiled once: spam phrases by key word, word weights, the weights of content words
    (neither frequent nor general news vocabulary) and the listed words that are not plain letters."""

    phrases: dict
    spam_words: dict
    weights: dict
    content: dict
    news: frozenset
    irregular: frozenset
    allowed_domains: tuple
    spelt_link: re.Pattern
    endings: frozenset
    chain_requests: dict
    chain_threats: dict
    model: relevance.RelevanceModel | None
    weak_signals: frozenset
    evidence_words: frozenset


def check(text: NormalisedText, context: ModerationContext, rule: Rule) -> FilterResult:
    """Score a comment by its spam signals and, with something to judge against, its relevance to it."""
    vocabulary = _vocabulary(rule)
    findings = _spam(text, context, vocabulary)
    if vocabulary.model is not None:
        findings = _relevance(text, context, vocabulary, findings, rule)
    if not findings:
        return FilterResult()
    score = _combine(float(rule.params[f"{kind}_score"]) for kind in {kind for kind, _ in findings})
    spans = _merged(span for _, span in findings if span.end > span.start)
    kinds = ", ".join(dict.fromkeys(_LABELS[kind] for kind, _ in findings))
    return FilterResult(round(score, 3), spans, explained(kinds, spans))


def _merged(spans) -> tuple[Span, ...]:
    """Merge overlapping evidence ("check out my" and "my channel") into one span, in reading order."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda span: (span.start, span.end)):
        if merged and span.start <= merged[-1].end:
            last = merged.pop()
            if span.end <= last.end:
                merged.append(last)
                continue
            span = Span(last.start, span.end, last.text + span.text[last.end - span.start:])
        merged.append(span)
    return tuple(merged)


@lru_cache(maxsize=32)
def _vocabulary(rule: Rule) -> _Vocabulary:
    """Build, once per rule, the phrase index and the word weights (rarer words weigh more)."""
    weights = word_weights(rule.lexicons.get("background", ()), float(rule.params.get("stopword_zipf", 5.0)))
    neutral = frozenset(rule.lexicons.get("news_vocabulary", ()))
    model = relevance.load(rule.params["relevance_model"]) if "relevance_model" in rule.params else None
    evidence = float(rule.params.get("relevance_evidence_weight", 0.0))
    return _Vocabulary(
        phrases=_phrase_index(rule.lexicons.get("spam_phrases", ())),
        spam_words=_phrase_index(rule.lexicons.get("spam_words", ())),
        weights=weights,
        content=content_weights(weights, neutral),
        news=neutral,
        irregular=frozenset(word for word in weights if not _WORD.fullmatch(word)),
        allowed_domains=tuple(rule.params.get("allowed_domains", ())),
        spelt_link=_spelt_link(tuple(rule.params.get("obfuscated_endings", ()))),
        endings=frozenset(rule.params.get("obfuscated_endings", ())),
        chain_requests=_phrase_index(rule.lexicons.get("chain_requests", ())),
        chain_threats=_phrase_index(rule.lexicons.get("chain_threats", ())),
        model=model,
        weak_signals=frozenset(rule.params.get("weak_signals", ())),
        # The words heavy enough to be shown as evidence, so that finding a comment's is a set intersection.
        evidence_words=frozenset(word for word, weight in model.weights.items() if weight >= evidence) if model
        else frozenset(),
    )


def _spelt_link(endings: tuple[str, ...]) -> re.Pattern:
    """A pattern for a site name, a dot spelt out or spaced, and one of the policy's endings, with its path if any."""
    ending = "(?:" + "|".join(map(re.escape, endings)) + ")" if endings else "(?!)"
    name = r"\b([a-z0-9][a-z0-9-]{1,62})"
    return re.compile(rf"{name}(?:{_DOT_SPELT}{ending}\b(/\S*)?|{_DOT_THEN_SPACE}{ending}(/\S+))")


def word_weights(background: tuple[str, ...], stopword_zipf: float) -> dict[str, float]:
    """Weigh each word of the background list (`word zipf` a line) by its rarity; frequent words weigh nothing."""
    weights = {}
    for entry in background:
        word, zipf = entry.split()
        weights[word] = round(stopword_zipf + 1.0 - float(zipf), 2) if float(zipf) < stopword_zipf else 0.0
    return weights


def content_weights(weights: dict[str, float], neutral: frozenset[str]) -> dict[str, float]:
    """The weights of the words that carry a topic: neither frequent nor general news vocabulary."""
    return {word: weight for word, weight in weights.items() if weight and word not in neutral}


def _phrase_index(entries: tuple[str, ...]) -> dict[str, tuple[tuple[tuple[str, ...], int], ...]]:
    """Index phrases by their longest word (the rarest, as a rule), so most comments need no phrase matching."""
    index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for phrase in entries:
        words = tuple(phrase.split())
        key = max(range(len(words)), key=lambda position: len(words[position]))
        index.setdefault(words[key], []).append((words, key))
    return {word: tuple(phrases) for word, phrases in index.items()}


def _spam(text: NormalisedText, context: ModerationContext, vocabulary: _Vocabulary) -> list[tuple[str, Span]]:
    """Find every spam signal, each with the original characters that show it."""
    plain = text.plain or text
    findings = _links(plain, vocabulary.allowed_domains) + _obfuscated_links(
        plain, text.vocabulary, vocabulary.spelt_link, vocabulary.endings)
    if _PHONE_DIGITS.search(plain.text):
        findings += [("phone", plain.span(*match.span())) for match in _PHONE.finditer(plain.text)]
    if any(sign in plain.text for sign in _CURRENCY):
        findings += [("money", plain.span(*match.span())) for match in _MONEY.finditer(plain.text)]
    if not text.vocabulary.isdisjoint(vocabulary.phrases):
        findings += [("promotion", text.span(start, end)) for start, end in _phrases(text, vocabulary.phrases)]
    if not text.vocabulary.isdisjoint(vocabulary.spam_words):
        # In a comment of a few words a spam word is all there is to it ("subscribe please", "follow me on IG").
        kind = "promotion" if len(text.words) < _SHORT_COMMENT_WORDS else "spam_word"
        findings += [(kind, text.span(start, end)) for start, end in _phrases(text, vocabulary.spam_words)]
    if not text.vocabulary.isdisjoint(vocabulary.chain_threats):
        findings += _chain_letter(text, vocabulary)
    if context.recent_texts and _repeated(text.original, context.recent_texts):
        findings.append(("repeat", Span(0, len(text.original), text.original)))
    if _shouting(text.original):
        findings.append(("shouting", Span(0, len(text.original), text.original)))
    if _may_be_gibberish(text, vocabulary) and _unknown_unpronounceable(text.text, vocabulary.weights):
        findings += [("gibberish", text.span(start, end)) for start, end in _gibberish(text.text, vocabulary.weights)]
    return findings


def _links(plain: NormalisedText, allowed_domains: tuple[str, ...]) -> list[tuple[str, Span]]:
    """Find links to other sites; one with little said around it counts as posted rather than cited."""
    if "://" not in plain.text and "www." not in plain.text and not _TLD.search(plain.text):
        return []
    links = [match for match in _LINK.finditer(plain.text) if not _allowed(match.group(), allowed_domains)]
    kind = "bare_link" if links and _words_besides(plain.text, links) < _BARE_LINK_WORDS else "link"
    return [(kind, plain.span(*match.span())) for match in links]


def _obfuscated_links(plain: NormalisedText, vocabulary: frozenset, spelt_link: re.Pattern,
                      endings: frozenset) -> list[tuple[str, Span]]:
    """Find links disguised from link finders: nobody citing a source hides its address. A spelt-out dot needs an
    ending among the comment's words (`vocabulary`), a set lookup: the pattern would try a name at every word."""
    found = []
    if "://" in plain.text or "hxxp" in plain.text:
        found += [match.span() for match in _BROKEN_SCHEME.finditer(plain.text)]
    if not vocabulary.isdisjoint(endings):
        found += [match.span() for match in spelt_link.finditer(plain.text)
                  if len(match.group(1)) >= _LONG_NAME or match.group(2) or match.group(3)]
    return [("obfuscated_link", plain.span(start, end)) for start, end in found]


def _chain_letter(text: NormalisedText, vocabulary: _Vocabulary) -> list[tuple[str, Span]]:
    """A request to pass the comment on together with a promise or threat: asking readers to share alone is not one."""
    requests = []
    if not text.vocabulary.isdisjoint(vocabulary.chain_requests):
        requests = _phrases(text, vocabulary.chain_requests)
    threats = _phrases(text, vocabulary.chain_threats) if requests else []
    if not threats:
        return []
    return [("chain_letter", text.span(start, end)) for start, end in requests + threats]


def _words_besides(text: str, links: list) -> int:
    """Count the words of a comment outside its links: a link with little said around it is posted, not cited."""
    return len(text.split()) - sum(len(match.group().split()) for match in links)


def _allowed(link: str, domains: tuple[str, ...]) -> bool:
    """Say whether a link points at the site itself (or a domain the policy allows)."""
    host = _DOMAIN.match(link).group(1)
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def _phrases(text: NormalisedText, index: dict) -> list[tuple[int, int]]:
    """Return the ranges of the spam phrases found among the words, looked up where their key words stand."""
    words, tokens = text.words, text.tokens
    found = []
    for position in sorted(positions(tokens, text.vocabulary.intersection(index))):
        for phrase, key in index[tokens[position]]:
            start = position - key
            end = start + len(phrase)
            if start >= 0 and tokens[start:end] == phrase:
                found.append((words[start][1], words[end - 1][2]))
    return found


def _may_be_gibberish(text: NormalisedText, vocabulary: _Vocabulary) -> bool:
    """A cheap screen with set operations: is there a long word that the background list lacks (or that holds more
    than plain letters, it's), with five consonants in a row? Most comments have none."""
    unknown = text.vocabulary.difference(vocabulary.weights) | (text.vocabulary & vocabulary.irregular)
    return bool(_CONSONANTS.search(" ".join(word for word in unknown if len(word) >= 5)))


def _unknown_unpronounceable(text: str, weights: dict) -> bool:
    """Say whether a word of five letters or more that the background list lacks is unpronounceable."""
    return any(len(word) >= 5 and word not in weights and _UNPRONOUNCEABLE.fullmatch(word)
               for word in set(_WORD.findall(text)))


def _repeated(original: str, recent: tuple[str, ...]) -> bool:
    """Say whether the author posted this very text (ignoring case and spacing) recently."""
    if len(original) < 20:
        return False
    mine = _squashed(original)
    return any(_squashed(other) == mine for other in recent)


@lru_cache(maxsize=1024)
def _squashed(text: str) -> str:
    """A text case folded with its spacing reduced to single spaces (cached: an author's recent comments recur)."""
    return " ".join(text.split()).casefold()


def _shouting(original: str) -> bool:
    """Say whether a comment of some length is written (almost) all in capitals."""
    upper = _count_bytes(original, _UPPER_BYTES)
    if upper < 20 or next(islice(_LOWER_PAIRS.finditer(original, 0, 400), 8, None), None):
        return False
    return upper >= 4 * _count_bytes(original, _LOWER_BYTES)


def _count_bytes(text: str, letters: bytes) -> int:
    """Count the ASCII `letters` in a text, in C: UTF-8 writes no other character with an ASCII byte."""
    encoded = text.encode("utf-8", "surrogatepass")
    return len(encoded) - len(encoded.translate(None, letters))


def _gibberish(text: str, weights: dict) -> list[tuple[int, int]]:
    """Return unpronounceable unknown words if they make up much of the comment (keyboard mashing)."""
    matches = [match for match in _UNPRONOUNCEABLE.finditer(text) if match.group() not in weights]
    if not matches:
        return []
    words = max(1, text.count(" ") + 1)
    if len(matches) >= 3 or len(matches) / words >= 0.5 or any(len(m.group()) >= 12 for m in matches):
        return [match.span() for match in matches]
    return []


def _has_context(context: ModerationContext) -> bool:
    """Say whether there is an article or a parent comment to judge a comment against."""
    return bool(context.article_title or context.article_text or context.parent_text)


def _relevance(text: NormalisedText, context: ModerationContext, vocabulary: _Vocabulary, findings: list,
               rule: Rule) -> list[tuple[str, Span]]:
    """The spam findings that stand, with a low-relevance finding when the comment reads as chatter or talk of
    something else. The model is asked only when its answer can change something (most comments on the story share
    its words and have no spam signal: they need the overlap alone)."""
    params, tokens = rule.params, text.tokens
    shared = overlap(tokens[:_READ_WORDS], text.vocabulary, context, vocabulary.content, vocabulary.news)
    spared = _speaks_of_it(shared, params)
    weak = any(kind in vocabulary.weak_signals for kind, _ in findings) and len(tokens) >= int(
        params["discussion_words"])
    probability = None
    if weak or (not spared and len(tokens) >= int(params["min_words_for_relevance"])):
        words, pairs, numeric = relevance_inputs(text, shared, vocabulary.news)
        probability = vocabulary.model.probability(words, pairs, _term_value(words, pairs), numeric)
    if weak and probability < float(params["discussion_probability"]):
        # Readers cite links and prices, say "subscribe" and shout when they discuss: such weak signals count only
        # in a comment that does not read as discussion.
        findings = [finding for finding in findings if finding[0] not in vocabulary.weak_signals]
    if spared:
        return findings
    return findings + _low_relevance(text, shared, probability, vocabulary, params)


def _speaks_of_it(shared: Overlap | None, params) -> bool:
    """Say whether a comment shares enough of its words with a whole article or the comment it answers."""
    return shared is not None and shared.certainty == 1.0 and (
        shared.share >= float(params["min_relevance"]) or shared.topic_share >= float(params["min_topic_relevance"]))


def _low_relevance(text: NormalisedText, shared: Overlap | None, probability: float | None, vocabulary: _Vocabulary,
                   params) -> list[tuple[str, Span]]:
    """Hold a comment (not a short reaction: "Agreed.", "Great article" answer too) that the model reads as chatter
    or talk of something else, or one that shares (almost) none of its rare words with a whole article or the
    comment it answers. The evidence is its heaviest words."""
    words = len(text.tokens)
    if shared is None:
        # With nothing to answer, only what reads as spam or chatter anywhere.
        needed = params["relevance_probability_alone"]
    else:
        # A long comment reads as discussion more often than the forum answers the model learnt from: it needs more.
        needed = params["relevance_probability_long" if words >= int(params["long_comment_words"])
                        else "relevance_probability"]
    held = probability is not None and probability >= float(needed)
    silent = shared is not None and shared.certainty == 1.0 and shared.words >= int(params["min_words_for_silence"])
    if not (held or silent):
        return []
    weights = vocabulary.model.weights
    # Ties broken by the word, so that the evidence is the same in every process (sets iterate in hash order).
    heaviest = sorted(text.vocabulary & vocabulary.evidence_words, key=lambda word: (-weights[word], word))
    # Where each of the heaviest words first stands: a long comment would otherwise list dozens.
    spans = [text.span(*text.words[text.tokens.index(word)][1:]) for word in heaviest[:_EVIDENCE_WORDS]]
    return [("low_relevance", span) for span in spans or [Span(0, len(text.original), text.original)]]


@dataclass(frozen=True, slots=True)
class Overlap:
    """How much of a comment's content (rare English words, weighted by rarity) what it answers shares, how many such
    words it has, and how far the context can be trusted (1 for a whole article or comment, less for a title)."""

    share: float
    words: int
    certainty: float
    topic_share: float


def overlap(tokens: tuple[str, ...], vocabulary: frozenset, context: ModerationContext, content: dict,
            news: frozenset) -> Overlap | None:
    """The overlap with the article's title and text or the parent comment, whichever is larger, of the rare words
    (weighted) and of the topic words (rare or of public debate, "talks", "families", counted once each); None with
    neither. `vocabulary` is the comment's distinct words."""
    if not _has_context(context):
        return None
    sources = [_terms(context.article_title, context.article_text)]
    if context.parent_text:
        sources.append(_terms(context.parent_text))
    certainty = min(1.0, max(len(source.stems) for source in sources) / _FULL_CONTEXT_TERMS)
    topic = (vocabulary & content.keys()) | (vocabulary & news)
    matched = [source.matched(topic) for source in sources]
    topic_share = max(map(len, matched)) / len(topic) if topic else 0.0
    words = _content_words(tokens, content)
    if not words:
        return Overlap(0.0, 0, certainty, topic_share)
    best = max(sum(map(content.__getitem__, filter(found.__contains__, words))) for found in matched)
    return Overlap(best / sum(map(content.__getitem__, words)), len(words), certainty, topic_share)


def relevance_features(text: NormalisedText, context: ModerationContext, content: dict,
                       news: frozenset) -> dict[str, float]:
    """The relevance model's features by name, as training sees them (serving sums the same, see `_relevance`); a
    word pair is named by its words joined with `+`."""
    shared = overlap(text.tokens[:_READ_WORDS], text.vocabulary, context, content, news)
    words, pairs, numeric = relevance_inputs(text, shared, news)
    found = dict.fromkeys(words, _term_value(words, pairs))
    found.update(dict.fromkeys(map("+".join, pairs), _term_value(words, pairs)))
    found.update(numeric)
    return found


def relevance_inputs(text: NormalisedText, shared: Overlap | None, news: frozenset) -> tuple[set, set, dict]:
    """The distinct words and word pairs of a comment's first `_READ_WORDS` words (all of one value, `_term_value`)
    and its numeric features: its length, punctuation and words of public debate, and its overlap with what it
    answers in bands, weaker with a context of a few words (a title alone); with no content words or no context, no
    band."""
    tokens = text.tokens[:_READ_WORDS]
    numeric = {
        "(words)": min(len(tokens), _LONG_COMMENT_WORDS) / _LONG_COMMENT_WORDS,
        "(question)": float("?" in text.text),
        "(exclamation)": float("!" in text.text),
        "(news)": min(len(text.vocabulary & news), _NEWS_WORDS) / _NEWS_WORDS,
    }
    if shared is not None and shared.words:
        # In bands, so that the model can learn that little overlap says more than none or much.
        numeric[next(name for limit, name in _SHARED_BANDS if shared.share <= limit)] = shared.certainty
    # Pairs as tuples, not joined strings: the model looks them up as they are, which costs no string per pair.
    return set(tokens), set(zip(tokens, tokens[1:])), numeric


def _term_value(words: set, pairs: set) -> float:
    """Scaled so that a long comment does not add up many small weights into a certainty."""
    return 1.0 / math.sqrt(len(words) + len(pairs) or 1)


def _content_words(tokens: tuple[str, ...], content: dict) -> list[str]:
    """Keep the known English words that carry meaning (not frequent, not general news vocabulary), in order."""
    return list(filter(content.__contains__, tokens))


class _Source:
    """The stems of a text (and their four-letter prefixes), with the comment words already found to share one or
    not: the same words recur in comment after comment, so most are looked up in a set rather than stemmed."""

    __slots__ = ("stems", "hits", "misses")

    def __init__(self, stems: frozenset):
        self.stems, self.hits, self.misses = stems, set(), set()

    def matched(self, words: frozenset) -> frozenset:
        """The words (topic words of a known vocabulary, so the memory is bounded) that share a stem with the text."""
        for word in words - self.hits - self.misses:
            (self.hits if _matches(word, self.stems) else self.misses).add(word)
        return words & self.hits


@lru_cache(maxsize=256)
def _terms(*sources: str) -> _Source:
    """The stems of an article's (title and text) or a parent comment's words, computed once per text: the texts
    are the key as they are, since joining them anew for every comment would cost a copy and a hash of the article."""
    stems = set()
    for word in _WORD.findall("\n".join(sources).casefold()):
        stem = _stem(word)
        stems.add(stem)
        stems.add(stem[:4])
    return _Source(frozenset(stems))


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """Cut a common suffix and keep at most five letters, a crude stem that errs towards matching."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[:-len(suffix)][:5]
    return word[:5]


def _matches(word: str, terms: frozenset) -> bool:
    """Say whether a comment word shares its stem with a word of the source (cuban ~ cuba, issuing ~ issued); a
    longer word must share more than its first four letters (fourth is not four)."""
    stem = _stem(word)
    return stem in terms or (len(word) <= 5 and stem[:4] in terms)


def _combine(scores) -> float:
    """Combine independent signals so that each adds evidence but none alone is pushed past its own score."""
    remaining = 1.0
    for score in scores:
        remaining *= 1.0 - score
    return 1.0 - remaining
