"""The off-topic rule's learned relevance model: a logistic regression over named features (words, word pairs joined
by `+`, and numeric features in parentheses), read from a small tab-separated file under policies/models/ with no
dependency."""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent.parent.parent / "policies" / "models"


class RelevanceModelError(ValueError):
    """A relevance file that cannot be read; the message names the file and the line."""


@dataclass(frozen=True, slots=True, eq=False)
class RelevanceModel:
    """A bias, a weight per feature name and per word pair (plain dicts, read only: their lookups are the model's
    whole cost); a feature missing from the file weighs nothing."""

    bias: float
    weights: dict[str, float]
    pairs: dict[tuple[str, str], float]

    def logit(self, words: Iterable[str], pairs: Iterable[tuple[str, str]], term_value: float,
              numeric: Mapping[str, float]) -> float:
        """The log-odds that a comment is off point, from its words and word pairs (all of `term_value`) and its
        numeric features; the words' and pairs' weights are summed in C, then scaled once."""
        get = self.weights.get
        total = (sum(map(get, words, repeat(0.0))) + sum(map(self.pairs.get, pairs, repeat(0.0)))) * term_value
        return self.bias + total + sum(get(name, 0.0) * value for name, value in numeric.items())

    def probability(self, words: Iterable[str], pairs: Iterable[tuple[str, str]], term_value: float,
                    numeric: Mapping[str, float]) -> float:
        """The probability that a comment is off point (see `logit`)."""
        return 1.0 / (1.0 + math.exp(-self.logit(words, pairs, term_value, numeric)))


def load(filename: str, directory: Path = MODELS_DIR) -> RelevanceModel:
    """Read a relevance file (`name<TAB>weight` a line, `#` comments, one `(bias)` line) from `directory`."""
    path = directory / filename
    try:
        return _parsed(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as error:
        raise RelevanceModelError(f"{path}: cannot read ({error})") from error


@lru_cache(maxsize=4)
def _parsed(content: str, where: str) -> RelevanceModel:
    """Parse once per content: every policy loaded in a process shares the model."""
    weights = {}
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, tab, weight = line.rpartition("\t")
        try:
            weights[name] = float(weight)
        except ValueError:
            raise RelevanceModelError(f"{where}: line {number}: expected a feature, a tab and a weight") from None
        if not tab:
            raise RelevanceModelError(f"{where}: line {number}: expected a feature, a tab and a weight")
    if "(bias)" not in weights:
        raise RelevanceModelError(f"{where}: no (bias) line")
    bias = weights.pop("(bias)")
    # A pair is written "word+word"; a numeric feature "(name)".
    pairs = {tuple(name.split("+", 1)): weight for name, weight in weights.items()
             if "+" in name and not name.startswith("(")}
    return RelevanceModel(bias, weights, pairs)
