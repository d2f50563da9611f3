"""The off-topic filter: spam signals with or without an article, and relevance to the article or the parent comment."""
from __future__ import annotations

import dataclasses

import pytest

from moderation.pipeline.filters.off_topic import check
from moderation.pipeline.normalise import normalise
from moderation.pipeline.types import ModerationContext
from moderation.policy import load_policy
from tests.pipeline.seed_page import SEED_PAGE

RULE = load_policy().rule("off_topic")
NO_CONTEXT = ModerationContext()
TITLE, _, BODY = SEED_PAGE.partition("\n")
ARTICLE = ModerationContext(article_title=TITLE, article_text=BODY.split("Read more Cuba stories")[0])


def score(text: str, context: ModerationContext = NO_CONTEXT) -> float:
    return check(normalise(text), context, RULE).score


@pytest.mark.parametrize("text", [
    "Check out my channel and subscribe!",
    "Make money working from home: $500 a day, visit www.easy-cash.biz",
    "Call 305-555-0123 for cheap loans",
    "http://spam-site.example.com/offer?ref=123",
    "asdfghjkl qwrtzp xcvbnm",
    "Subscribe me please",
    "Follow me on instagram @bigboss",
])
def test_spam_is_held_without_an_article(text):
    assert score(text) >= RULE.review_threshold


@pytest.mark.parametrize("text", [
    "Check out my channel: http://youtube.com/mychannel and subscribe!",
    "Earn $300 per day working from home, click here www.cash-now.biz",
])
def test_several_spam_signals_reject(text):
    assert score(text) >= RULE.reject_threshold


def test_the_same_text_posted_again_is_held():
    text = "The talks will change nothing for the families waiting in Havana."
    assert score(text) < RULE.review_threshold
    assert score(text, ModerationContext(recent_texts=("the talks will change  nothing for the families waiting in havana.",))) >= RULE.review_threshold


@pytest.mark.parametrize("text", [
    "I subscribe to the print edition and read this story there.",
    "Here is the State Department statement: https://www.state.gov/cuba-migration-talks, worth reading in full before judging.",
    "See also https://www.miamiherald.com/news/nation-world/world/americas/cuba",
    "THIS IS OUTRAGEOUS AND EVERYONE SHOULD KNOW ABOUT IT",
    "Visas went from 14,362 to 29,927 in one year.",
    "My daughter waited 3 years for her visa, it cost us $1,200 in fees.",
    "Many people work from home now, so the commute argument is weak.",
    "Agreed.",
    "Well said.",
    "Sad.",
])
def test_ordinary_comments_pass_without_an_article(text):
    assert score(text) < RULE.review_threshold


@pytest.mark.parametrize("text", [
    "The embargo has failed for fifty years and only hurt ordinary families while the regime stays in power in Havana.",
    "Alan Gross should be released immediately; holding an aid worker as a bargaining chip is shameful.",
    "Why does Washington keep issuing visas while the Castro brothers jail dissidents? This makes no sense to me.",
    "The wet foot dry foot policy encourages dangerous crossings on rafts and should be reconsidered by Congress.",
    "My grandmother left the island in 1980 during Mariel and she still hopes to see a free Cuba someday.",
    "Obama is weak on communist dictators and the Castro regime laughs at us while our citizens rot in prison.",
    "Trade with Cuba would help Florida farmers and ports; lifting the embargo is long overdue for our economy.",
    "What happens to the spies if the swap goes through?",
    "Agreed.",
    "Well said.",
    "Sad.",
])
def test_comments_about_the_story_pass(text):
    assert score(text, ARTICLE) < RULE.review_threshold


def test_every_paragraph_of_the_seed_page_passes():
    paragraphs = [p for p in SEED_PAGE.split("\n\n") if p.strip()]
    assert paragraphs
    for context in (NO_CONTEXT, ModerationContext(article_title=TITLE, article_text=BODY)):
        assert [p for p in paragraphs if score(p, context) >= RULE.review_threshold] == []


def test_a_long_comment_on_another_subject_is_held_but_never_rejected():
    text = ("I made the most delicious lasagna last night with fresh basil, ricotta cheese "
            "and homemade tomato sauce from my garden.")
    assert score(text) == 0.0
    assert RULE.review_threshold <= score(text, ARTICLE) < RULE.reject_threshold


def test_a_reply_is_judged_against_its_parent_comment_too():
    text = ("The Dolphins need a better offensive line if they want the playoffs, the quarterback keeps "
            "getting sacked every weekend and the defense looks tired by the fourth quarter.")
    parent = "Did anyone watch the Dolphins game? The quarterback was sacked five times and the playoffs look far away."
    assert score(text, ARTICLE) >= RULE.review_threshold
    assert score(text, dataclasses.replace(ARTICLE, parent_text=parent)) < RULE.review_threshold


@pytest.mark.parametrize("text, expected", [
    ("😀 é check out my channel", "check out my channel"),
    ("Cafe\u0301 deals: call 305-555-0123", "305-555-0123"),
    ("👍🏽 visit www.spam-deals.biz", "www.spam-deals.biz"),
])
def test_spans_point_at_the_original_characters(text, expected):
    result = check(normalise(text), NO_CONTEXT, RULE)
    assert expected in [span.text for span in result.spans]
    span = next(span for span in result.spans if span.text == expected)
    assert text[span.start:span.end] == expected


def test_explanation_names_the_signals():
    result = check(normalise("Check out my channel: http://youtube.com/mychannel"), NO_CONTEXT, RULE)
    assert "self-promotion" in result.explanation.lower() and "link to another site" in result.explanation.lower()


@pytest.mark.parametrize("text", [
    "Win $300 a day from your sofa, see quickcash dot net",
    "Free prizes for everyone at hxxp://prize-bonanza.biz",
    "Best deals online: bigwin [dot] com",
    "Best deals online: bigwin(.)com",
    "EASY INCOME tiny . ly/ab12",
    "visit w w w . loansnow . info today",
    "hthttps://ps://bonus-offers.example.org claim it",
    "Lonely tonight? hxxps://meet-singles.example",
])
def test_disguised_links_reject(text):
    assert score(text) >= RULE.reject_threshold
    assert score(text, ARTICLE) >= RULE.reject_threshold


@pytest.mark.parametrize("text", [
    "The embassy posted the visa figures at https://travel.state.gov/visa-statistics if you want the numbers.",
    "So . Me too, I think the talks matter.",
    "The dot com bubble taught investors nothing about Cuba.",
    "My cousin lives in Miami. Com ed classes there teach English to new arrivals.",
    "She wore a polka dot dress to the hearing in Havana.",
])
def test_cited_links_and_ordinary_dots_pass(text):
    assert score(text) < RULE.review_threshold


def test_a_disguised_link_is_the_evidence():
    text = "Cheap flights to Havana at flyhavana dot biz"
    result = check(normalise(text), NO_CONTEXT, RULE)
    assert "a disguised link" in result.explanation.lower()
    assert [span.text for span in result.spans] == ["flyhavana dot biz"]


@pytest.mark.parametrize("text", [
    "Pass it on to your friends before midnight or bad luck will follow you.",
    "Copy and paste this to your wall, ignore it and a curse falls on your family.",
    "Forward this to ten friends and your wish will come true tonight.",
])
def test_chain_letters_are_held(text):
    assert score(text) >= RULE.review_threshold
    assert score(text, ARTICLE) >= RULE.review_threshold
    assert "a chain letter" in check(normalise(text), NO_CONTEXT, RULE).explanation.lower()


@pytest.mark.parametrize("text", [
    "Please share this story with your neighbours from Havana.",
    "Good luck to the negotiators, they will need it.",
    "If Congress does not pass this bill before midnight, families will wait seven years for visas.",
])
def test_a_request_or_a_promise_alone_is_no_chain_letter(text):
    assert score(text) < RULE.review_threshold


@pytest.mark.parametrize("text", [
    "Can anybody recommend a cheap mechanic near Hialeah? My car broke down again lol",
    "Merry Christmas and happy new year to everyone on here, have a great holiday!",
    "Hi all, I am new in town and looking for a roommate near Brickell, message me please.",
    "Who is watching the Heat tonight? Going to be a great game for sure!",
    # "fourth" shares only its first letters with the article's "four": no reason to spare it.
    "Who caught the Heat game? That fourth quarter comeback was unreal, best night of the season!",
])
def test_chatter_about_something_else_is_held_for_review(text):
    assert RULE.review_threshold <= score(text, ARTICLE) < RULE.reject_threshold


def test_chatter_evidence_points_at_its_own_characters():
    text = "Can anybody recommend a cheap mechanic near Hialeah? My car broke down again lol"
    result = check(normalise(text), ARTICLE, RULE)
    assert "chatter" in result.explanation
    assert result.spans and all(text[span.start:span.end] == span.text for span in result.spans)


@pytest.mark.parametrize("text", [
    "Thanks for this reporting.",
    "Great article, thanks.",
    "Agreed with every word.",
    "Exactly right.",
    "Lol yes",
    "Finally some good news for Cuban families separated for decades.",
    "I think the talks are overdue and I hope families can finally be reunited.",
    "Who will pay for the new visas? Taxpayers, as always.",
    "My uncle came over on a raft in 1994 and never saw his mother again.",
])
def test_short_reactions_and_replies_on_topic_pass(text):
    assert score(text, ARTICLE) < RULE.review_threshold


def test_a_reply_that_answers_its_parent_in_its_own_words_passes():
    parent = "Do you think the prisoners will actually be exchanged this time?"
    reply = "I doubt it, both sides have promised an exchange before and nothing happened."
    assert score(reply, dataclasses.replace(ARTICLE, parent_text=parent)) < RULE.review_threshold


def test_a_title_alone_does_not_hold_a_long_comment_that_shares_none_of_its_words():
    title_only = ModerationContext(article_title="Budget surplus surprises the finance minister")
    text = ("Spending restraint in the last two years mattered more than oil revenue; provinces should plan for a "
            "downturn instead of promising new programs they cannot sustain when commodity prices fall again.")
    assert score(text, title_only) < RULE.review_threshold


@pytest.mark.parametrize("text", [
    "The State Department's own figures on visas for Cuban migrants are here: https://travel.state.gov/visa-data, and "
    "they show why the talks in Havana matter for thousands of families waiting on both sides of the straits.",
    "I WILL SAY IT AGAIN: THE EMBARGO HAS FAILED FOR FIFTY YEARS AND HURT ORDINARY CUBAN FAMILIES MORE THAN THE "
    "REGIME, AND THESE TALKS IN HAVANA ARE THE FIRST SENSIBLE STEP IN DECADES.",
])
def test_a_discussion_may_cite_a_link_or_shout(text):
    assert score(text, ARTICLE) < RULE.review_threshold


@pytest.mark.parametrize("text", [
    "Hey guys please check out my new song, it would mean so much to me if you listen and share it with friends",
    "Hi everyone, I am trying to win a trip to see my favourite band, please vote for me, it takes one click, thanks!!",
])
def test_chatter_that_reads_as_spam_is_held_without_an_article(text):
    assert score(text) >= RULE.review_threshold
