"""The hate-speech filter: slurs, dehumanisation, calls for violence or exclusion, generalisations, and what passes."""
from __future__ import annotations

import pytest

from moderation.pipeline.filters.hate_speech import check
from moderation.pipeline.normalise import normalise
from moderation.pipeline.types import ModerationContext
from moderation.policy import load_policy
from tests.pipeline.seed_page import SEED_PAGE

RULE = load_policy().rule("hate_speech")


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


@pytest.mark.parametrize("text", [
    "Death to the Jews", "Kick the refugees out", "Send them all back where they came from", "nuke Iran",
    "Trans people should be looked down upon", "Gay people are not even human", "Raping women should be legal",
])
def test_calls_for_violence_removal_and_denied_humanity_reach_reject(text):
    assert score(text) >= RULE.reject_threshold


@pytest.mark.parametrize("text", [
    # what a group is said to do, and that it does not belong
    "Somalis don't belong here", "Immigrants ruin every town they move into", "Mexicans will never change",
    "Asylum seekers multiply like rabbits",
    # generalisations with intensifiers, in questions and negated questions, after a group adjective and a word for people
    "Muslims are the worst", "Women are property", "Why are Jews so greedy?", "Aren't Haitians all criminals?",
    "Jewish guys are all crooks", "filthy muslim dudes", "stupid muslims",
    # a group pointed at rather than named, or referred back to
    "These parasites should be deported", "Those filthy rats are breeding",
    "Muslims want war. So take it to them first", "Muslims came here. They are vermin",
    # hostility, swearing at a people's country, misogynist slurs aimed at someone, death wished for who one is
    "I don't like gays", "fuck Sweden", "you stupid bitch", "You fat whore", "you're autistic, kill yourself",
])
def test_weaker_generalisations_and_references_are_held(text):
    assert score(text) >= RULE.review_threshold


@pytest.mark.parametrize("text", [
    "Aren't Haitians all criminals?", "These parasites should be deported", "you stupid bitch",
])
def test_weaker_signals_are_held_not_rejected(text):
    assert RULE.review_threshold <= score(text) < RULE.reject_threshold


@pytest.mark.parametrize("text", [
    # neutral and positive mentions, reports of what was done, sport
    "The Dominican community is growing in Miami", "Black folks in Miami marched for voting rights",
    "Refugees deserve our help", "Women deserve equal pay", "Muslims are not terrorists",
    "I love my Mexican neighbours; they are the kindest people",
    "The Coast Guard sent the Haitian migrants back to Haiti", "They kicked the Cuban rafters out of the program",
    "Obama deported more Mexicans than any president", "Japan banned the import of ivory",
    "The Swedes beat the Germans in the final", "Immigrants are taking jobs nobody else wants, the study found",
    # a country's government criticised, a group adjective with no people, animals that are animals
    "Cuba is a dictatorship and the communist government jails dissidents", "China's government should be sanctioned",
    "I hate white flour", "Those poor dogs need homes", "These animals were rescued from the flood",
    # condemnation, reclaimed and self-naming uses, a slur word that is not aimed, a death wish negated
    "Whoever says Mexicans are rapists should be ashamed", "Calling immigrants vermin is hate speech",
    "I'm a proud dyke and I love this paper", "As a queer woman I disagree", "We dykes marched at Pride",
    "Sons of bitches, the Dolphins lost again", "Don't kill yourself over the exam, gay or straight",
    "My libtard cousin and I argued about taxes",
])
def test_neutral_reported_and_condemning_mentions_pass(text):
    assert score(text) < RULE.review_threshold


def test_every_paragraph_of_the_seed_article_is_clean():
    article = SEED_PAGE.split("Read more Cuba stories")[0]
    for paragraph in filter(None, article.split("\n\n")):
        assert score(paragraph) == 0.0, paragraph


def test_span_covers_the_group_and_what_is_said_of_it():
    original = "😀😀 Honestly, refugees are vermin."
    result = check(normalise(original), ModerationContext(), RULE)
    assert [span.text for span in result.spans] == ["refugees are vermin"]
    assert original[result.spans[0].start:result.spans[0].end] == "refugees are vermin"
    assert result.explanation.startswith("Dehumanising language")


@pytest.mark.parametrize("text", [
    "Hundreds of aboriginal women have been murdered, the inquiry found.",
    "Cuban rafters were killed at sea in 1994.",
    "Haitian migrants were deported from the Bahamas last year.",
])
def test_violence_told_as_done_in_the_passive_is_reporting_not_a_call(text):
    assert score(text) < RULE.review_threshold


@pytest.mark.parametrize("text", ["Muslims should be killed.", "Migrants must be deported.", "Refugees need to be shot."])
def test_violence_called_for_in_the_passive_still_rejects(text):
    assert score(text) >= RULE.reject_threshold
