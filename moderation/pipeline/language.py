"""The languages a comment is written in, so that the policy's rules for each of them run.

The main language comes from langid.py's naive-Bayes model over byte n-grams (py3langid, whose model ships inside the
package: nothing is downloaded), over all of its 97 languages, so that a comment in a language the policy does not
cover is told apart. A second language the policy covers is added when the comment holds enough of that language's
function words (the policy's `function_words` lists: "que", "pero", "los"; "the", "and", "with"), which a whole-text
classifier cannot see in a comment that switches language mid-sentence. A comment too short for either to be sure of
is judged by every language the policy covers: the rules are cheap on a short text, and a missed insult is not.

Measured on short comments of the public sets (docs/evaluation.md, "Language of a comment").
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from moderation.pipeline.normalise import NormalisedText

# Below this many letters a comment is too short for the model (it reads "lol ok" as Volapük, "Cállate, idiota." as
# Hungarian): every covered language's rules run.
MIN_LETTERS = 20
# A language the policy does not cover is the comment's only when the model gives it at least this probability;
# below it the comment is read as the covered language the model finds likeliest.
UNCOVERED_PROBABILITY = 0.5
# A second covered language needs this many distinct function words, and this share of all function words found.
SECOND_LANGUAGE_WORDS = 2
SECOND_LANGUAGE_SHARE = 0.25
# Links and @names say nothing of the language and weigh much in a short comment.
_NOT_LANGUAGE = re.compile(r"https?://\S+|www\.\S+|(?<!\w)[@#]\w+")
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _identifier():
    """langid.py's model with probabilities normalised over its languages (loaded once, about 100 ms)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@dataclass(frozen=True, slots=True)
class LanguageDetector:
    """The languages a policy covers (its own first), each with its function words (normalised: no accents)."""

    function_words: Mapping[str, frozenset[str]]

    @property
    def covered(self) -> tuple[str, ...]:
        """The ISO 639-1 codes of the languages the policy has rules for, its own language first."""
        return tuple(self.function_words)

    def detect(self, text: str, normalised: NormalisedText | None = None) -> tuple[str, ...]:
        """The comment's languages as ISO 639-1 codes, the main one first: one uncovered language alone, or one or
        more covered ones. `normalised` is the comment's `normalise(text)` when the caller has it."""
        stripped = _NOT_LANGUAGE.sub(" ", text)
        if len(_LETTER.findall(stripped)) < MIN_LETTERS:
            return self._by_function_words(normalised, None)
        probabilities = dict(_identifier().rank(stripped))
        likeliest = max(probabilities, key=probabilities.__getitem__)
        if likeliest not in self.function_words:
            if probabilities[likeliest] >= UNCOVERED_PROBABILITY:
                return (likeliest,)
            likeliest = max(self.covered, key=lambda code: probabilities.get(code, 0.0))
        return self._by_function_words(normalised, likeliest)

    def _by_function_words(self, normalised: NormalisedText | None, main: str | None) -> tuple[str, ...]:
        """`main` and any covered language whose function words the comment holds enough of; with no `main` (a
        short comment), every covered language, the one with most function words first."""
        vocabulary = normalised.vocabulary if normalised is not None else frozenset()
        found = {code: len(vocabulary & words) for code, words in self.function_words.items()}
        if main is None:
            return tuple(sorted(self.covered, key=lambda code: -found[code]))
        total = sum(found.values())
        others = [code for code in self.covered if code != main and found[code] >= SECOND_LANGUAGE_WORDS
                  and found[code] >= SECOND_LANGUAGE_SHARE * total]
        return (main, *others)
