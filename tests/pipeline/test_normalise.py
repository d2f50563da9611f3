"""Normalisation: the evasions it undoes, what it leaves alone, and spans that point at the original characters."""
from __future__ import annotations

import pytest

from moderation.pipeline.normalise import normalise


@pytest.mark.parametrize("original, folded", [
    ("sh1t", "shit"),
    ("a$$", "ass"),
    ("@ss", "ass"),
    ("s#!t", "shit"),
    ("f u c k", "fuck"),
    ("f.u.c.k", "fuck"),
    ("f-u-c-k", "fuck"),
    ("f. u. c. k", "fuck"),
    ("fuuuuck", "fuuck"),
    ("f*ck", "f*ck"),
    ("ѕhit", "shit"),
    ("ѕһіт", "shit"),
    ("ｆｕｃｋ", "fuck"),
    ("fu\u200bck", "fuck"),
    ("fu\u0308ck", "fuck"),
    ("fück", "fuck"),
    ("f&uuml;ck", "fuck"),
    ("a &lt; b &amp;&amp; c &gt; d", "a < b && c > d"),
    ("SHOUTING", "shouting"),
    ("Straße", "strasse"),
])
def test_evasions_are_undone(original, folded):
    assert normalise(original).text == folded


@pytest.mark.parametrize("text", [
    "In the 1990s about $100 bought 2nd-class tickets, covid19 and all.",
    "The U.S. and Cuba met on Dec. 3, 2009.",
    "Good, good, good: it is really so cool.",
    "#hashtag and wow!!!",
])
def test_ordinary_text_keeps_its_words(text):
    assert normalise(text).text == text.lower()


def test_plain_view_keeps_the_writers_spelling():
    text = normalise("@dave sh1t f u c k")
    assert text.plain.text == "@dave sh1t f u c k"
    assert text.text == "adave shit fuck"


@pytest.mark.parametrize("original, word, expected", [
    ("😀😀 sh1t", "shit", "sh1t"),
    ("e\u0301e\u0301 shit", "shit", "shit"),
    ("👍🏽 f.u.c.k off", "fuck", "f.u.c.k"),
    ("Ｈｉ ｆｕｃｋ", "fuck", "ｆｕｃｋ"),
    ("&amp; fuuuuuck", "fuuck", "fuuuuuck"),
    ("\u200b\u200bsh\u200bit", "shit", "sh\u200bit"),
    ("AT&T ѕh1t", "shit", "ѕh1t"),
    ("Q&A… ѕhit", "shit", "ѕhit"),
])
def test_spans_point_at_the_original_characters(original, word, expected):
    text = normalise(original)
    start = text.text.index(word)
    span = text.span(start, start + len(word))
    assert span.text == expected
    assert original[span.start:span.end] == expected


def test_origin_maps_every_character_and_ends_at_the_original_length():
    text = normalise("😀 Ｈé\u0301llo, f-u-c-k")
    assert len(text.origin) == len(text.text) + 1
    assert text.origin[-1] == len(text.original)
    assert list(text.origin) == sorted(text.origin)


def test_combining_mark_is_kept_inside_the_span_of_its_letter():
    text = normalise("ce\u0301 x")
    assert text.span(0, 2).text == "ce\u0301"


def test_words_carry_normalised_offsets():
    text = normalise("You, sh1t-head!")
    assert [word for word, _, _ in text.words] == ["you", "shit", "head"]
    assert all(text.text[start:end] == word for word, start, end in text.words)


@pytest.mark.parametrize("original", ["You, sh1t-head!", "Ｈｉ, **f*ck** you", "go_back 2 where ѕhe came from"])
def test_tokens_and_vocabulary_are_the_words(original):
    text = normalise(original)
    assert text.tokens == tuple(word for word, _, _ in text.words)
    assert text.vocabulary == frozenset(text.tokens)


def test_runs_are_the_words_split_at_masks_and_underscores():
    text = normalise("go_back, f**k off")
    assert text.vocabulary == {"go_back", "f**k", "off"}
    assert text.runs == {"go", "back", "f", "k", "off"}


@pytest.mark.parametrize("chunk", ["*", "1", "$", "a1", "a ", "a.", "aaab ", "&amp;", "é", "\u200b"])
def test_long_runs_of_odd_characters_normalise_without_blowing_up(chunk):
    text = normalise(chunk * (20_000 // len(chunk)))
    assert len(text.origin) == len(text.text) + 1


@pytest.mark.parametrize("written, expected", [("sh!!!t", "shiit"), ("a$$$hole", "asshole"), ("wow!!! great", "wow!!! great")])
def test_stretched_symbols_are_read_as_letters_before_the_cut(written, expected):
    once = normalise(written)
    assert once.text == expected
    assert normalise(once.text).text == expected
