"""Coral's external moderation phase: its exact signed bytes, the signature rules, and our answers in its terms."""
from __future__ import annotations

import json

import pytest

from moderation.api.coral import coral_answer, plain_text, signature_matches
from moderation.models import ApiKey, Comment, Decision, ScoreFeedback, User
from moderation.pipeline import moderate
from moderation.pipeline.types import ModerationContext
from moderation.policy import current_policy
from tests.api.conftest import count

URL = "/integrations/coral/moderate"
SECRET_ONE, SECRET_TWO = "empsec_test_secret_one", "empsec_test_secret_two"
SIGNATURE_ONE = "sha256=c123c8df55332a303f3fdfcee86542c1a92371a57b5492d4ecf23ff717884813"
SIGNATURE_TWO = "sha256=bcbdd1b808bb87167968723b2a60626c93f5a35497b0e2d70e8b6a1dd4810b9e"
# contracts.md section 1.5, byte for byte: JSON.stringify(value, null, 2), no trailing newline.
CORAL_BODY = b"""{
  "action": "NEW",
  "comment": {
    "body": "<p>Talks resume in <b>Havana</b> &amp; Miami</p>",
    "parentID": null
  },
  "author": {
    "id": "baf4e943-3594-4fcc-b2ba-3e8de7a76352",
    "role": "COMMENTER"
  },
  "story": {
    "id": "245b3856-b0a0-4d2f-a6bb-58c71f18d6a6",
    "url": "https://www.miamiherald.com/news/nation-world/world/americas/cuba/article000.html"
  },
  "site": {
    "id": "a4bede88-2d2c-4424-bc18-4322a9e285a6"
  },
  "tenantID": "19ba5794-7eeb-4d46-a81b-c00c61672501",
  "tenantDomain": "comments.example.org"
}"""


@pytest.fixture
def coral(app):
    app.config["CORAL_SIGNING_SECRETS"] = SECRET_ONE
    yield app.test_client()
    app.config["CORAL_SIGNING_SECRETS"] = []


def coral_body(text: str, action: str = "NEW") -> bytes:
    """A request as Coral serialises it, with another comment body."""
    payload = json.loads(CORAL_BODY)
    payload["action"], payload["comment"]["body"] = action, text
    return json.dumps(payload, indent=2, ensure_ascii=False).encode()


def sign(body: bytes, *secrets: str) -> str:
    import hashlib
    import hmac

    return ",".join(f"sha256={hmac.new(s.encode(), body, hashlib.sha256).hexdigest()}" for s in secrets)


def post(client, body: bytes, signature: str | None):
    headers = {"Content-Type": "application/json", "User-Agent": "Coral Moderation/9.11.8"}
    if signature is not None:
        headers["X-Coral-Signature"] = signature
    return client.post(URL, data=body, headers=headers)


def test_the_contract_vector_is_the_body_we_test_with():
    assert len(CORAL_BODY) == 544
    assert sign(CORAL_BODY, SECRET_ONE) == SIGNATURE_ONE
    assert sign(CORAL_BODY, SECRET_ONE, SECRET_TWO) == f"{SIGNATURE_ONE},{SIGNATURE_TWO}"


def test_corals_exact_request_for_a_clean_comment_gets_no_opinion_and_writes_nothing(coral):
    before = [count(model) for model in (Comment, Decision, User, ScoreFeedback, ApiKey)]
    response = post(coral, CORAL_BODY, SIGNATURE_ONE)
    assert response.status_code == 200
    assert response.get_data() == b"{}"
    assert [count(model) for model in (Comment, Decision, User, ScoreFeedback, ApiKey)] == before


@pytest.mark.parametrize(
    "signature",
    [f"{SIGNATURE_ONE},{SIGNATURE_TWO}", f"{SIGNATURE_TWO},{SIGNATURE_ONE}", f" {SIGNATURE_ONE} ", f"sha1=abc,{SIGNATURE_ONE}"],
)
def test_any_matching_signature_in_the_list_is_accepted(coral, signature):
    assert post(coral, CORAL_BODY, signature).status_code == 200


def test_during_rotation_either_configured_secret_is_accepted(coral, app):
    app.config["CORAL_SIGNING_SECRETS"] = ["empsec_new_secret", SECRET_ONE]
    assert post(coral, CORAL_BODY, SIGNATURE_ONE).status_code == 200


@pytest.mark.parametrize(
    "body, signature",
    [
        (CORAL_BODY, None),
        (CORAL_BODY, ""),
        (CORAL_BODY, SIGNATURE_TWO),
        (CORAL_BODY, SIGNATURE_ONE.upper().replace("SHA256", "sha256")),
        (CORAL_BODY, SIGNATURE_ONE.replace("sha256", "sha512")),
        (CORAL_BODY + b" ", SIGNATURE_ONE),
        (CORAL_BODY.replace(b"Havana", b"Hayana"), SIGNATURE_ONE),
        (CORAL_BODY, "sha256=\u00e9"),
    ],
)
def test_unsigned_or_wrongly_signed_requests_are_refused(coral, body, signature):
    response = post(coral, body, signature)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_without_configured_secrets_every_request_is_refused(app):
    assert post(app.test_client(), CORAL_BODY, SIGNATURE_ONE).status_code == 401


def test_an_insult_is_rejected_with_the_policy_sentence(coral):
    body = coral_body("<p>You people are idiots.</p>")
    response = post(coral, body, sign(body, SECRET_ONE))
    answer = response.get_json()
    rule = next(rule for rule in current_policy().rules if rule.category == "personal_attack")
    assert answer["status"] == "REJECTED"
    assert answer["actions"] == [{"actionType": "FLAG", "reason": "COMMENT_DETECTED_TOXIC"}]
    assert answer["moderationAction"]["status"] == "REJECTED"
    reason = answer["moderationAction"]["rejectionReason"]
    assert reason["code"] == "HARASSMENT_BULLYING" and reason["detailedExplanation"] == rule.sentence
    assert "idiots" in reason["customReason"]


def test_a_comment_for_review_is_withheld_with_a_flag(coral):
    text = "You people are dumb."
    verdict = moderate(text, ModerationContext(), current_policy()).to_dict()
    assert verdict["verdict"] == "review"
    body = coral_body(text, action="EDIT")
    answer = post(coral, body, sign(body, SECRET_ONE)).get_json()
    assert answer == {"status": "SYSTEM_WITHHELD", "actions": [{"actionType": "FLAG", "reason": "COMMENT_DETECTED_TOXIC"}]}


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"comment": {"body": 5}}'])
def test_signed_but_malformed_requests_are_400(coral, body):
    assert post(coral, body, sign(body, SECRET_ONE)).status_code == 400


def test_an_empty_body_such_as_a_rating_gets_no_opinion(coral):
    body = coral_body("")
    response = post(coral, body, sign(body, SECRET_ONE))
    assert (response.status_code, response.get_data()) == (200, b"{}")


@pytest.mark.parametrize(
    "body, text",
    [
        ("<p>Talks resume in <b>Havana</b> &amp; Miami</p>", "Talks resume in Havana & Miami"),
        ("Talks resume in Havana & Miami", "Talks resume in Havana & Miami"),
        ("<p>One</p><p>Two<br>Three</p>", "One\nTwo\nThree"),
        ('<a href="https://x.example">link</a> &lt;3', "link <3"),
    ],
)
def test_html_and_plain_bodies_become_the_same_plain_text(body, text):
    assert plain_text(body) == text


def test_off_topic_holds_are_flagged_as_spam(app):
    verdict = {"verdict": "review", "categories": {"off_topic": {"action": "review", "score": 0.7}}, "reasons": []}
    assert coral_answer(verdict) == {"status": "SYSTEM_WITHHELD", "actions": [{"actionType": "FLAG", "reason": "COMMENT_DETECTED_SPAM"}]}


def test_a_premoderation_only_review_gives_no_opinion():
    verdict = {"verdict": "review", "categories": {"off_topic": {"action": "none", "score": 0.1}}, "reasons": []}
    assert coral_answer(verdict) == {}


def test_signature_check_needs_a_secret():
    assert not signature_matches(CORAL_BODY, SIGNATURE_ONE, [])
