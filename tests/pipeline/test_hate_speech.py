"""The hate-speech filter: slurs, dehumanisation, calls for violence or exclusion, generalisations, and what passes."""
from __future__ import annotations

from pathlib import Path

import pytest

from moderation.pipeline.filters.hate_speech import check
from moderation.pipeline.normalise import normalise
from moderation.pipeline.types import ModerationContext
from moderation.policy import load_policy

RULE = load_policy().rule("hate_speech")
SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_0c0a9be939460729.txt"


def score(text: str) -> float:
    return check(normalise(text), ModerationContext(), RULE).score


@pytest.mark.parametrize("text", [
    "kill the gays", "Muslims are animals", "Immigrants are vermin", "Refugees are a disease",
    "immigrants are not human", "Jews should be exterminated", "deport all the mexicans",
    "The jewish race itself is a plague", "n1gger", "ni gg er".replace(" ", ""), "those f4ggots",
    "white power", "Islam is pig shit",
])
def test_attacks_on_a_group_reach_reject(text):
    assert score(text) >= RULE.reject_threshold


@pytest.mark.parametrize("text", [
    "Why are Mexicans so lazy?", "filthy Chinese", "Muslims are all terrorists", "I hate gays",
    "Women are inferior", "you retard", "gays are fucking disgusting",
])
def test_generalisations_and_mild_slurs_are_held(text):
    assert score(text) >= RULE.review_threshold


@pytest.mark.parametrize("text", [
    "Whoever calls refugees vermin should be ashamed",
    "Refugees are not vermin",
    "Black people are not criminals",
    "It is racist to say Mexicans are lazy",
    "As a dyke, I love this story",
    "Cuban Jews", "Cuban migrants", "four convicted Cuban spies", "the communist government",
    "Gay couples can now marry in Florida", "Muslims and Christians prayed together",
    "Women will die of heart disease more often than of cancer, the study says",
    "The migrants arrived on homemade rafts",
    "Spicy food and a spiced rum", "Homo sapiens", "He was tardy again", "Sean Spicer spoke",
    "Black people are being murdered at higher rates, the report says",
])
def test_mentioning_a_group_or_condemning_hate_passes(text):
    assert score(text) < RULE.review_threshold


def test_every_paragraph_of_the_seed_article_is_clean():
    article = SEED.read_text(encoding="utf-8").split("Read more Cuba stories")[0]
    for paragraph in filter(None, article.split("\n\n")):
        assert score(paragraph) == 0.0, paragraph


def test_span_covers_the_group_and_what_is_said_of_it():
    original = "😀😀 Honestly, refugees are vermin."
    result = check(normalise(original), ModerationContext(), RULE)
    assert [span.text for span in result.spans] == ["refugees are vermin"]
    assert original[result.spans[0].start:result.spans[0].end] == "refugees are vermin"
    assert result.explanation.startswith("Dehumanising language")
