"""Normalise a comment once for every filter, keeping a map from each normalised character to the original.

Two views come out of `normalise(text)`:

- `NormalisedText.text`: what word lists are matched against. Unicode compatibility forms folded,
  case folded, diacritics, zero-width and control characters dropped, look-alike letters from other
  scripts mapped to Latin, HTML entities decoded, letters spelled apart joined (``f.u.c.k``), runs of
  three or more letters cut to two (``fuuuuck`` -> ``fuuck``; filters squeeze doubles when looking up),
  leetspeak inside words undone (``sh1t``, ``a$$``, ``@ss``, ``s#!t``); ``*`` is kept as a mask marker.
- `NormalisedText.plain`: the same folding without the word-level rewrites (no joining, no stretching,
  no leetspeak), for filters that need ``@name``, numbers, links and the writer's own spelling.

Every view carries `origin` (len(text) + 1 start offsets into the original, the last one being
len(original)), `ends` (the end offset of each character) and `span(start, end)`, which turns a normalised range
into a `Span` of the original. Where folding kept every character one to one (most comments), `origin` and `ends`
are ranges, which cost nothing to build.
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from moderation.pipeline.types import Span

# Letters from Cyrillic and Greek (after case folding) and punctuation look-alikes, mapped to what they imitate.
CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ɡ": "g", "ı": "i", "ɩ": "i", "ℓ": "l",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "γ": "y", "σ": "o", "ς": "c", "μ": "u",
    "‘": "'", "’": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-", "•": "*", "∗": "*", "€": "e",
})
_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf", "Cc"})
_KEPT_CONTROLS = frozenset("\n\t\r")

# One character class, which re scans for fast: a character beyond ASCII, or the & that may open an entity.
_SPECIAL = re.compile(r"[^\x00-\x25\x27-\x7f]")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Three or more single letters spelled apart by the same separator: f.u.c.k, f u c k, f-u-c-k, s_h_1_t.
_SPACED = re.compile(r"(?<![^\W_])[a-z@$0-9](?P<sep>[ ._\-~+]{1,2})[a-z@$0-9!](?:(?P=sep)[a-z@$0-9!])+(?![^\W_])")
# Cheap tests that let most comments skip the rewrites: two single characters spelled apart, a tripled letter.
_SPACED_HINT = re.compile(r"[ ._\-~+][a-z@$0-9!][ ._\-~+]{1,2}[a-z@$0-9!](?:[ ._\-~+]|$)")
_TRIPLED = re.compile(r"([a-z])\1\1")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_LEET_RUN = re.compile(r"[0-9@$!#|]+")
_LEET_TOKEN = re.compile(r"[a-z0-9@$!#|*]+")
_NUMBER_WORD = re.compile(r"\d+(?:st|nd|rd|th|s|k|m|bn|am|pm|ish|x|d|mm|cm|km|kg|lb|lbs|mph|gb|mb)?|[a-z]+\d+")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "#": "h", "|": "l"})
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!#|*")
WORD = re.compile(r"\**[^\W_][\w*]*")
_WORD_SPLIT = re.compile(f"({WORD.pattern})")
_RUN_BREAKS = str.maketrans("*_", "  ")


@dataclass(frozen=True, slots=True)
class NormalisedText:
    """A folded copy of a comment whose every character can be traced back to the original."""

    original: str
    text: str
    origin: Sequence[int]
    ends: Sequence[int] = field(repr=False)
    plain: NormalisedText | None = field(default=None, repr=False, compare=False)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def span(self, start: int, end: int) -> Span:
        """The original characters behind the normalised range [start, end)."""
        if end <= start:
            at = self.origin[start]
            return Span(at, at, "")
        first, last = self.origin[start], self.ends[end - 1]
        return Span(first, last, self.original[first:last])

    @property
    def words(self) -> tuple[tuple[str, int, int], ...]:
        """(word, start, end) in normalised coordinates, computed once because every filter asks."""
        words = self._cache.get("words")
        if words is None:
            words = self._cache["words"] = self._tokenise()
        return words

    @property
    def tokens(self) -> tuple[str, ...]:
        """The words alone, in order, for lookups that C code can run over (filter, tuple.index)."""
        tokens = self._cache.get("tokens")
        if tokens is None:
            self.words
            tokens = self._cache["tokens"]
        return tokens

    @property
    def vocabulary(self) -> frozenset[str]:
        """The distinct words, for set lookups that skip a comment with none of a list's words."""
        vocabulary = self._cache.get("vocabulary")
        if vocabulary is None:
            self.words
            vocabulary = self._cache["vocabulary"]
        return vocabulary

    @property
    def runs(self) -> frozenset[str]:
        """The distinct runs of letters and digits (words split at * and _): what a phrase's words must be."""
        runs = self._cache.get("runs")
        if runs is None:
            runs = self.vocabulary
            if "*" in self.text or "_" in self.text:
                runs = frozenset(" ".join(runs).translate(_RUN_BREAKS).split())
            self._cache["runs"] = runs
        return runs

    def _tokenise(self) -> tuple[tuple[str, int, int], ...]:
        """Words, tokens and vocabulary in one regex pass: splitting keeps the words at odd indexes, and the running sum
        of the pieces' lengths gives their offsets, without a Python step per word."""
        pieces = _WORD_SPLIT.split(self.text)
        offsets = list(accumulate(map(len, pieces), initial=0))
        words = self._cache["tokens"] = tuple(pieces[1::2])
        self._cache["vocabulary"] = frozenset(words)
        return tuple(zip(words, offsets[1::2], offsets[2::2]))


def normalise(text: str) -> NormalisedText:
    """Fold `text` for matching and keep the way back to its original characters."""
    folded, origin, ends = _fold(text)
    plain = NormalisedText(text, folded, origin, ends)
    rewritten, origin, ends = _rewrite_words(folded, origin, ends)
    return NormalisedText(text, rewritten, origin, ends, plain)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One original code point as zero or more folded characters."""
    if ch in _KEPT_CONTROLS:
        return ch
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", ch).casefold())
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    return kept.translate(CONFUSABLES)


@lru_cache(maxsize=1024)
def _fold_entity(entity: str) -> str:
    """An HTML entity as the folded characters it stands for."""
    return "".join(_fold_char(c) for c in html.unescape(entity))


def _fold(text: str) -> tuple[str, Sequence[int], Sequence[int]]:
    """Fold case, compatibility forms, marks, look-alikes and entities; ASCII runs stay one to one. Returns the
    folded text, its origin (with len(text) last) and its ends, as ranges while every character stays one to one."""
    if text.isascii() and "&" not in text:
        return text.lower(), range(len(text) + 1), range(1, len(text) + 1)
    units = _units(text)
    pieces: list[str] = []
    position = 0
    for start, end, folded in units:
        pieces.append(text[position:start].lower())
        pieces.append(folded)
        position = end
    pieces.append(text[position:].lower())
    if all(end - start == 1 and len(folded) == 1 for start, end, folded in units):
        return "".join(pieces), range(len(text) + 1), range(1, len(text) + 1)
    starts, ends = _offsets(units, len(text))
    return "".join(pieces), starts, ends


def _units(text: str) -> list[tuple[int, int, str]]:
    """The characters beyond ASCII and the HTML entities, as (start, end, folded form), in order."""
    units = []
    for match in _SPECIAL.finditer(text):
        start = match.start()
        if match.group() != "&":
            units.append((start, start + 1, _fold_char(match.group())))
            continue
        entity = _ENTITY.match(text, start)
        if entity:
            units.append((start, entity.end(), _fold_entity(entity.group())))
    return units


def _offsets(units: list[tuple[int, int, str]], length: int) -> tuple[list[int], list[int]]:
    """Start and end offsets of every folded character: the ASCII between units maps to itself, every character of
    a unit's folded form to the whole unit, and a unit that folds to nothing (a combining mark, a zero-width space)
    joins the character before it."""
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for start, end, folded in units:
        starts.extend(range(position, start))
        ends.extend(range(position + 1, start + 1))
        if folded:
            starts.extend([start] * len(folded))
            ends.extend([end] * len(folded))
        elif ends and ends[-1] == start:
            ends[-1] = end
        position = end
    starts.extend(range(position, length + 1))
    ends.extend(range(position + 1, length + 1))
    return starts, ends


def _rewrite_words(text: str, starts: Sequence[int], ends: Sequence[int]) -> tuple[str, Sequence[int], Sequence[int]]:
    """Join spelled-apart letters, undo leetspeak, then cut stretched letters (in that order, so that a stretched
    symbol such as sh!!!t is cut too and normalising twice changes nothing); `starts` carries the extra final
    offset of an origin map, which the edits, all inside the text, pass along."""
    for rewrite in (_join_spaced, _undo_leet, _cut_stretched):
        edits = rewrite(text)
        if edits:
            text, starts, ends = _apply(text, starts, ends, edits)
    return text, starts, ends


def _join_spaced(text: str) -> list[tuple[int, int, list[int]]]:
    """Edits that keep only the letters of f.u.c.k-style runs."""
    if not _SPACED_HINT.search(text, 0) and not _SPACED_HINT.match(" " + text[:8]):
        return []
    edits = []
    for match in _SPACED.finditer(text):
        sep = len(match.group("sep"))
        keep = list(range(match.start(), match.end(), sep + 1))
        edits.append((match.start(), match.end(), [(i, i) for i in keep]))
    return edits


def _cut_stretched(text: str) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Edits that cut a run of three or more equal letters to two, the second covering the rest."""
    first = _TRIPLED.search(text)
    if not first:
        return []
    return [(m.start(), m.end(), [(m.start(), m.start()), (m.start() + 1, m.end() - 1)])
            for m in _STRETCHED.finditer(text, first.start())]


def _undo_leet(text: str) -> list[tuple[int, int, str]]:
    """Edits that read digits and symbols inside words as the letters they imitate."""
    edits = []
    done = 0
    for run in _LEET_RUN.finditer(text):
        start, end = run.span()
        if start < done or not _touches_letter(text, start, end):
            continue
        while start and text[start - 1] in _TOKEN_CHARS:
            start -= 1
        token = _LEET_TOKEN.match(text, start)
        done = token.end()
        edit = _leet_edit(token.group())
        if edit:
            edits.append((start, start + len(edit), edit))
    return edits


def _touches_letter(text: str, start: int, end: int) -> bool:
    """Whether a run of digits or symbols sits against a letter."""
    return (start > 0 and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha())


def _leet_edit(token: str) -> str | None:
    """The token read as letters, or None when it is a number with a unit (1990s, 5pm) or unchanged."""
    core = token.rstrip("!")
    if _NUMBER_WORD.fullmatch(core) or not any(c.isalpha() for c in core):
        return None
    head = "#" if core.startswith("#") else ""
    replaced = head + core[len(head):].translate(_LEET)
    return replaced if replaced != core else None


def _apply(text: str, starts: Sequence[int], ends: Sequence[int], edits: list) -> tuple[str, list[int], list[int]]:
    """Apply sorted, non-overlapping edits; an edit is (start, end, replacement) with either a
    same-length string or a list of (first, last) source indices whose original ranges each output
    character covers."""
    pieces: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    position = 0
    for start, end, replacement in edits:
        pieces.append(text[position:start])
        new_starts.extend(starts[position:start])
        new_ends.extend(ends[position:start])
        if isinstance(replacement, str):
            pieces.append(replacement)
            new_starts.extend(starts[start:end])
            new_ends.extend(ends[start:end])
        else:
            pieces.append("".join(text[first] for first, _ in replacement))
            new_starts.extend(starts[first] for first, _ in replacement)
            new_ends.extend(ends[last] for _, last in replacement)
        position = end
    pieces.append(text[position:])
    new_starts.extend(starts[position:])
    new_ends.extend(ends[position:])
    return "".join(pieces), new_starts, new_ends
