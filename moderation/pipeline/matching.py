"""Tiered word lists compiled once into set lookups and a few regexes, then matched in one pass over a comment.

Entry syntax (policies/lexicons/README.md): `word` whole word, `word+` with inflections, `root*` words
starting with root, `*root*` words containing root, and phrases of several words.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from moderation.pipeline.normalise import WORD, NormalisedText

INFLECTIONS = ("", "s", "ed", "er", "ers", "ing", "in", "y")
_DOUBLE = re.compile(r"([a-z])\1")
_MASK_OR_PH = re.compile(r"\*|ph")
# How many spellings a matcher remembers before it starts afresh: bounded, since comments bring new ones forever.
MEMORY = 65536


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
    affixes: list[tuple[re.Pattern, str, dict[str, str]]]
    phrases: list[tuple[re.Pattern, str, frozenset[str] | None]]
    blob: dict[str, str]
    variants: dict[tuple[str, bool, float], str | None] = field(default_factory=dict)

    def find(self, text: NormalisedText, max_masked_share: float = 0.5) -> list[Hit]:
        """Every lexicon word or phrase in `text`, leftmost first; a whole-word hit wins over a root or phrase."""
        hits: dict[int, Hit] = {}
        self._word_hits(text, max_masked_share, hits)
        self._affix_hits(text.text, hits)
        for pattern, tier, keys in self.phrases:
            if keys is not None and keys.isdisjoint(text.runs):
                continue
            for match in pattern.finditer(text.text):
                if match.start() not in hits and _placed(text.text, match, "whole"):
                    hits[match.start()] = Hit(match.start(), match.end(), match.group(), tier)
        return [hits[start] for start in sorted(hits)]

    def _word_hits(self, text: NormalisedText, max_masked_share: float, hits: dict[int, Hit]) -> None:
        """Whole listed words, and their stretched, ph or masked spellings; the comment's distinct words are
        screened as sets first, so that only the words that may match are looked at one by one."""
        exact = self.exact
        rewritten = text.plain is not None and text.plain.text != text.text
        listed = exact.keys() & text.vocabulary
        variants = _variant_spellings(text, rewritten) - listed
        if not listed and not variants:
            return
        for word, start, end in text.words:
            if word in listed:
                hits[start] = Hit(start, end, word, exact[word])
            elif word in variants:
                tier = self._variant(word, rewritten, max_masked_share)
                if tier:
                    hits[start] = Hit(start, end, word, tier)

    def _affix_hits(self, text: str, hits: dict[int, Hit]) -> None:
        """Whole words around a root found where its entry allows it (clusterfuck, motherfucking); a substring
        test per root skips the regex on the many comments that hold none."""
        for pattern, tier, places in self.affixes:
            if not any(root in text for root in places):
                continue
            done = 0
            for match in pattern.finditer(text):
                if match.start() < done or not _placed(text, match, places[match.group()]):
                    continue
                start, end = _whole_word(text, match.start(), match.end())
                done = end
                hits.setdefault(start, Hit(start, end, text[start:end], tier))

    def _affix_tier(self, word: str) -> str | None:
        """The tier of the first affix root inside one word."""
        for pattern, tier, places in self.affixes:
            match = pattern.search(word)
            if match and _placed(word, match, places[match.group()]):
                return tier
        return None

    def _variant(self, word: str, rewritten: bool, max_masked_share: float) -> str | None:
        """The tier of a spelling that may stand for a listed word, remembered per spelling: the same ones recur."""
        key = (word, rewritten, max_masked_share)
        if key not in self.variants:
            if len(self.variants) >= MEMORY:
                self.variants.clear()
            self.variants[key] = self._spelled_tier(word, rewritten, max_masked_share)
        return self.variants[key]

    def _spelled_tier(self, word: str, rewritten: bool, max_masked_share: float) -> str | None:
        """The tier of a stretched (fuuck, fuuckwit), ph-for-f (phuck) or masked (f*ck) spelling of a listed word."""
        if rewritten and _DOUBLE.search(word):
            tier = self.squeezed.get(squeeze(word)) or self._affix_tier(squeeze(word))
            if tier:
                return tier
        if "ph" in word:
            tier = self.exact.get(word.replace("ph", "f"))
            if tier:
                return tier
        if "*" in word:
            return _unmask(word, self.blob, max_masked_share)
        return None


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
            alternation = "|".join(re.escape(root) for root in sorted(roots, key=len, reverse=True))
            affixes.append((re.compile(alternation), tier, roots))
        if sequences:
            phrases.append((_phrase_pattern(sequences), tier, _phrase_keys(sequences)))
    squeezed: dict[str, str] = {}
    for word, tier in exact.items():
        squeezed.setdefault(squeeze(word), tier)
    return Matcher(exact, squeezed, affixes, phrases, blob)


def _variant_spellings(text: NormalisedText, rewritten: bool) -> frozenset[str]:
    """The distinct words that may be a listed word spelled otherwise: masked, ph for f, or stretched."""
    if not rewritten and "*" not in text.text and "ph" not in text.text:
        return frozenset()
    spellings = set(filter(_MASK_OR_PH.search, text.vocabulary))
    if rewritten:
        spellings.update(filter(_DOUBLE.search, text.vocabulary))
    return frozenset(spellings)


def _placed(text: str, match: re.Match, place: str) -> bool:
    """Whether a root sits where its entry allows: anywhere inside, at the start or end of a word, or whole."""
    at_start = match.start() == 0 or not _is_word_char(text[match.start() - 1])
    at_end = match.end() == len(text) or not _is_word_char(text[match.end()])
    return {"inside": True, "start": at_start, "end": at_end, "whole": at_start and at_end}[place]


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "*"


def _whole_word(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a root found inside a word to the whole word (masks included)."""
    while start and (text[start - 1].isalnum() or text[start - 1] == "*"):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] == "*"):
        end += 1
    return start, end


def squeeze(word: str) -> str:
    """A word with doubled letters single (fuuck -> fuck), so stretched spellings meet the list."""
    return _DOUBLE.sub(r"\1", word)


def _split(entries: Iterable[str]) -> tuple[list[str], dict[str, str], list[str]]:
    """Sort entries into whole words (inflections expanded), affix roots (root -> where it may sit) and phrases."""
    words, roots, sequences = [], {}, []
    for entry in entries:
        if " " in entry:
            sequences.append(entry)
        elif entry.startswith("*") and entry.endswith("*"):
            roots[entry.strip("*")] = "inside"
        elif entry.endswith("*"):
            roots[entry[:-1]] = "start"
        elif entry.startswith("*"):
            roots[entry[1:]] = "end"
        elif entry.endswith("+"):
            words.extend(_inflect(entry[:-1]))
        else:
            words.append(entry)
    return words, roots, sequences


def _inflect(stem: str) -> list[str]:
    """A stem with the regular English endings, doubling a final consonant where English does (twat -> twatted)."""
    forms = [stem + ending for ending in INFLECTIONS]
    if re.search(r"(?:s|x|z|ch|sh)$", stem):
        forms.append(stem + "es")
    if re.search(r"[^aeiou][aeiou][bdgkmnprt]$", stem):
        forms += [stem + stem[-1] + ending for ending in INFLECTIONS[2:]]
    if stem.endswith("y"):
        forms.append(stem[:-1] + "ies")
    if stem.endswith("e"):
        forms += [stem + "d", stem + "r", stem + "rs", stem[:-1] + "ing"]
    return forms


def _phrase_keys(sequences: list[str]) -> frozenset[str] | None:
    """One word of each phrase that a match must show as a whole run of letters (NormalisedText.runs), so that
    the phrase regex runs only on comments that hold one; None when a phrase has no such word."""
    keys = set()
    for sequence in sequences:
        words = sequence.rstrip("+").split()
        fixed = [word for word in (words[:-1] if sequence.endswith("+") else words) if word.isalnum()]
        if not fixed:
            return None
        keys.add(max(fixed, key=len))
    return frozenset(keys)


def _phrase_pattern(sequences: list[str]) -> re.Pattern:
    """One alternation of whole-word phrases, spaces matching any run of non-word characters."""
    parts = []
    for sequence in sorted(sequences, key=len, reverse=True):
        inflected = sequence.endswith("+")
        body = r"[\W_]+".join(re.escape(word) for word in sequence.rstrip("+").split())
        parts.append(body + ("(?:s|es|ed|ing)?" if inflected else ""))
    return re.compile("|".join(parts))


def _unmask(word: str, blob: dict[str, str], max_masked_share: float) -> str | None:
    """Match a masked spelling against each tier's words, if the mask hides no more than its share and the
    first letter shows (a leading * is markdown or an action, as in *goes)."""
    letters = len(word.replace("*", ""))
    if letters < 2 or word[0] == "*" or (len(word) - letters) / len(word) > max_masked_share:
        return None
    pattern = re.compile("^" + re.sub(r"\\\*(?:\\\*)*", lambda m: "[a-z]{1,%d}" % (len(m.group()) // 2 + 1),
                                      re.escape(word)) + "$", re.M)
    for tier, words in blob.items():
        if pattern.search(words):
            return tier
    return None


class PhraseSet:
    """Single words and phrases of a list, looked up word by word (`+` adds inflections): linear and regex-free."""

    __slots__ = ("first", "longest")

    def __init__(self, entries: Iterable[str]):
        self.first: dict[str, list[tuple[str, ...]]] = {}
        for entry in entries:
            words = WORD.findall(entry.rstrip("+"))
            lasts = _inflect(words[-1]) if entry.endswith("+") else [words[-1]]
            for last in lasts:
                phrase = (*words[:-1], last)
                self.first.setdefault(phrase[0], []).append(phrase[1:])
        for rests in self.first.values():
            rests.sort(key=len, reverse=True)
        self.longest = 1 + max((len(rest) for rests in self.first.values() for rest in rests), default=0)

    def match_at(self, tokens: list[str], index: int, stop: int) -> int:
        """How many tokens from `index` (before `stop`) form the longest entry there; 0 when none does."""
        rests = self.first.get(tokens[index])
        if rests is None:
            return 0
        for rest in rests:
            end = index + 1 + len(rest)
            if end <= stop and (not rest or tuple(tokens[index + 1:end]) == rest):
                return end - index
        return 0

    def find(self, tokens: list[str], start: int = 0, stop: int | None = None) -> tuple[int, int] | None:
        """The first entry within tokens[start:stop], as a token range."""
        stop = len(tokens) if stop is None else stop
        for index in range(start, stop):
            length = self.match_at(tokens, index, stop)
            if length:
                return index, index + length
        return None

    def find_all(self, tokens: list[str]) -> list[tuple[int, int]]:
        """Every entry in the tokens, leftmost longest, not overlapping."""
        first = self.first
        found, done = [], 0
        for index in [i for i, token in enumerate(tokens) if token in first]:
            if index >= done:
                length = self.match_at(tokens, index, len(tokens))
                if length:
                    found.append((index, index + length))
                    done = index + length
        return found

    def ends_at(self, tokens: list[str], stop: int, start: int) -> int | None:
        """The start of an entry that ends exactly at `stop` and begins at or after `start`."""
        for index in range(stop - 1, max(start, stop - self.longest) - 1, -1):
            if self.match_at(tokens, index, stop) == stop - index:
                return index
        return None


def positions(tokens: Sequence[str], wanted: Iterable[str]) -> list[int]:
    """Where the wanted words stand among the tokens, unsorted: found by index() (a loop in C), which beats a
    Python loop over every token when few of them are wanted."""
    found = []
    for word in wanted:
        position = -1
        while True:
            try:
                position = tokens.index(word, position + 1)
            except ValueError:
                break
            found.append(position)
    return found


_CAPITALISED_AFTER = re.compile(r"\s+[A-Z][a-z]")
_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w.]*\s+$")


def written_as_a_name(text: NormalisedText, hit: Hit) -> bool:
    """Whether a hit is written as part of a name: capitalised (not shouted) beside another capitalised word, as in
    "Sen. Dick Durbin", "Moby Dick", "Dr. Herman Libshitz"."""
    span = text.span(hit.start, hit.end)
    if not span.text[:1].isupper() or span.text.isupper():
        return False
    original = text.original
    return bool(_CAPITALISED_AFTER.match(original, span.end)
                or _CAPITALISED_BEFORE.search(original, max(0, span.start - 40), span.start))

