"""A linear model over words, kept as data: weights learned offline (policies/models/train_*.py) are summed over each
sentence of a comment at run time, and the heaviest words of the sentences it finds offensive are the evidence.

The weights file (policies/models/*.tsv) holds one `word<TAB>weight` a line, `#` lines being comments, and one
line `(bias)<TAB>weight`; words are written as `NormalisedText.tokens` gives them (folded, leetspeak undone).
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from operator import itemgetter
from types import MappingProxyType
from typing import Mapping

from moderation.pipeline.normalise import NormalisedText
from moderation.pipeline.types import Span

BIAS = "(bias)"
_SENTENCE_END = re.compile(r"[.!?;\n]+")
_STARTS = itemgetter(1)


class WeightsError(ValueError):
    """A weights file that cannot be read as one; `line` is the 1-based line at fault (0 for the file as a whole)."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line


@dataclass(frozen=True, slots=True)
class LearnedScore:
    """The model's probability for the comment's most offensive sentence, and the words that weighed most in it."""

    probability: float
    spans: tuple[Span, ...] = ()
    aimed: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class WordWeights:
    """A bias and a weight per word: the probability of a sentence is the logistic of the bias plus its words' weights."""

    bias: float
    weights: Mapping[str, float] = field(repr=False)

    def heavy_words(self, weight: float) -> frozenset[str]:
        """The words weighing at least `weight`: a comment with none of them offers no evidence at that weight."""
        return frozenset(word for word, value in self.weights.items() if value >= weight)

    def score(self, text: NormalisedText, evidence_weight: float, evidence_probability: float = 0.5,
              aimed_at: frozenset[str] = frozenset(), skipped: frozenset[str] = frozenset()) -> LearnedScore:
        """Score every sentence by its distinct words and keep the highest, passing over sentences that hold a word of
        `skipped` (a negation, say, which a sum of word weights cannot read); the evidence is each word weighing at
        least `evidence_weight` in a sentence whose probability reaches `evidence_probability`, and `aimed` says
        whether such a sentence also holds a word of `aimed_at` (a word for a person, say)."""
        tokens, words = text.tokens, text.words
        if not tokens:
            return LearnedScore(_logistic(self.bias))
        get = self.weights.get
        starts = list(map(_STARTS, words))
        ranges, first = [], 0
        for end in _sentence_ends(text.text):
            last = bisect_left(starts, end, first)
            if last > first:
                ranges.append((first, last))
                first = last
        if first < len(tokens):
            ranges.append((first, len(tokens)))
        best, evidence, aimed = -math.inf, [], False
        for first, last in ranges:
            sentence = tokens[first:last]
            if skipped and not skipped.isdisjoint(sentence):
                continue
            total = self.bias + sum(map(self.weights.__getitem__, self.weights.keys() & sentence))
            best = max(best, total)
            if _logistic(total) >= evidence_probability:
                evidence += [index for index in range(first, last) if get(tokens[index], 0.0) >= evidence_weight]
                aimed = aimed or not aimed_at.isdisjoint(sentence)
        spans = tuple(text.span(words[index][1], words[index][2]) for index in evidence)
        return LearnedScore(_logistic(best), spans, aimed)


def _sentence_ends(text: str) -> list[int]:
    """Where each sentence of the normalised text ends."""
    return [match.end() for match in _SENTENCE_END.finditer(text)]


def _logistic(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, value))))


def parse_weights(content: str) -> WordWeights:
    """Read a weights file; raises WeightsError naming the line for anything but `word<TAB>number` and one bias."""
    bias = None
    weights: dict[str, float] = {}
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2 or not fields[0].strip():
            raise WeightsError(number, "expected a word, a tab and a weight")
        word, value = fields[0].strip(), fields[1].strip()
        try:
            weight = float(value)
        except ValueError:
            raise WeightsError(number, f"weight {value!r} is not a number") from None
        if not math.isfinite(weight):
            raise WeightsError(number, f"weight {value!r} is not finite")
        if word == BIAS:
            if bias is not None:
                raise WeightsError(number, f"a second {BIAS} line")
            bias = weight
        elif word in weights:
            raise WeightsError(number, f"{word!r} is listed twice")
        elif word != word.lower() or any(ch.isspace() for ch in word):
            raise WeightsError(number, f"{word!r} is not a normalised word (lower case, no spaces)")
        else:
            weights[word] = weight
    if bias is None:
        raise WeightsError(0, f"no {BIAS} line")
    return WordWeights(bias, MappingProxyType(weights))
