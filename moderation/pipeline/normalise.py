"""Normalise a comment once for every filter, keeping a map from each normalised character to the original.

Two views come out of `normalise(text)`:

- `NormalisedText.text`: what word lists are matched against. Unicode compatibility forms folded,
  case folded, diacritics, zero-width and control characters dropped, look-alike letters from other
  scripts mapped to Latin, HTML entities decoded, letters spelled apart joined (``f.u.c.k``), runs of
  three or more letters cut to two (``fuuuuck`` -> ``fuuck``; filters squeeze doubles when looking up),
  leetspeak inside words undone (``sh1t``, ``a$$``, ``@ss``, ``s#!t``); ``*`` is kept as a mask marker
  (``f*ck``) and read as a separator between single letters (``s*h*i*t``). Invisible fillers are dropped
  (Hangul fillers, the Braille blank), styled letters read by their Unicode names (small capitals ``ꜰᴜᴄᴋ``,
  hooked and stroked letters ``ƒ``, negative circled and squared letters), HTML tags inside a word dropped
  (``f<b>u</b>ck``) and other tags read as a space, and every emoji read as the words of its name
  (🖕 -> ``middle finger``), each word covering the emoji's characters.
- `NormalisedText.plain`: the same folding without the word-level rewrites (no joining, no stretching,
  no leetspeak, tags kept so that links in markup are seen), for filters that need ``@name``, numbers, links
  and the writer's own spelling. Emoji are words here too: their meaning is the writer's, not a rewrite.

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

from emoji import EMOJI_DATA

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
# Characters that draw nothing but are neither marks nor format characters, so the categories above keep them:
# the Hangul fillers (Default_Ignorable_Code_Point letters, a property unicodedata does not expose; U+3164 and
# U+FFA0 decompose to U+1160) and the Braille blank, which fonts draw empty.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Styled Latin letters with no compatibility decomposition, read by their Unicode names: small capitals (ꜰ, ᴜ),
# letters with a hook, stroke or curl (ƒ, ł, ɕ), negative circled and squared letters (🅕, 🅵), and the regional
# indicators that a flag is made of, when they stand alone (🇫).
_STYLED_LETTER = re.compile(r"(?:LATIN (?:(?:SMALL|CAPITAL) )*LETTER (?:SMALL CAPITAL |DOTLESS )?"
                            r"|NEGATIVE (?:CIRCLED|SQUARED) LATIN CAPITAL LETTER |REGIONAL INDICATOR SYMBOL LETTER )"
                            r"([A-Z])(?: WITH .+)?")
# Skin tones (Emoji_Modifier) left out of an emoji's name: they do not change what it says.
_SKIN_TONES = str.maketrans(dict.fromkeys(range(0x1F3FB, 0x1F400)))
_NAME_WORDS = re.compile(r"[a-z0-9]+")

# One character class, which re scans for fast: a character beyond ASCII, or the & that may open an entity.
_SPECIAL = re.compile(r"[^\x00-\x25\x27-\x7f]")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Three or more single letters spelled apart by the same separator: f.u.c.k, f u c k, f-u-c-k, s_h_1_t, s*h*i*t
# (a lone * between letters, as in f*ck, stays a mask: it does not separate three single letters).
_SPACED = re.compile(r"(?<![^\W_])[a-z@$0-9](?P<sep>[ ._\-~+*]{1,2})[a-z@$0-9!](?:(?P=sep)[a-z@$0-9!])+(?![^\W_])")
# Cheap tests that let most comments skip the rewrites: two single characters spelled apart, a tripled letter.
_SPACED_HINT = re.compile(r"[ ._\-~+*][a-z@$0-9!][ ._\-~+*]{1,2}[a-z@$0-9!](?:[ ._\-~+*]|$)")
# A run of HTML tags, as written (folded to lower case): <b>, </span>, <a href="...">, <br/>.
_TAGS = re.compile(r"(?:</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>)+")
# The tags that end a line, and so a word, even between two letters (hello<br>world, </p><p>).
_LINE_TAG = re.compile(r"</?(?:br|p|div|li|blockquote|ul|ol|h[1-6]|tr|td|hr)\b")
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


def _emoji_lengths() -> dict[str, tuple[int, ...]]:
    """The emoji package's sequences by first character, with their lengths longest first: the package's own
    tokeniser walks the whole text in Python (about 1 µs a character), this looks only where an emoji may open."""
    lengths: dict[str, set[int]] = {}
    # Keycaps (#️⃣, 1️⃣) open with an ASCII character, which is read as itself.
    for sequence in filter(lambda sequence: not sequence[0].isascii(), EMOJI_DATA):
        lengths.setdefault(sequence[0], set()).add(len(sequence))
    return {first: tuple(sorted(found, reverse=True)) for first, found in lengths.items()}


_EMOJI_LENGTHS = _emoji_lengths()


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


def fold(text: str) -> str:
    """`text` folded as a comment is before its words are read (case, accents, look-alikes), without the offset map:
    for word lists written with their accents."""
    return _fold(text)[0]


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One original code point as zero or more folded characters."""
    if ch in _KEPT_CONTROLS:
        return ch
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", ch).casefold())
    kept = "".join(_styled_letter(c) for c in decomposed
                   if unicodedata.category(c) not in _DROPPED_CATEGORIES and c not in _BLANK_LETTERS)
    return kept.translate(CONFUSABLES)


def _styled_letter(ch: str) -> str:
    """The Latin letter a styled character draws, by its Unicode name, or the character itself."""
    if ch.isascii():
        return ch
    letter = _STYLED_LETTER.fullmatch(unicodedata.name(ch, ""))
    return letter.group(1).lower() if letter else ch


@lru_cache(maxsize=4096)
def _emoji_words(sequence: str) -> str | None:
    """An emoji as the words of its name (skin tones left out), or None for a single character that folding
    already reads as ASCII (™ is tm, 🅰 is a, ‼ is !!; a flag's two letters are its country)."""
    folded = "".join(map(_fold_char, sequence))
    if folded.isascii() and folded and len(sequence.rstrip("\ufe0f")) == 1:
        return None
    base = sequence.translate(_SKIN_TONES)
    if not base:
        return ""
    name = EMOJI_DATA.get(base, EMOJI_DATA[sequence])["en"].replace("_", " ")
    return " ".join(_NAME_WORDS.findall("".join(map(_fold_char, name))))


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
    """The characters beyond ASCII, the emoji and the HTML entities, as (start, end, folded form), in order."""
    units = []
    done = 0
    for match in _SPECIAL.finditer(text):
        start, ch = match.start(), match.group()
        if start < done:
            continue
        if ch in _EMOJI_LENGTHS:
            emoji = _emoji_at(text, start, done)
            if emoji:
                done = emoji[1]
                units.append(emoji)
                continue
        if ch != "&":
            units.append((start, start + 1, _fold_char(ch)))
            continue
        entity = _ENTITY.match(text, start)
        if entity:
            units.append((start, entity.end(), _fold_entity(entity.group())))
    return units


def _emoji_at(text: str, start: int, previous_end: int) -> tuple[int, int, str] | None:
    """The longest emoji opening at `start` as a unit of its name's words, set apart by a space from the letters
    and emoji beside it (an emoji ending at `previous_end` has put that space already); None where there is none
    or folding reads it as letters."""
    for length in _EMOJI_LENGTHS[text[start]]:
        end = start + length
        sequence = text[start:end]
        if end <= len(text) and sequence in EMOJI_DATA:
            words = _emoji_words(sequence)
            if not words:
                return None if words is None else (start, end, "")
            following = text[end:end + 1]
            before = " " if start > previous_end and _fold_char(text[start - 1])[-1:].isalnum() else ""
            after = " " if following and (_fold_char(following)[:1].isalnum() or following in _EMOJI_LENGTHS) else ""
            return start, end, before + words + after
    return None


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
    """Drop markup, join spelled-apart letters, undo leetspeak, then cut stretched letters (in that order, so that
    f<b>u</b>ck and sh<i>1</i>t are words before the rest, a stretched symbol such as sh!!!t is cut too, and
    normalising twice changes nothing); `starts` carries the extra final offset of an origin map, which the
    edits, all inside the text, pass along."""
    for rewrite in (_drop_tags, _join_spaced, _undo_leet, _cut_stretched):
        edits = rewrite(text)
        if edits:
            text, starts, ends = _apply(text, starts, ends, edits)
    return text, starts, ends


def _drop_tags(text: str) -> list[tuple[int, int, str]]:
    """Edits that drop runs of HTML tags: inside a word (f<b>u</b>ck) or beside a space they leave nothing, elsewhere
    (hello<br>world, word.<p>) one space, so that the words on either side stay apart."""
    if "<" not in text:
        return []
    return [(m.start(), m.end(), _tags_replacement(text, m)) for m in _TAGS.finditer(text)]


def _tags_replacement(text: str, tags: re.Match) -> str:
    """What a run of tags reads as: nothing or one space."""
    before = text[tags.start() - 1] if tags.start() else " "
    after = text[tags.end()] if tags.end() < len(text) else " "
    if before.isspace() or after.isspace():
        return ""
    in_word = all(c.isalnum() or c in _TOKEN_CHARS for c in (before, after))
    return "" if in_word and not _LINE_TAG.search(tags.group()) else " "


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
    """Apply sorted, non-overlapping edits; an edit is (start, end, replacement) with either a string, which
    maps one to one when it has the range's length and otherwise covers the whole range with each of its
    characters (an empty one drops the range), or a list of (first, last) source indices whose original ranges
    each output character covers."""
    pieces: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    position = 0
    for start, end, replacement in edits:
        pieces.append(text[position:start])
        new_starts.extend(starts[position:start])
        new_ends.extend(ends[position:start])
        if isinstance(replacement, str) and len(replacement) == end - start:
            pieces.append(replacement)
            new_starts.extend(starts[start:end])
            new_ends.extend(ends[start:end])
        elif isinstance(replacement, str):
            pieces.append(replacement)
            new_starts.extend([starts[start]] * len(replacement))
            new_ends.extend([ends[end - 1]] * len(replacement))
        else:
            pieces.append("".join(text[first] for first, _ in replacement))
            new_starts.extend(starts[first] for first, _ in replacement)
            new_ends.extend(ends[last] for _, last in replacement)
        position = end
    pieces.append(text[position:])
    new_starts.extend(starts[position:])
    new_ends.extend(ends[position:])
    return "".join(pieces), new_starts, new_ends
