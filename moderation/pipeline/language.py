"""The languages a comment is written in, so that the policy's rules for each of them run.

A comment that holds several function words of the policy's own language and none of another covered one is in the
policy's language. Otherwise the main language comes from langid.py's naive-Bayes model over byte n-grams
(py3langid, whose model ships inside the package: nothing is downloaded), over all of its 97 languages, so that a comment in a language the policy does not
cover is told apart. A second language the policy covers is added when the comment holds enough of that language's
function words (the policy's `function_words` lists: "que", "pero", "los"; "the", "and", "with"), which a whole-text
classifier cannot see in a comment that switches language mid-sentence. A comment too short for either to be sure of
is judged by every language the policy covers, the likeliest first: the rules are cheap on a short text, and a missed
insult is not.

Measured on short comments of the public sets (docs/evaluation.md, "Language of a comment").
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from moderation.pipeline.normalise import NormalisedText, normalise

# Below this many letters a comment is too short for the model (it reads "lol ok" as Volapük, "Cállate, idiota." as
# Hungarian): every covered language's rules run.
MIN_LETTERS = 20
# A language the policy does not cover is the comment's only when the model gives it at least this probability;
# below it the comment is read as the covered language the model finds likeliest.
UNCOVERED_PROBABILITY = 0.5
# A comment holding this many distinct function words of the policy's own language and none of another covered one
# is in the policy's language: the model is not asked (it costs about as much as the rest of the pipeline on a
# typical comment, and most comments are in the policy's own language).
SURE_WORDS = 3
# A second covered language needs this many distinct function words, and this share of all function words found.
SECOND_LANGUAGE_WORDS = 2
SECOND_LANGUAGE_SHARE = 0.25
# Links and @names say nothing of the language and weigh much in a short comment.
_NOT_LANGUAGE = re.compile(r"https?://\S+|www\.\S+|(?<!\w)[@#]\w+")
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=4)
def _identifier(languages: tuple[str, ...] = ()):
    """langid.py's model with probabilities normalised over all its languages, or over `languages` alone (each loaded
    once, about 100 ms; `classify` costs about a third less than ranking every language)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages:
        identifier.set_languages([code for code in languages if code in identifier.nb_classes])
    return identifier


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
        found = self._function_words_found(text, normalised)
        own = self.covered[0]
        if found[own] >= SURE_WORDS and not any(found[code] for code in self.covered[1:]):
            return (own,)
        stripped = _NOT_LANGUAGE.sub(" ", text)
        # Counted only where there can be few: a comment of 100 characters or more is long enough.
        if len(stripped) < 100 and len(_LETTER.findall(stripped)) < MIN_LETTERS:
            likeliest = self._likeliest_covered(stripped)
            return (likeliest, *(code for code in self.covered if code != likeliest))
        likeliest, probability = _identifier().classify(stripped)
        if likeliest not in self.function_words:
            if probability >= UNCOVERED_PROBABILITY:
                return (likeliest,)
            likeliest = self._likeliest_covered(stripped)
        return self._by_function_words(found, likeliest)

    def _likeliest_covered(self, text: str) -> str:
        """The covered language the model finds likeliest (for a text it cannot place among all its languages)."""
        if len(self.covered) == 1:
            return self.covered[0]
        found = _identifier(self.covered).classify(text)[0]
        return found if found in self.function_words else self.covered[0]

    def _function_words_found(self, text: str, normalised: NormalisedText | None) -> dict[str, int]:
        """How many distinct function words of each covered language the comment holds."""
        vocabulary = (normalised or normalise(text)).vocabulary
        return {code: len(vocabulary & words) for code, words in self.function_words.items()}

    def _by_function_words(self, found: dict[str, int], main: str) -> tuple[str, ...]:
        """`main` and any covered language whose function words the comment holds enough of."""
        total = sum(found.values())
        others = [code for code in self.covered if code != main and found[code] >= SECOND_LANGUAGE_WORDS
                  and found[code] >= SECOND_LANGUAGE_SHARE * total]
        return (main, *others)
