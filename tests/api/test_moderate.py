"""POST /api/v1/moderate and /moderate/batch: the policy's verdict, nothing stored, bad input named."""
from __future__ import annotations

import pytest

from moderation.db import db
from moderation.models import Comment, Decision, User
from moderation.pipeline import moderate
from moderation.pipeline.types import ModerationContext
from moderation.policy import current_policy
from tests.api.conftest import CLEAN_TEXT, INSULT_TEXT, SEED_SLUG, TOO_LONG_TEXT, count, seed_article


def expected_verdict(text: str, context: ModerationContext = ModerationContext()) -> dict:
    return moderate(text, context, current_policy()).to_dict()


@pytest.mark.parametrize("text, outcome", [(CLEAN_TEXT, "publish"), (INSULT_TEXT, "reject")])
def test_moderate_returns_the_policy_verdict_and_stores_nothing(client, key_headers, text, outcome):
    before = (count(Comment), count(Decision), count(User))
    response = client.post("/api/v1/moderate", json={"text": text}, headers=key_headers)
    assert response.status_code == 200
    assert response.get_json() == expected_verdict(text)
    assert response.get_json()["verdict"] == outcome
    assert (count(Comment), count(Decision), count(User)) == before


def test_the_native_verdict_names_the_comments_language(client, key_headers):
    response = client.post("/api/v1/moderate", json={"text": "Cállate la boca, que eres un pendejo de marca mayor."},
                           headers=key_headers)
    verdict = response.get_json()
    assert (verdict["language"], verdict["verdict"]) == ("es", "reject")
    assert [span["text"] for span in verdict["categories"]["personal_attack"]["spans"]] == ["Cállate la boca", "pendejo"]


def test_moderate_judges_against_the_article_and_the_replied_comment(client, key_headers):
    article = seed_article()
    body = {"text": "I agree with the previous point about Havana.", "article": SEED_SLUG, "context": "Havana talks matter."}
    response = client.post("/api/v1/moderate", json=body, headers=key_headers)
    context = ModerationContext(article_title=article.title, article_text=article.body, parent_text="Havana talks matter.")
    assert response.get_json() == expected_verdict(body["text"], context)


def test_a_changed_article_is_judged_against_by_the_next_call_despite_the_cache(client, key_headers):
    spam = {"text": "The baseball trades this season reshaped pitching rotations, bullpen depth, batting averages, "
            "shortstop defense and outfield platoons across the league standings.", "article": SEED_SLUG}
    before = client.post("/api/v1/moderate", json=spam, headers=key_headers).get_json()
    # Read after the call: the request shares this test's session, and the row it keeps is detached from it.
    article = seed_article()
    article.body = ("Baseball trades reshaped pitching rotations, bullpen depth, batting averages, shortstop defense "
                    "and outfield platoons in the league standings.")
    db.session.commit()
    after = client.post("/api/v1/moderate", json=spam, headers=key_headers).get_json()
    context = ModerationContext(article_title=article.title, article_text=article.body)
    assert after == expected_verdict(spam["text"], context)
    assert (before["categories"]["off_topic"]["action"], after["categories"]["off_topic"]["action"]) == ("review", "none")


@pytest.mark.parametrize(
    "body, status, field, code",
    [
        ({}, 422, "text", "invalid_field"),
        ({"text": 5}, 422, "text", "invalid_field"),
        ({"text": "   "}, 422, "text", "empty"),
        ({"text": TOO_LONG_TEXT}, 422, "text", "too_long"),
        ({"text": "Fine.", "article": "no-such-story"}, 422, "article", "invalid_field"),
        ([], 422, "body", "invalid_field"),
    ],
)
def test_moderate_names_the_field_it_cannot_judge(client, key_headers, body, status, field, code):
    response = client.post("/api/v1/moderate", json=body, headers=key_headers)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert (error["field"], error["code"]) == (field, code)
    assert error["message"]


def test_batch_returns_verdicts_in_order(client, key_headers):
    texts = [INSULT_TEXT, CLEAN_TEXT, "What the f*ck is this deal."]
    response = client.post("/api/v1/moderate/batch", json={"items": [{"text": t} for t in texts]}, headers=key_headers)
    assert response.status_code == 200
    assert response.get_json() == {"results": [expected_verdict(t) for t in texts]}


@pytest.mark.parametrize(
    "items, field",
    [
        ([], "items"),
        ([{"text": "Fine."}] * 101, "items"),
        ([{"text": "Fine."}, {"text": ""}], "items[1].text"),
        ([{"text": "Fine."}, {"text": "Fine.", "article": "nowhere"}], "items[1].article"),
        ([{"text": "Fine."}, {}], "items[1].text"),
    ],
)
def test_batch_refuses_the_whole_batch_naming_the_bad_item(client, key_headers, items, field):
    response = client.post("/api/v1/moderate/batch", json={"items": items}, headers=key_headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field


def test_a_batch_of_exactly_one_hundred_is_accepted(client, key_headers):
    response = client.post("/api/v1/moderate/batch", json={"items": [{"text": "Fine."}] * 100}, headers=key_headers)
    assert response.status_code == 200
    assert len(response.get_json()["results"]) == 100


def test_a_nul_character_is_named_wherever_it_is(client, key_headers):
    response = client.post("/api/v1/moderate/batch", json={"items": [{"text": "Fine."}, {"text": "Fine.", "article": "a\x00"}]},
                           headers=key_headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "items[1].article"


def test_the_api_answers_in_english_whatever_the_callers_language(client, key_headers):
    spanish = {**key_headers, "Accept-Language": "es-US,es;q=0.9"}
    response = client.post("/api/v1/moderate", json={"text": TOO_LONG_TEXT}, headers=spanish)
    message = response.get_json()["error"]["message"]
    assert message == f"The comment is longer than {current_policy().max_length} characters."
