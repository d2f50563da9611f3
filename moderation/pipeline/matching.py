"""Tiered word lists compiled once into set lookups and a few regexes, then matched in one pass over a comment.

Entry syntax (policies/lexicons/README.md): `word` whole word, `word+` with inflections, `root*` words
starting with root, `*root*` words containing root, and phrases of several words.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from moderation.pipeline.normalise import NormalisedText

INFLECTIONS = ("", "s", "es", "ed", "er", "ers", "ing", "in", "y", "ies")
_DOUBLE = re.compile(r"([a-z])\1")
_WORD_CHAR_CLASS = r"[^\W_]"


@dataclass(frozen=True, slots=True)
class Hit:
    """A lexicon entry found in the normalised text, with the tier whose list it is on."""

    start: int
    end: int
    word: str
    tier: str


@dataclass(slots=True)
class Matcher:
    """Compiled lexicons: exact words (with inflections), squeezed spellings, affix roots and phrases per tier."""

    exact: dict[str, str]
    squeezed: dict[str, str]
    affixes: list[tuple[re.Pattern, str]]
    phrases: list[tuple[re.Pattern, str]]
    blob: dict[str, str]
    masked: dict[str, str | None] = field(default_factory=dict)

    def find(self, text: NormalisedText, max_masked_share: float = 0.5) -> list[Hit]:
        """Every lexicon word or phrase in `text`, leftmost first, the stronger tier winning an overlap."""
        hits: dict[int, Hit] = {}
        rewritten = text.plain is not None and text.plain.text != text.text
        for word, start, end in text.words:
            tier = self.exact.get(word) or self._variant(word, rewritten, max_masked_share)
            if tier:
                hits[start] = Hit(start, end, word, tier)
            elif rewritten and _DOUBLE.search(word):
                tier = self._affix_tier(squeeze(word))
                if tier:
                    hits[start] = Hit(start, end, word, tier)
        for patterns in (self.affixes, self.phrases):
            for pattern, tier in patterns:
                for match in pattern.finditer(text.text):
                    if match.start() not in hits:
                        hits[match.start()] = Hit(match.start(), match.end(), match.group(), tier)
        return [hits[start] for start in sorted(hits)]

    def _affix_tier(self, word: str) -> str | None:
        """The tier of the first affix root inside one word."""
        return next((tier for pattern, tier in self.affixes if pattern.search(word)), None)

    def _variant(self, word: str, rewritten: bool, max_masked_share: float) -> str | None:
        """The tier of a stretched (fuuck), ph-for-f (phuck) or masked (f*ck) spelling of a listed word."""
        if rewritten and _DOUBLE.search(word):
            tier = self.squeezed.get(squeeze(word))
            if tier:
                return tier
        if "ph" in word:
            tier = self.exact.get(word.replace("ph", "f"))
            if tier:
                return tier
        if "*" in word:
            return self._unmask(word, max_masked_share)
        return None

    def _unmask(self, word: str, max_masked_share: float) -> str | None:
        """The strongest tier with a word that a masked spelling can stand for, remembered per spelling."""
        key = f"{word}\0{max_masked_share}"
        if key not in self.masked:
            self.masked[key] = _unmask(word, self.blob, max_masked_share)
        return self.masked[key]


def compile_lexicons(tiers: Mapping[str, Iterable[str]]) -> Matcher:
    """Build a matcher from tier name -> entries; a tier listed first wins when a word is on two lists."""
    exact: dict[str, str] = {}
    affixes, phrases, blob = [], [], {}
    for tier, entries in tiers.items():
        words, roots, sequences = _split(entries)
        for word in words:
            exact.setdefault(word, tier)
        cores = [form for entry in entries if "*" in entry for form in _inflect(entry.strip("*"))]
        blob[tier] = "\n" + "\n".join(words + cores) + "\n"
        if roots:
            affixes.append((re.compile("|".join(roots)), tier))
        if sequences:
            phrases.append((_phrase_pattern(sequences), tier))
    squeezed: dict[str, str] = {}
    for word, tier in exact.items():
        squeezed.setdefault(squeeze(word), tier)
    return Matcher(exact, squeezed, affixes, phrases, blob)


def squeeze(word: str) -> str:
    """A word with doubled letters single (fuuck -> fuck), so stretched spellings meet the list."""
    return _DOUBLE.sub(r"\1", word)


def _split(entries: Iterable[str]) -> tuple[list[str], list[str], list[str]]:
    """Sort entries into whole words (inflections expanded), affix-root regexes and phrases."""
    words, roots, sequences = [], [], []
    for entry in entries:
        if " " in entry:
            sequences.append(entry)
        elif entry.startswith("*") and entry.endswith("*"):
            roots.append(rf"{_WORD_CHAR_CLASS}*{re.escape(entry.strip('*'))}(?:{_WORD_CHAR_CLASS}|\*)*")
        elif entry.endswith("*"):
            roots.append(rf"(?<!{_WORD_CHAR_CLASS}){re.escape(entry[:-1])}(?:{_WORD_CHAR_CLASS}|\*)*")
        elif entry.startswith("*"):
            roots.append(rf"{_WORD_CHAR_CLASS}*{re.escape(entry[1:])}(?!{_WORD_CHAR_CLASS})")
        elif entry.endswith("+"):
            words.extend(_inflect(entry[:-1]))
        else:
            words.append(entry)
    return words, roots, sequences


def _inflect(stem: str) -> list[str]:
    """A stem with the regular English endings, doubling a final consonant where English does (twat -> twatted)."""
    forms = [stem + ending for ending in INFLECTIONS]
    if re.search(r"[^aeiou][aeiou][bdgkmnprt]$", stem):
        forms += [stem + stem[-1] + ending for ending in INFLECTIONS[3:]]
    if stem.endswith("y"):
        forms.append(stem[:-1] + "ies")
    return forms


def _phrase_pattern(sequences: list[str]) -> re.Pattern:
    """One alternation of whole-word phrases, spaces matching any run of non-word characters."""
    parts = []
    for sequence in sorted(sequences, key=len, reverse=True):
        inflected = sequence.endswith("+")
        body = r"[\W_]+".join(re.escape(word) for word in sequence.rstrip("+").split())
        parts.append(body + ("(?:s|es|ed|ing)?" if inflected else ""))
    return re.compile(rf"(?<!{_WORD_CHAR_CLASS})(?:{'|'.join(parts)})(?!{_WORD_CHAR_CLASS})")


def _unmask(word: str, blob: dict[str, str], max_masked_share: float) -> str | None:
    """Match a masked spelling against each tier's words, if the mask hides no more than its share."""
    letters = len(word.replace("*", ""))
    if letters < 2 or (len(word) - letters) / len(word) > max_masked_share:
        return None
    pattern = re.compile("^" + re.sub(r"\\\*(?:\\\*)*", lambda m: "[a-z]{1,%d}" % (len(m.group()) // 2 + 1),
                                      re.escape(word)) + "$", re.M)
    for tier, words in blob.items():
        if pattern.search(words):
            return tier
    return None


def word_pattern(entries: Iterable[str]) -> re.Pattern:
    """One regex matching any entry as whole words (`+` adds inflections), longest first; for co-occurrence rules."""
    forms = set()
    for entry in entries:
        stem = entry.rstrip("+")
        endings = _inflect(stem) if entry.endswith("+") else [stem]
        forms.update(r"[\W_]+".join(re.escape(word) for word in form.split()) for form in endings)
    body = "|".join(sorted(forms, key=len, reverse=True)) or "(?!)"
    return re.compile(rf"(?<!{_WORD_CHAR_CLASS})(?:{body})(?!{_WORD_CHAR_CLASS})")
