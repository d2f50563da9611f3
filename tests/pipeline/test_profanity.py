"""The profanity filter: whole words and compounds, the evasions of section 2, and no Scunthorpe errors."""
from __future__ import annotations

import pytest

from moderation.pipeline.filters.profanity import check
from moderation.pipeline.normalise import normalise
from moderation.pipeline.types import ModerationContext
from moderation.policy import load_policy

RULE = load_policy().rule("profanity")


def result(text: str):
    return check(normalise(text), ModerationContext(), RULE)


@pytest.mark.parametrize("text", [
    "fuck this", "What the fuck", "motherfuckers", "clusterfuck", "fucking hell", "you cunt",
    "f u c k", "f.u.c.k", "f-u-c-k", "fuuuuck", "f*ck", "f**k", "ph*ck", "phuck", "ｆｕｃｋ", "fu\u200bck",
    "fück", "f&uuml;ck", "F U C K", "fuk you", "motherfukin", "fukin hell",
])
def test_strong_profanity_reaches_reject(text):
    assert result(text).score >= RULE.reject_threshold


@pytest.mark.parametrize("text", [
    "that is bullshit", "sh1t", "a$$", "@ss", "s#!t", "ѕhit", "shiiiit", "what an asshole", "bitch", "sh*t",
    "what a dick move", "piss off",
])
def test_mild_profanity_is_held_for_review(text):
    assert RULE.review_threshold <= result(text).score < RULE.reject_threshold


@pytest.mark.parametrize("text", [
    "Penistone", "Clitheroe", "Middlesex", "grasshopper", "therapist", "cockpit", "shiitake mushrooms", "Scunthorpe",
    "hello there", "Dick Cheney was vice president", "Moby Dick is a novel", "a hell of a deal", "damn good question",
    "The police said the drunk driver tried to kill two people", "murder rates fell", "stupid policy",
    "gay marriage", "sex education", "medical pot", "summa cum laude", "class assignment", "assess the passes",
    "a cocky rooster", "she pricked her finger", "the titer was high", "f***", "*goes to the store*",
    "Fukushima-Daiichi was not a hurricane", "Fukuoka", "marchers in pink pussy hats", "cock-a-doodle-doo",
    "pussy willows by the river",
])
def test_clean_words_that_contain_or_resemble_profanity_pass(text):
    assert result(text).score == 0.0


@pytest.mark.parametrize("original, expected", [
    ("😀😀 you are full of sh1t", ["sh1t"]),
    ("e\u0301e\u0301 f.u.c.k this and bullshit", ["f.u.c.k", "bullshit"]),
    ("👍🏽 ｆｕｃｋ", ["ｆｕｃｋ"]),
])
def test_spans_point_at_the_original_words(original, expected):
    spans = result(original).spans
    assert [span.text for span in spans] == expected
    assert [original[span.start:span.end] for span in spans] == expected


def test_explanation_names_the_words_and_the_tier():
    assert result("oh shit!").explanation == "Mild profanity: “shit”"


def test_more_words_score_higher_up_to_one():
    assert result("shit shit").score > result("shit").score
    assert result("fuck " * 20).score == 1.0


def test_a_profane_word_outside_an_innocent_phrase_still_counts():
    assert [span.text for span in result("pussy hats? what a pussy").spans] == ["pussy"]
