"""The verdict: how rule findings combine, refusals, pre-moderation, and the JSON shape of issue 3 section 4."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from moderation.pipeline import moderate
from moderation.pipeline.types import FilterResult, ModerationContext, Refused, Span, explained
from moderation.pipeline.verdict import decide
from moderation.policy import load_policy
from tests.pipeline.seed_page import SEED_PAGE

POLICY = load_policy()
TITLE, _, BODY = SEED_PAGE.partition("\n")
ARTICLE_TEXT = BODY.split("Read more Cuba stories")[0]
ARTICLE = ModerationContext(article_title=TITLE, article_text=ARTICLE_TEXT)


def results(**scores):
    """One (rule, FilterResult) pair per rule of the policy, with the given scores."""
    return [(rule, FilterResult(scores.get(rule.id, 0.0), (), f"{rule.id} found")) for rule in POLICY.rules]


@pytest.mark.parametrize("scores, outcome", [
    ({}, "publish"),
    ({"profanity": 0.49}, "publish"),
    ({"profanity": 0.5}, "review"),
    ({"off_topic": 0.7, "profanity": 0.6}, "review"),
    ({"hate_speech": 0.85}, "reject"),
    ({"profanity": 0.6, "personal_attack": 0.95}, "reject"),
])
def test_reject_beats_review_beats_publish(scores, outcome):
    assert decide(POLICY, results(**scores), premoderate=False).outcome == outcome


def test_reasons_name_each_acting_rule_gravest_first_with_its_title_sentence_and_clause():
    verdict = decide(POLICY, results(profanity=0.6, hate_speech=0.9, off_topic=0.7), premoderate=False)
    assert [reason["category"] for reason in verdict.reasons] == ["hate_speech", "off_topic", "profanity"]
    assert all("refrain from profanity, hate speech" in reason["policy"] for reason in verdict.reasons)
    assert [reason["title"] for reason in verdict.reasons] == ["Hate speech", "Remarks that are off point", "Profanity"]
    assert verdict.reasons[-1]["clause"] == "refrain from profanity"
    assert verdict.reasons[-1]["explanation"] == "profanity found"


@pytest.mark.parametrize("scores, outcome", [({}, "review"), ({"profanity": 0.95}, "reject")])
def test_premoderation_holds_what_would_publish_only(scores, outcome):
    verdict = decide(POLICY, results(**scores), premoderate=True)
    assert verdict.outcome == outcome
    assert (verdict.reasons[-1]["category"] == "premoderation") is (outcome == "review")


def test_max_score_is_the_highest_rule_score():
    assert decide(POLICY, results(off_topic=0.3, profanity=0.6), premoderate=False).max_score == 0.6


def test_to_dict_has_exactly_the_published_shape():
    rule_results = results(profanity=0.6)
    rule_results[0] = (rule_results[0][0], FilterResult(0.6, (Span(3, 7, "sh1t"),), "Mild profanity."))
    data = decide(POLICY, rule_results, premoderate=False).to_dict()
    assert set(data) == {"verdict", "policy", "categories", "reasons"}
    assert data["policy"] == {"name": POLICY.name, "version": POLICY.version}
    assert list(data["categories"]) == ["profanity", "hate_speech", "personal_attack", "off_topic"]
    assert data["categories"]["profanity"] == {
        "score": 0.6, "action": "review", "spans": [{"start": 3, "end": 7, "text": "sh1t"}],
        "explanation": "Mild profanity."}
    for finding in data["categories"].values():
        assert set(finding) == {"score", "action", "spans", "explanation"}
        assert finding["action"] in ("none", "review", "reject")
    assert set(data["reasons"][0]) == {"category", "title", "policy", "clause", "explanation"}


@pytest.mark.parametrize("text, code", [("", "empty"), ("  \n\t ", "empty"), ("x" * (POLICY.max_length + 1), "too_long")])
def test_empty_and_too_long_comments_are_refused(text, code):
    with pytest.raises(Refused) as refused:
        moderate(text, ModerationContext(), POLICY)
    assert refused.value.code == code


def test_a_comment_at_the_length_limit_is_judged():
    assert moderate("a" * POLICY.max_length, ModerationContext(), POLICY).outcome in ("publish", "review", "reject")


def test_every_paragraph_of_the_seed_article_publishes():
    paragraphs = [p for p in ARTICLE_TEXT.split("\n\n") if p.strip()]
    for paragraph in paragraphs:
        verdict = moderate(paragraph, ARTICLE, POLICY)
        assert verdict.outcome == "publish", (paragraph, verdict.reasons)


@pytest.mark.parametrize("text, category, outcome", [
    ("What the f.u.c.k is the State Department doing?", "profanity", "reject"),
    ("Cuban migrants are vermin and should be deported", "hate_speech", "reject"),
])
def test_moderate_runs_every_rule_and_reports_all_four(text, category, outcome):
    data = moderate(text, ARTICLE, POLICY).to_dict()
    assert data["verdict"] == outcome
    assert data["categories"][category]["action"] == outcome
    assert len(data["categories"]) == 4


def test_spans_in_the_verdict_point_at_the_text_as_given():
    text = "🇺🇸 e\u0301 Havana talks? sh1t."
    span = moderate(text, ARTICLE, POLICY).to_dict()["categories"]["profanity"]["spans"][0]
    assert text[span["start"]:span["end"]] == span["text"] == "sh1t"


def test_fake_rule_objects_are_enough_for_decide():
    rule = SimpleNamespace(category="profanity", title="t", sentence="s", clause="c", action=lambda score: "none")
    assert decide(POLICY, [(rule, FilterResult())], premoderate=False).outcome == "publish"


@pytest.mark.parametrize("span, trimmed", [
    (Span(3, 10, "idiot.."), Span(3, 8, "idiot")), (Span(0, 11, " www.x.biz,"), Span(1, 10, "www.x.biz")),
    (Span(0, 4, "f***"), Span(0, 4, "f***")), (Span(5, 7, "?!"), Span(5, 5, "")),
])
def test_spans_are_trimmed_of_trailing_punctuation_and_space(span, trimmed):
    assert span.trimmed() == trimmed
    assert FilterResult(0.6, (span,), "x").spans == ((trimmed,) if trimmed.text else ())


def test_every_explanation_has_one_format():
    spans = (Span(0, 5, "shit!"), Span(9, 13, "shit"), Span(20, 24, "crap"))
    assert explained("mild profanity", spans) == "Mild profanity: “shit”, “crap”"
    assert explained("reads as chatter") == "Reads as chatter"
    assert explained("held", (), without_words="the comment as a whole") == "Held: the comment as a whole"
    assert "; ".join([explained("a", spans[:1]), explained("b", spans[2:])]) == "A: “shit”; B: “crap”"
