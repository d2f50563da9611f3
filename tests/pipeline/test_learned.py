"""The learned word weights: the weights file's format, sentence scores, evidence spans on the original characters."""
from __future__ import annotations

import re

import pytest

from moderation.pipeline.learned import WeightsError, parse_weights
from moderation.pipeline.normalise import normalise

MODEL = parse_weights("# a comment line\n(bias)\t-2.0\nidiot\t3.0\nstupid\t2.5\nyou\t0.3\nplan\t-1.0\n")


def test_a_weights_file_reads_as_a_bias_and_word_weights():
    assert MODEL.bias == -2.0
    assert dict(MODEL.weights) == {"idiot": 3.0, "stupid": 2.5, "you": 0.3, "plan": -1.0}


@pytest.mark.parametrize("content, line, message", [
    ("(bias)\t-1\nidiot 3.0\n", 2, "a word, a tab and a weight"),
    ("(bias)\t-1\nidiot\tthree\n", 2, "not a number"),
    ("(bias)\t-1\n\nidiot\tnan\n", 3, "not finite"),
    ("(bias)\t-1\nidiot\t1\nidiot\t2\n", 3, "listed twice"),
    ("(bias)\t-1\n(bias)\t2\n", 2, "second (bias)"),
    ("(bias)\t-1\nIdiot\t1\n", 2, "not a normalised word"),
    ("idiot\t1\n", 0, "no (bias) line"),
])
def test_a_malformed_weights_file_is_refused_naming_the_line(content, line, message):
    with pytest.raises(WeightsError, match=re.escape(message)) as error:
        parse_weights(content)
    assert error.value.line == line
    assert str(error.value).startswith(f"line {line}:") == bool(line)


def test_the_highest_sentence_scores_the_comment_and_its_heavy_words_are_the_evidence():
    found = MODEL.score(normalise("The plan failed. You are a stupid idiot."), evidence_weight=1.0)
    assert found.probability == pytest.approx(1 / (1 + 2.718281828459045 ** -(-2.0 + 3.0 + 2.5 + 0.3)))
    assert [span.text for span in found.spans] == ["stupid", "idiot"]


def test_a_word_counts_once_per_sentence():
    once, twice = (MODEL.score(normalise(text), 1.0).probability for text in ("stupid", "stupid stupid stupid"))
    assert once == twice


def test_sentences_below_the_evidence_probability_give_no_evidence():
    found = MODEL.score(normalise("The stupid plan."), evidence_weight=1.0, evidence_probability=0.5)
    assert found.probability < 0.5 and found.spans == ()


def test_spans_point_at_the_original_characters_after_emoji_combining_marks_and_evasions():
    text = "👍🏽 Cafe\u0301 talk. You ïdi0t!"
    found = MODEL.score(normalise(text), evidence_weight=1.0)
    assert [(span.text, text[span.start:span.end]) for span in found.spans] == [("ïdi0t", "ïdi0t")]


def test_aimed_says_whether_an_offensive_sentence_names_someone():
    aimed_at = frozenset({"you", "he"})
    assert MODEL.score(normalise("The plan is fine. You idiot."), 1.0, 0.5, aimed_at).aimed
    assert not MODEL.score(normalise("He is fine. Stupid idiot."), 1.0, 0.5, aimed_at).aimed


def test_skipped_words_pass_over_their_sentence():
    found = MODEL.score(normalise("You are not an idiot."), 1.0, 0.5, skipped=frozenset({"not"}))
    assert found.spans == () and found.probability < 0.01


@pytest.mark.parametrize("text", ["", "   ", "!!! ..."])
def test_text_without_words_scores_the_bias_alone(text):
    found = MODEL.score(normalise(text), evidence_weight=1.0)
    assert found.probability == pytest.approx(1 / (1 + 2.718281828459045 ** 2.0))
    assert found.spans == ()
