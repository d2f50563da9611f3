"""The personal-attack filter: insults, belittling and threats aimed at someone in the conversation, and what passes."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from moderation.pipeline.filters.personal_attack import check
from moderation.pipeline.normalise import normalise
from moderation.pipeline.types import ModerationContext
from moderation.policy import load_policy

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_0c0a9be939460729.txt"
RULE = load_policy().rule("personal_attack")
NO_CONTEXT = ModerationContext()


def score(text: str, rule=RULE) -> float:
    return check(normalise(text), NO_CONTEXT, rule).score


@pytest.mark.parametrize("text", [
    "you idiot",
    "You're a moron.",
    "you are such a complete fucking idiot",
    "Are you really this stupid?",
    "The writer is a hack.",
    "@dave is a liar",
    "fuck you",
    "What a pathetic little man you are.",
    "Only morons like you believe that.",
    "your a troll",
    "Take your ignorant ass somewhere else.",
])
def test_insults_aimed_at_a_person_are_rejected(text):
    assert score(text) >= RULE.reject_threshold


@pytest.mark.parametrize("text", [
    "You are too stupid to understand it.",
    "Your dumb.",
    "wow your just as dumb as you look",
    "You are both morons.",
    "You are a traitor.",
    "You ignorant yuppie.",
    "You turd-breath.",
    "Go home, you pea-brained fool.",
    "Your hating ass doesn't know talent.",
    "You are a sad excuse for a human being.",
    "You're full of shit.",
])
def test_insults_said_of_the_reader_in_other_shapes_are_rejected(text):
    assert score(text) >= RULE.reject_threshold


@pytest.mark.parametrize("text", [
    "Leftist fool.",
    "If it has to be explained, you will never get it. Pathetic little boy.",
    "Then don't watch it loser.",
    "Lick it clean, dick face.",
    "Why don't you shut up?",
    "Your stupidity is showing.",
    "You need professional help.",
    "You are not wanted here.",
])
def test_vocatives_fragments_and_belittling_are_held_for_review(text):
    assert score(text) >= RULE.review_threshold


@pytest.mark.parametrize("text", [
    "I know where you live.",
    "I'll find you, and you will regret this.",
    "Go kill yourself.",
])
def test_threats_score_highest(text):
    assert score(text) == pytest.approx(RULE.params["threat_score"])


@pytest.mark.parametrize("text", [
    "People like you are why this country is broken.",
    "Shut up.",
    "Go back to school and learn to read.",
    "Get a life.",
    "No, idiot.",
])
def test_belittling_is_held_for_review(text):
    assert RULE.review_threshold <= score(text)


@pytest.mark.parametrize("text", [
    "you're a m0ron",
    "You 1d10t",
    "you're an іdiot",  # Cyrillic і
    "you idiooooot",
    "u are a moron",
    "you're a f*cking moron",
    "you are a m.o.r.o.n",
])
def test_evasions_are_caught(text):
    assert score(text) >= RULE.reject_threshold


@pytest.mark.parametrize("text", [
    "That argument is stupid.",
    "The government's policy is idiotic and will fail.",
    "You're not an idiot, you just disagree with me.",
    "I think you're right about the embargo.",
    "Thank you for the article, it was well researched.",
    'He shouted "you idiot" at the referee and was fined for it.',
    "Calling people idiots does not win an argument.",
    "When you grow up in Havana you learn to wait in line.",
    "The bill is a joke and Congress should start over.",
    "It is a joke.",
    "This is a waste of space.",
    "I was a fool to believe the talks would change anything.",
    "Your argument ignores the 1995 accords.",
    "My kids grow up fast; they are smart and kind.",
    "You make a good point.",
    "Your argument ignores the remittances that families send.",
    "You are right that the plan is idiotic.",
    "The government's policy is stupid and cruel.",
    "The embargo is a ridiculous failure of policy.",
    "I think you are mistaken about the numbers.",
    "You're not stupid, you just disagree.",
    "Head coach Smith said the air bag failed.",
    "That sounds like a hare-brained scheme.",
    "What a joke this deal is.",
    "You need help moving the furniture?",
    "Don't be ridiculous, the talks never had a chance.",
    "The problem will not go away on its own.",
])
def test_debate_and_civil_comments_pass(text):
    assert score(text) < RULE.review_threshold


def test_every_paragraph_of_the_seed_article_passes():
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    assert paragraphs
    assert [p for p in paragraphs if score(p) >= RULE.review_threshold] == []


def test_insulting_a_public_figure_follows_the_policy_setting():
    assert score("Obama is an idiot.") == pytest.approx(RULE.review_threshold)
    lenient = dataclasses.replace(RULE, params={**RULE.params, "public_figures": "none"})
    assert score("Obama is an idiot.", lenient) == 0.0
    strict = dataclasses.replace(RULE, params={**RULE.params, "public_figures": "reject"})
    assert score("Obama is an idiot.", strict) == pytest.approx(RULE.reject_threshold)


@pytest.mark.parametrize("text, expected", [
    ("😀 é you idiot!", "you idiot"),
    ("Cafe\u0301 owner: you're a moron", "you're a moron"),
    ("👍🏽 I know where you live", "I know where you live"),
    ("ok, you're an іdiot", "you're an іdiot"),
    ("👍🏽 é, you turd-breath!", "you turd-breath"),
    ("Cafe\u0301: your hating ass", "your hating ass"),
])
def test_spans_point_at_the_original_characters(text, expected):
    result = check(normalise(text), NO_CONTEXT, RULE)
    assert [span.text for span in result.spans] == [expected]
    span = result.spans[0]
    assert text[span.start:span.end] == expected


def test_explanation_names_the_finding_and_the_words():
    result = check(normalise("You're a moron."), NO_CONTEXT, RULE)
    assert "insult" in result.explanation and "You're a moron" in result.explanation
