"""Learned rules: one linear model over character and word n-grams of the normalised text, with a head per kind of
harm (toxic, hate, insult), kept as data under policies/models/ and trained by `flask --app moderation policy train`.

Features, shared by training and serving so that both see the same thing: for every word of `NormalisedText.tokens`,
its character 3-, 4- and 5-grams padded with a space at each end and the word itself; for every two words in a row,
the pair. A feature's value is its count times its idf, over the square root of the number of features of its
sentence; a comment's logit per head is that of its worst sentence. A sentence's logit is thus a sum over its words
and pairs, each share computed once and cached, and the evidence for a score is the words whose share moved it most,
mapped back to the original characters.

The artifact (`*.npz`, no pickles) holds `vocabulary` (UTF-8, one feature a line), `weights` (features × heads,
idf folded in), `bias`, `heads`, `masked` (the identity words read as one feature, see IDENTITY) and Platt
`calibration` (a, b per head: p = 1 / (1 + exp(-(a z + b)))) fitted on the development fold, so a probability
threshold in the policy means what it says there.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Callable, Mapping

import numpy as np

from moderation.pipeline.normalise import NormalisedText
from moderation.pipeline.types import FilterResult, Span, explained

GRAM_SIZES = (3, 4, 5)
_SENTENCE_END = re.compile(r"[.!?;\n]+")
WORD_MARK = "\x01"
PAIR_MARK = "\x02"
# What an identity word (the artifact's `masked` list: Muslim, gay, Cuban...) becomes: one feature for all of them,
# so that the model learns what is said of a group ("<identity> are vermin") and never that naming one is toxic
# (the identity-term masking of Dixon et al. 2018, "Measuring and mitigating unintended bias in text classification").
IDENTITY = "\x03identity"
# Sentences shorter than this join the next: too few features to be judged alone.
MIN_SENTENCE_WORDS = 4
# A word's share must reach this fraction of the largest share, and this many logits, to be shown as evidence.
EVIDENCE_SHARE = 0.35
EVIDENCE_LOGITS = 0.15


class ModelError(ValueError):
    """An artifact that cannot be read as a model; the message names what is wrong."""


def word_features(word: str, masked: frozenset[str] = frozenset()) -> list[str]:
    """The features of one word: its padded character n-grams and the word itself, or the identity feature alone."""
    if word in masked:
        return [IDENTITY]
    padded = f" {word} "
    grams = [padded[i:i + n] for n in GRAM_SIZES for i in range(len(padded) - n + 1)]
    grams.append(WORD_MARK + word)
    return grams


def pair_features(tokens: tuple[str, ...], masked: frozenset[str] = frozenset()) -> list[str]:
    """The features of every two words in a row (identity words as one placeholder)."""
    if masked:
        tokens = tuple(IDENTITY if token in masked else token for token in tokens)
    return [f"{PAIR_MARK}{first} {second}" for first, second in zip(tokens, tokens[1:])]


def features(tokens: tuple[str, ...], masked: frozenset[str] = frozenset()) -> list[str]:
    """Every feature of a comment's words, with repeats (the training analyser; serving sums cached word shares)."""
    found = [gram for token in tokens for gram in word_features(token, masked)]
    found += pair_features(tokens, masked)
    return found


@dataclass(frozen=True, slots=True)
class HeadScore:
    """One head's calibrated probability and the words (spans of the original) that raised it most."""

    probability: float
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, eq=False)
class LinearModel:
    """The heads' weights over a shared vocabulary; `logits` are cached per comment, so every filter shares one pass."""

    heads: tuple[str, ...]
    vocabulary: dict[str, int] = field(repr=False)
    weights: np.ndarray = field(repr=False)
    bias: np.ndarray = field(repr=False)
    calibration: np.ndarray = field(repr=False)
    masked: frozenset[str] = frozenset()

    def __post_init__(self):
        # Per-model caches: a word's share of the logits and its feature count, and a pair's share.
        object.__setattr__(self, "_word", lru_cache(maxsize=1 << 16)(self._word_share))
        object.__setattr__(self, "_pair", lru_cache(maxsize=1 << 16)(self._pair_share))

    @classmethod
    def load(cls, source: Path | BinaryIO) -> LinearModel:
        """Read an artifact written by `save` (a path or an open binary file); raises ModelError naming the missing or
        inconsistent part."""
        try:
            with np.load(source, allow_pickle=False) as data:
                parts = {name: data[name] for name in ("vocabulary", "weights", "bias", "heads", "calibration", "masked")}
        except KeyError as missing:
            raise ModelError(f"no array {missing} in the artifact") from None
        except (OSError, ValueError) as error:
            raise ModelError(f"not a model artifact: {error}") from None
        vocabulary = bytes(parts["vocabulary"]).decode("utf-8").split("\n")
        heads = tuple(bytes(parts["heads"]).decode("utf-8").split("\n"))
        masked = frozenset(filter(None, bytes(parts["masked"]).decode("utf-8").split("\n")))
        weights = parts["weights"].astype(np.float32)
        if weights.shape != (len(vocabulary), len(heads)):
            raise ModelError(f"weights are {weights.shape}, expected ({len(vocabulary)}, {len(heads)})")
        if parts["bias"].shape != (len(heads),) or parts["calibration"].shape != (len(heads), 2):
            raise ModelError("bias or calibration does not have one entry per head")
        if not (np.isfinite(weights).all() and np.isfinite(parts["calibration"]).all()):
            raise ModelError("weights or calibration hold a value that is not finite")
        return cls(heads, {feature: index for index, feature in enumerate(vocabulary)}, weights,
                   parts["bias"].astype(np.float64), parts["calibration"].astype(np.float64), masked)

    def save(self, path: Path) -> None:
        """Write the artifact: compressed arrays, weights as float16 (the scores move by less than 1e-3)."""
        ordered = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(
            path, vocabulary=np.frombuffer("\n".join(ordered).encode("utf-8"), dtype=np.uint8),
            heads=np.frombuffer("\n".join(self.heads).encode("utf-8"), dtype=np.uint8),
            masked=np.frombuffer("\n".join(sorted(self.masked)).encode("utf-8"), dtype=np.uint8),
            weights=self.weights.astype(np.float16), bias=self.bias, calibration=self.calibration)

    def head(self, name: str) -> int:
        """The column of a head; raises KeyError naming the heads there are."""
        try:
            return self.heads.index(name)
        except ValueError:
            raise KeyError(f"no head {name!r} (the model has {', '.join(self.heads)})") from None

    def _word_share(self, word: str) -> tuple[tuple[float, ...], int]:
        """The summed weights of one word's features, a float per head (plain tuples: summing them with zip beats a
        NumPy call per word), and how many features it has."""
        grams = word_features(word, self.masked)
        get = self.vocabulary.get
        rows = [index for index in map(get, grams) if index is not None]
        return tuple(self.weights[rows].sum(axis=0).tolist()), len(grams)

    def _pair_share(self, first: str, second: str) -> tuple[float, ...] | None:
        """The weights of two words in a row, or None when the pair is no feature."""
        index = self.vocabulary.get(pair_features((first, second), self.masked)[0])
        return None if index is None else tuple(self.weights[index].tolist())

    def logits(self, text: NormalisedText) -> tuple[float, ...]:
        """The raw logit per head of the comment's worst sentence for that head: tweets, forum sentences and short
        comments are what the model learned from, so a long comment is judged a sentence at a time. Plain Python
        over cached word shares, summed in C by zip (a handful of NumPy calls would cost more); once per comment."""
        key = ("logits", id(self))
        cached = text._cache.get(key)
        if cached is None:
            tokens, shares = text.tokens, list(map(self._word, text.tokens))
            sentences = [self._sentence_total(tokens, shares, first, last) for first, last in _sentences(text)]
            cached = tuple(bias + max(total[head] for total in sentences) if sentences else bias
                           for head, bias in enumerate(self.bias.tolist()))
            text._cache[key] = cached
        return cached

    def _sentence_total(self, tokens, shares, first: int, last: int) -> list[float]:
        """One sentence's logit per head before the bias: its words' and pairs' weights over √(feature count)."""
        in_sentence = shares[first:last]
        pairs = [share for share in map(self._pair, tokens[first:last - 1], tokens[first + 1:last]) if share]
        totals = [sum(column) for column in zip(*(share for share, _ in in_sentence), *pairs)]
        count = sum(grams for _, grams in in_sentence) + last - first - 1
        scale = 1.0 / math.sqrt(count) if count > 0 else 0.0
        return [total * scale for total in totals]

    def probability(self, text: NormalisedText, head: str) -> float:
        """The calibrated probability of one head for the comment."""
        column = self.head(head)
        a, b = self.calibration[column]
        return _logistic(a * self.logits(text)[column] + b)

    def score(self, text: NormalisedText, head: str) -> HeadScore:
        """The head's probability and its evidence: in its worst sentence, the words whose share (their features'
        weights, and half of each pair's they are in, over the sentence's scale) was largest."""
        column = self.head(head)
        probability = self.probability(text, head)
        tokens = text.tokens
        if not tokens:
            return HeadScore(probability)
        shares = list(map(self._word, tokens))
        first, last = max(_sentences(text),
                          key=lambda bounds: self._sentence_total(tokens, shares, *bounds)[column])
        moved = [shares[i][0][column] for i in range(first, last)]
        get = self.vocabulary.get
        for offset, pair in enumerate(pair_features(tokens[first:last], self.masked)):
            index = get(pair)
            if index is not None:
                half = float(self.weights[index, column]) / 2
                moved[offset] += half
                moved[offset + 1] += half
        count = sum(grams for _, grams in shares[first:last]) + last - first - 1
        scale = 1.0 / math.sqrt(count) if count > 0 else 0.0
        floor = max(EVIDENCE_LOGITS, max(moved) * scale * EVIDENCE_SHARE)
        words = text.words
        return HeadScore(probability, tuple(text.span(words[first + i][1], words[first + i][2])
                                            for i, value in enumerate(moved) if value * scale >= floor))


def _sentences(text: NormalisedText) -> list[tuple[int, int]]:
    """The comment's sentences as word ranges [first, last), a sentence of fewer than MIN_SENTENCE_WORDS words joined
    to the next ("Ah, Ms." is no sentence: alone, its two words would weigh as much as a whole sentence's)."""
    words = text.words
    if not words:
        return []
    ends = _sentence_ends(text.text)
    if not ends or ends[0] > words[-1][1]:
        return [(0, len(words))]
    ranges, first, previous = [], 0, None
    for position, (_, start, _) in enumerate(words):
        boundary = bisect_right(ends, start)
        if previous is not None and boundary != previous and position - first >= MIN_SENTENCE_WORDS:
            ranges.append((first, position))
            first = position
        previous = boundary
    ranges.append((first, len(words)))
    return ranges


def _sentence_ends(text: str) -> list[int]:
    """Where each sentence of the normalised text ends."""
    return [match.end() for match in _SENTENCE_END.finditer(text)]


def _logistic(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, float(value)))))


@dataclass(frozen=True, slots=True)
class ModelUse:
    """How one rule reads the model (its `[rules.ID.model]` table): the heads whose calibrated probability alone
    holds a comment for review, each with its threshold (`holds`); the heads that confirm a finding of the rule's own
    grammar that is not a certainty, each with the probability it must reach (`confirms`); the score a hold gets
    (review, never reject) and the explanation the reader is shown."""

    model: LinearModel
    holds: Mapping[str, float]
    confirms: Mapping[str, float]
    score: float
    explanation: str


def combine(result: FilterResult, text: NormalisedText, use: ModelUse | None, certain: bool = False,
            countered: Callable[[HeadScore], bool] | None = None) -> FilterResult:
    """Merge a rule's own finding with the model: an uncertain finding stands only if a head reaches its `confirms`
    (rules propose, the model decides what a list cannot: "the rates", "Islamic terrorism"); a head reaching its
    hold probability holds the comment for review with its words as evidence, unless the rule's grammar reads the
    comment as something a bag of words cannot tell apart (`countered(evidence)` true: counter-speech, a negated or
    quoted insult), asked only then. A finding already at the hold's score keeps its own evidence and explanation."""
    if use is None:
        return result
    probabilities = {head: use.model.probability(text, head) for head in {*use.holds, *use.confirms}}
    if result.score and not certain and use.confirms and \
            all(probabilities[head] < value for head, value in use.confirms.items()):
        result = FilterResult()
    holding = [head for head, value in use.holds.items() if probabilities[head] >= value]
    if not holding or result.score >= use.score:
        return result
    head = max(holding, key=probabilities.__getitem__)
    found = use.model.score(text, head)
    if countered is not None and countered(found):
        return result
    added = [span for span in found.spans
             if not any(span.start < other.end and other.start < span.end for other in result.spans)]
    spans = tuple(sorted((*result.spans, *added), key=lambda span: (span.start, span.end)))
    finding = f"{use.explanation} ({head}, probability {found.probability:.2f})"
    return FilterResult(use.score, spans, explained(finding, found.spans, without_words="the comment as a whole"))
