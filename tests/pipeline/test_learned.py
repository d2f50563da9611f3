"""The learned rules' linear model: its features, sentence scores and evidence, the artifact's checks, identity
masking, and how a rule's finding and the model combine."""
from __future__ import annotations

import io
import math

import numpy as np
import pytest

from moderation.pipeline.learned import (
    IDENTITY, LinearModel, ModelError, ModelUse, combine, features, pair_features, word_features,
)
from moderation.pipeline.normalise import normalise
from moderation.pipeline.types import FilterResult, Span
from moderation.policy import load_policy


def tiny_model(weights: dict[str, tuple[float, float]], bias=(-1.0, -1.0), masked=frozenset()) -> LinearModel:
    """A two-head model (insult, hate) over the given features, uncalibrated (a = 1, b = 0)."""
    vocabulary = {feature: index for index, feature in enumerate(weights)}
    matrix = np.array(list(weights.values()), dtype=np.float32).reshape(len(weights), 2)
    return LinearModel(("insult", "hate"), vocabulary, matrix, np.array(bias), np.tile([1.0, 0.0], (2, 1)), masked)


def logistic(value: float) -> float:
    return 1 / (1 + math.exp(-value))


MODEL = tiny_model({"\x01idiot": (6.0, 0.0), "\x01vermin": (0.0, 6.0), "\x02you idiot": (2.0, 0.0)})


def test_a_word_gives_its_padded_character_grams_and_itself():
    assert word_features("idiot") == [" id", "idi", "dio", "iot", "ot ", " idi", "idio", "diot", "iot ",
                                      " idio", "idiot", "diot ", "\x01idiot"]
    assert pair_features(("you", "idiot")) == ["\x02you idiot"]
    assert features(("you", "idiot")) == word_features("you") + word_features("idiot") + ["\x02you idiot"]


def test_an_identity_word_is_one_feature_alone_and_in_pairs():
    masked = frozenset({"muslims", "gay"})
    assert word_features("muslims", masked) == [IDENTITY]
    assert pair_features(("muslims", "are"), masked) == [f"\x02{IDENTITY} are"]


def test_the_worst_sentence_scores_the_comment():
    text = normalise("The talks went well. You idiot.")
    # Sentence two: "you" (7 features) + "idiot" (13) + the pair (1) = 21 features; idiot and the pair weigh 8.
    expected = -1.0 + (6.0 + 2.0) / math.sqrt(21)
    assert MODEL.probability(text, "insult") == pytest.approx(logistic(expected), rel=1e-5)


def test_a_long_friendly_comment_does_not_dilute_an_insult_in_one_sentence():
    insult = normalise("You idiot.")
    diluted = normalise("Thanks for the careful article about the visa numbers and the accord. " * 5 + "You idiot.")
    assert MODEL.probability(diluted, "insult") == pytest.approx(MODEL.probability(insult, "insult"))


def test_the_evidence_is_the_heaviest_words_on_the_characters_as_written():
    found = MODEL.score(normalise("Fine talks. And YOU, ɪᴅɪᴏᴛ!"), "insult")
    assert found.probability > 0.5
    assert [span.text for span in found.spans] == ["ɪᴅɪᴏᴛ"]


def test_an_empty_comment_scores_the_bias():
    assert MODEL.probability(normalise("!!!"), "hate") == pytest.approx(logistic(-1.0))


def test_an_unknown_head_is_named():
    with pytest.raises(KeyError, match="no head 'spam'.*insult, hate"):
        MODEL.probability(normalise("hi"), "spam")


def test_an_artifact_round_trips_and_masks_the_same_words():
    model = tiny_model({"\x01idiot": (6.0, 0.5), IDENTITY: (0.0, 0.0)}, masked=frozenset({"cubans"}))
    buffer = io.BytesIO()
    model.save(buffer)
    loaded = LinearModel.load(io.BytesIO(buffer.getvalue()))
    text = normalise("Cubans, you idiot")
    assert loaded.masked == {"cubans"} and loaded.heads == model.heads
    assert loaded.probability(text, "insult") == pytest.approx(model.probability(text, "insult"), abs=1e-3)


@pytest.mark.parametrize("damage, message", [
    (lambda parts: parts.pop("bias"), "no array"),
    (lambda parts: parts.update(weights=np.zeros((5, 2), dtype=np.float16)), "weights are"),
    (lambda parts: parts.update(calibration=np.array([[np.nan, 0.0], [1.0, 0.0]])), "not finite"),
])
def test_a_damaged_artifact_is_refused_saying_what_is_wrong(damage, message):
    buffer = io.BytesIO()
    MODEL.save(buffer)
    parts = dict(np.load(io.BytesIO(buffer.getvalue())))
    damage(parts)
    damaged = io.BytesIO()
    np.savez(damaged, **parts)
    with pytest.raises(ModelError, match=message):
        LinearModel.load(io.BytesIO(damaged.getvalue()))


def test_bytes_that_are_no_artifact_are_refused():
    with pytest.raises(ModelError, match="not a model artifact"):
        LinearModel.load(io.BytesIO(b"not a zip file"))


USE = ModelUse(MODEL, {"insult": 0.5}, {"insult": 0.3}, score=0.6, explanation="Reads as an insult")
FINDING = FilterResult(0.6, (Span(0, 5, "rates"),), "insult of a third person")


def test_an_uncertain_finding_the_model_does_not_confirm_is_dropped():
    assert combine(FINDING, normalise("Interest rates rose again."), USE) == FilterResult()


def test_a_certain_finding_stands_whatever_the_model_says():
    assert combine(FINDING, normalise("Interest rates rose again."), USE, certain=True) == FINDING


def test_the_model_alone_holds_for_review_with_its_words_as_evidence():
    result = combine(FilterResult(), normalise("Honestly, you idiot."), USE)
    assert result.score == 0.6
    assert [span.text for span in result.spans] == ["idiot"]
    assert result.explanation.startswith("Reads as an insult (insult, probability 0.") and "“idiot”" in result.explanation


def test_a_finding_at_the_holds_score_or_above_keeps_its_own_evidence_and_explanation():
    strong = FilterResult(0.9, (Span(10, 13, "you"),), "insult aimed at a person in the conversation")
    assert combine(strong, normalise("Honestly, you idiot."), USE) == strong


def test_counter_speech_read_by_the_grammar_stops_the_models_hold():
    asked = []
    result = combine(FilterResult(), normalise("Honestly, you idiot."), USE, countered=lambda evidence: asked.append(evidence.spans) or True)
    assert result == FilterResult() and [[span.text for span in spans] for spans in asked] == [["idiot"]]


def test_without_a_model_the_finding_is_unchanged():
    assert combine(FINDING, normalise("rates"), None) is FINDING


def test_the_policy_loads_one_shared_model_for_its_rules():
    policy = load_policy()
    uses = [rule.model for rule in policy.rules if rule.model is not None]
    assert len(uses) >= 2 and len({id(use.model) for use in uses}) == 1
    assert {"toxic", "hate", "insult"} <= set(uses[0].model.heads)
    assert "muslims" in uses[0].model.masked
