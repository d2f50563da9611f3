"""Kinds of failure reported against moderation filters (issue 11's list), each as our own variants judged by the
whole policy under the seed story: what must publish, what must be held by which rule."""
from __future__ import annotations

import pytest

from moderation.articles import SEED_DIR, parse_article_file
from moderation.pipeline import moderate
from moderation.pipeline.types import ModerationContext
from moderation.policy import load_policy

POLICY = load_policy()
_ARTICLE = parse_article_file(SEED_DIR / "us-cuba-migration-talks.txt")
CONTEXT = ModerationContext(article_title=_ARTICLE.title, article_text=_ARTICLE.body)


def judge(text: str):
    verdict = moderate(text, CONTEXT, POLICY)
    return verdict.outcome, {finding.category for finding in verdict.findings if finding.action != "none"}


@pytest.mark.parametrize("text", [
    # Civil discussion of violent or sensitive topics.
    "Former prisoners have described beatings and torture in Cuban jails; the negotiators should raise it.",
    "The rafters who drowned in 1994 are why so many families distrust any deal with Havana.",
    # Self-deprecating use of insult words.
    "I was an idiot to think the first round of talks would settle the visa backlog.",
    "Maybe I'm a fool, but I believe the migration accord can hold this time.",
    # Words that contain or resemble bad words.
    "He finished summa cum laude and now drafts the State Department's Cuba memos.",
    "Thanks a heap, Havana, for another round that changes nothing.",
    "The hard-of-hearing applicants at the consulate need interpreters, lawyers said.",
    # Names and places with bad substrings.
    "Professor Anna Libshitz and Mayor Tom Cockburn spoke at the Sussex hearing on Cuban visas.",
    "Sen. Dick Lugar once met gay rights activists in Havana.",
    "Analysts assess Shiite turnout in Iraq, Mr. Matsushita told the Havana forum.",
    # Mild words said of nothing are not a personal attack.
    "Damn, the ferry to Havana was late again.",
    # Counter-speech, negated hate, reported slurs.
    "Calling migrants 'cockroaches' is vile and has no place in this debate.",
    "Saying that Cubans are animals is racist, and whoever wrote that should be ashamed.",
    "Nobody should call refugees vermin.",
    # Negated insults.
    "Maria is not an idiot, and her point about the visa lottery is right.",
    # Emoji that are harmless.
    "Good news for families at last 🇺🇸🇨🇺🙏❤️",
    # Strongly worded but civil criticism.
    "This accord is a disaster that will get more people killed in the Florida Straits.",
    "Both capitals are playing games with families' lives, and the rafters pay for it.",
])
def test_comments_that_must_publish(text):
    assert judge(text) == ("publish", set())


def test_a_slur_quoted_in_a_story_of_abuse_is_held_not_rejected():
    outcome, _ = judge("When we landed in 1980 a man shouted 'go home, you spic' at my mother. It still hurts.")
    assert outcome in ("publish", "review")


@pytest.mark.parametrize("text, category", [
    # Invisible and format characters inside a swear word.
    ("What a sh\u200bit deal for the rafters.", "profanity"),
    ("These talks are fu\u2800ck\u00ading useless.", "profanity"),
    ("A sh\u3164it accord.", "profanity"),
    # A swear word glued to other letters.
    ("Another shitshow from both governments.", "profanity"),
    ("fuckthat, Havana never keeps a promise", "profanity"),
    # Positive-sense swearing is still profanity.
    ("This deal is fucking great news for Hialeah.", "profanity"),
    # Styled letters, look-alikes and markup inside a word.
    ("𝐬𝐡𝐢𝐭 deal for Cuban families", "profanity"),
    ("ⓢⓗⓘⓣ deal", "profanity"),
    ("ꜰᴜᴄᴋ these talks", "profanity"),
    ("ƒuck the regime", "profanity"),
    ("s*h*i*t deal for the rafters", "profanity"),
    ("f<b>u</b>ck the negotiators", "profanity"),
    # Emoji as the gesture, and aimed at the reader.
    ("🖕🖕", "profanity"),
    ("🖕 to you and your talking points", "personal_attack"),
    ("You are a 🤡", "personal_attack"),
    ("Haitian exiles are 🐀🐀🐀", "hate_speech"),
    # A group word before a word for people names the group.
    ("Cuban rafters are vermin.", "hate_speech"),
    # Belittling the reader without a swear word.
    ("Learn to read before you comment on the accord.", "personal_attack"),
    ("Go back to your mother's basement and let adults discuss Cuba.", "personal_attack"),
])
def test_comments_held_by_the_rule_they_break(text, category):
    outcome, acting = judge(text)
    assert outcome != "publish" and category in acting
