"""Normalisation of the evasions that hide a word from a word list: fillers, letter styles, markup, masks, emoji."""
from __future__ import annotations

import pytest

from moderation.pipeline.normalise import normalise

FILLERS = {
    "soft hyphen": "\u00ad",
    "combining grapheme joiner": "\u034f",
    "Hangul filler": "\u3164",
    "Hangul choseong filler": "\u115f",
    "Hangul jungseong filler": "\u1160",
    "halfwidth Hangul filler": "\uffa0",
    "Braille blank": "\u2800",
    "variation selector": "\ufe0f",
    "tag space": "\U000e0020",
    "zero-width space": "\u200b",
    "zero-width joiner": "\u200d",
    "word joiner": "\u2060",
    "byte order mark": "\ufeff",
}


def assert_reads(original: str, word: str, written: str) -> None:
    """`word` is in the normalised text and its span is exactly `written`, as the original has it."""
    text = normalise(original)
    assert word in text.text, text.text
    start = text.text.index(word)
    span = text.span(start, start + len(word))
    assert span.text == written
    assert original[span.start:span.end] == written
    assert span.end <= len(original)


@pytest.mark.parametrize("filler", FILLERS.values(), ids=FILLERS.keys())
@pytest.mark.parametrize("word, cut", [("damn", 2), ("crap", 1), ("bitch", 3)])
def test_invisible_fillers_inside_a_word_are_dropped(filler, word, cut):
    written = word[:cut] + filler + word[cut:]
    assert normalise(written).text == word
    assert_reads(f"well {written}, then", word, written)


@pytest.mark.parametrize("filler", FILLERS.values(), ids=FILLERS.keys())
def test_fillers_between_every_letter_are_dropped(filler):
    written = filler.join("bitch")
    # A character that reads as nothing joins the one before it, so the trailing filler is inside the span.
    assert_reads(f"{filler}{written}{filler} ok", "bitch", written + filler)


@pytest.mark.parametrize("written, word", [
    ("ᴅᴀᴍɴ", "damn"),            # small capitals
    ("ʙɪᴛᴄʜ", "bitch"),
    ("ᴄʀᴀᴘ", "crap"),
    ("Dᴀᴍɴ", "damn"),
    ("ᶜʳᵃᵖ", "crap"),            # superscripts (compatibility forms)
    ("ⓓⓐⓜⓝ", "damn"),            # circled
    ("ⒹⒶⓂⓃ", "damn"),
    ("🅓🅐🅜🅝", "damn"),          # negative circled
    ("🅳🅰🅼🅽", "damn"),          # negative squared, 🅰 included although it is also an emoji
    ("🄳🄰🄼🄽", "damn"),          # squared
    ("𝐝𝐚𝐦𝐧", "damn"),            # mathematical bold, italic, script, fraktur, double-struck, monospace
    ("𝘥𝘢𝘮𝘯", "damn"),
    ("𝓭𝓪𝓶𝓷", "damn"),
    ("𝖉𝖆𝖒𝖓", "damn"),
    ("𝕕𝕒𝕞𝕟", "damn"),
    ("𝚍𝚊𝚖𝚗", "damn"),
    ("ƈɾαρ", "crap"),            # hooked letters and Greek look-alikes
    ("ɗaɱɲ", "damn"),
    ("đamn", "damn"),            # stroked letters
    ("ƀitch", "bitch"),
    ("biƭch", "bitch"),
    ("ᴅαмɴ", "damn"),            # styles mixed with Cyrillic
])
def test_styled_letters_read_as_plain_letters(written, word):
    assert normalise(written).text == word
    assert_reads(f"oh {written}!", word, written)


@pytest.mark.parametrize("original, word", [("Łódź", "lodz"), ("Ørsted", "orsted"), ("Đà Nẵng", "da nang")])
def test_letters_of_other_languages_lose_only_their_strokes(original, word):
    assert normalise(original).text == word


@pytest.mark.parametrize("original, word, written", [
    ("d<b>a</b>mn it", "damn", "d<b>a</b>mn"),
    ("what b<em>i</em>tch", "bitch", "b<em>i</em>tch"),
    ("cr<span class='x'>a</span>p", "crap", "cr<span class='x'>a</span>p"),
    ("c<b><i>r</i></b>ap", "crap", "c<b><i>r</i></b>ap"),
    ("d<u>4</u>mn", "damn", "d<u>4</u>mn"),
    ("<strong>crap</strong> day", "crap", "crap"),
    ("so <i>damn</i>.", "damn", "damn"),
    ("b<B>I</B>TCH", "bitch", "b<B>I</B>TCH"),
])
def test_markup_inside_a_word_is_dropped(original, word, written):
    assert_reads(original, word, written)


@pytest.mark.parametrize("original, words", [
    ("<p>first</p><p>second</p>", "first second"),
    ("one<br>two", "one two"),
    ("one<br/>two", "one two"),
    ('see <a href="http://example.org">this</a> page', "see this page"),
    ("end.<div>start", "end. start"),
])
def test_markup_between_words_keeps_them_apart(original, words):
    assert normalise(original).text == words


def test_plain_view_keeps_markup_for_the_links_in_it():
    original = 'see <a href="http://example.org">this</a>'
    assert normalise(original).plain.text == original


@pytest.mark.parametrize("written, word", [
    ("d*a*m*n", "damn"),
    ("c*r*a*p", "crap"),
    ("b**i**t**c**h", "bitch"),
    ("c_r_a_p", "crap"),
    ("d.a.m.n", "damn"),
    ("b-i-t-c-h", "bitch"),
    ("d*4*m*n", "damn"),
])
def test_letters_spelled_apart_by_masks_and_separators_are_joined(written, word):
    assert_reads(f"what {written} now", word, written)


@pytest.mark.parametrize("masked", ["d*mn", "cr*p", "b**ch", "b*tch", "**d*mn**", "d***"])
def test_a_mask_inside_a_word_stays_a_mask(masked):
    assert normalise(f"a {masked} day").text == f"a {masked} day"


@pytest.mark.parametrize("original, words, written", [
    ("you 🐍", "snake", "🐍"),
    ("you🐷", "you pig", "you🐷"),
    ("🐷you", "pig face you", "🐷you"),
    ("🧠🚫", "brain prohibited", "🧠🚫"),
    ("look 🤮", "face vomiting", "🤮"),
    ("🖕🏼 to that", "middle finger to", "🖕🏼 to"),           # a skin tone adds no word
    ("🖕🏿", "middle finger", "🖕🏿"),
    ("go 🇨🇺!", "cuba", "🇨🇺"),                          # flags read as their country
    ("🇺🇸🇨🇺", "united states cuba", "🇺🇸🇨🇺"),
    ("I 💔 this", "i broken heart this", "I 💔 this"),        # hearts are words too, harmless ones
    ("❤️❤️", "red heart red heart", "❤️❤️"),
    ("so ❤", "red heart", "❤"),                          # ends the text, as longer heart sequences would not
    ("🏳️‍🌈 pride", "rainbow flag pride", "🏳️‍🌈 pride"),
])
def test_emoji_read_as_the_words_of_their_names(original, words, written):
    assert_reads(original, words, written)


@pytest.mark.parametrize("original, word, emoji", [("🐍🐍🐍", "snake", "🐍"), ("a🐷b", "pig", "🐷"), ("🤡 x🤡", "clown", "🤡")])
def test_each_word_maps_to_its_own_emoji(original, word, emoji):
    text = normalise(original)
    spans = [text.span(start, end) for name, start, end in text.words if name == word]
    assert [span.text for span in spans] == [emoji] * original.count(emoji)
    assert [span.start for span in spans] == [at for at, ch in enumerate(original) if ch == emoji]


@pytest.mark.parametrize("original, folded", [("™", "tm"), ("Ⓜ", "m"), ("🅱️ad", "bad"), ("wow‼", "wow!!"), ("1️⃣", "1")])
def test_emoji_that_are_letters_or_punctuation_stay_letters(original, folded):
    assert normalise(original).text == folded


def test_plain_view_reads_emoji_as_words_too():
    text = normalise("sh1t 🐀")
    assert text.plain.text == "sh1t rat"
    assert text.plain.span(5, 8).text == "🐀"


@pytest.mark.parametrize("original", [
    "d<b>a</b>mn 🐀🐀 ᴅᴀᴍɴ d*a*m*n sh\u3164it",
    "👨‍👩‍👧 <p>family</p>🇨🇺 ⓓⓐⓜⓝ",
    "🏽 alone, ️ a lone selector, <br> and &lt;b&gt;",
    "ends with a heart ❤",
])
def test_origin_stays_ordered_and_complete_with_every_evasion(original):
    text = normalise(original)
    for view in (text, text.plain):
        assert len(view.origin) == len(view.text) + 1 == len(view.ends) + 1
        assert view.origin[-1] == len(original)
        assert list(view.origin) == sorted(view.origin)
        assert all(start < end <= len(original) for start, end in zip(view.origin, view.ends))


@pytest.mark.parametrize("original", ["d<b>a</b>mn 🐀", "ᴅᴀᴍɴ", "d*a*m*n", "sh\u2800it", "🇨🇺 <i>x</i>"])
def test_normalising_twice_changes_nothing(original):
    once = normalise(original).text
    assert normalise(once).text == once
