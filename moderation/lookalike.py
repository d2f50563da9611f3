"""Names compared as they look: `name_key` folds case, width, invisible characters and look-alike letters, so
"Maria Reader", "MARIA  READER" and "Mаria Reader" (with a Cyrillic а) give one key.

The look-alikes are Unicode's confusables data (UTS #39, confusables.txt) as shipped by the confusable_homoglyphs
package; the key is UTS #39's skeleton of the case-folded name, case-folded again (a skeleton may map a lower-case
letter to a capital: "0" -> "O")."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables

_DIRECTION_MARK = "\u200e"  # the package wraps right-to-left characters in it, in keys and values alike


@lru_cache(maxsize=1)
def _prototypes() -> dict[str, str]:
    """Each confusable character -> its prototype. In the package's data a character that is not a prototype lists
    exactly one homoglyph, its prototype; a prototype lists every character that maps to it. Where two characters
    each list only the other, both map to the smaller, so the map stays one-to-one per class."""
    data = {
        key.strip(_DIRECTION_MARK): [entry["c"].strip(_DIRECTION_MARK) for entry in entries]
        for key, entries in confusables.confusables_data.items()
    }
    prototypes = {}
    for char, homoglyphs in data.items():
        if len(homoglyphs) != 1:
            continue
        target = homoglyphs[0]
        prototypes[char] = min(char, target) if data.get(target) == [char] else target
    return prototypes


def _skeleton(text: str) -> str:
    prototypes = _prototypes()
    mapped = "".join(prototypes.get(char, char) for char in unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", mapped)


def name_key(name: str) -> str:
    """The key two display names share when they look alike: NFKC, format characters (zero-width spaces, joiners)
    dropped, runs of white space as one space, then skeleton and case fold, twice (a fixed point for names)."""
    text = unicodedata.normalize("NFKC", name)
    text = " ".join("".join(char for char in text if unicodedata.category(char) != "Cf").split())
    for _ in range(2):
        text = _skeleton(text.casefold()).casefold()
    return text
