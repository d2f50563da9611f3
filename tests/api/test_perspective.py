"""The Perspective-compatible API: Google's request, answer and error shapes, Coral's exact call, Google's client."""
from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from moderation.api import perspective, perspective_scores
from moderation.api.perspective_scores import ATTRIBUTE_CATEGORIES, ATTRIBUTES, calibrated, utf16_offsets
from moderation.db import db
from moderation.models import ScoreFeedback
from moderation.pipeline import moderate
from moderation.pipeline.types import ModerationContext
from moderation.policy import current_policy
from tests.api.conftest import CLEAN_TEXT, INSULT_TEXT, make_key

ANALYZE = "/v1alpha1/comments:analyze"
SUGGEST = "/v1alpha1/comments:suggestscore"
PROFANE_TEXT = "What the f*ck is this deal."


@pytest.fixture
def secret(app) -> str:
    return make_key("perspective-client", "moderate")[1]


def analyze(client, secret, body):
    return client.post(f"{ANALYZE}?key={secret}", json=body)


def verdict_of(text: str) -> dict:
    return moderate(text, ModerationContext(), current_policy()).to_dict()


@pytest.mark.parametrize("attribute, category", sorted(ATTRIBUTE_CATEGORIES.items()))
def test_each_attribute_reports_its_category_score(client, secret, attribute, category):
    for text in (INSULT_TEXT, PROFANE_TEXT, CLEAN_TEXT):
        body = analyze(client, secret, {"comment": {"text": text}, "requestedAttributes": {attribute: {}}}).get_json()
        expected = verdict_of(text)["categories"][category]["score"]
        assert body["attributeScores"][attribute]["summaryScore"] == {"value": expected, "type": "PROBABILITY"}


def test_toxicity_is_the_worst_category_and_severe_only_counts_rejections(client, secret):
    text = "You people are dumb."
    verdict = verdict_of(text)
    scores = {c: f["score"] for c, f in verdict["categories"].items()}
    rejecting = [f["score"] for f in verdict["categories"].values() if f["action"] == "reject"]
    body = analyze(client, secret, {"comment": {"text": text},
                                    "requestedAttributes": {"TOXICITY": {}, "SEVERE_TOXICITY": {}}}).get_json()
    assert body["attributeScores"]["TOXICITY"]["summaryScore"]["value"] == max(scores.values())
    assert body["attributeScores"]["SEVERE_TOXICITY"]["summaryScore"]["value"] == max(rejecting, default=0.0)


@pytest.mark.parametrize(
    "score, review, reject, expected",
    [(0.0, 0.5, 0.85, 0.0), (0.25, 0.5, 0.85, 0.25), (0.5, 0.5, 0.85, 0.5), (0.85, 0.5, 0.85, 0.9),
     (1.0, 0.5, 0.85, 1.0), (0.6, 0.6, 0.95, 0.5), (1.0, 0.5, 1.0, 0.9)],
)
def test_likely_to_reject_puts_review_at_half_and_reject_at_nine_tenths(score, review, reject, expected):
    assert calibrated(score, review, reject) == pytest.approx(expected)


def test_likely_to_reject_crosses_coral_style_thresholds_where_the_policy_acts(client, secret):
    values = {}
    for text in (CLEAN_TEXT, INSULT_TEXT):
        body = analyze(client, secret, {"comment": {"text": text}, "requestedAttributes": {"LIKELY_TO_REJECT": {}}}).get_json()
        values[verdict_of(text)["verdict"]] = body["attributeScores"]["LIKELY_TO_REJECT"]["summaryScore"]["value"]
    assert values["publish"] < 0.5 and values["reject"] >= 0.9


@pytest.mark.parametrize("text, expected", [("abc", [0, 1, 2, 3]), ("😀 f", [0, 2, 3, 4]), ("😀😀x", [0, 2, 4, 5]),
                                            ("é", [0, 1]), ("", [0])])
def test_offsets_count_utf16_code_units(text, expected):
    assert utf16_offsets(text) == expected


def test_span_scores_are_in_utf16_code_units(client, secret):
    text = "🙂🙂 What the f*ck is this deal."
    body = analyze(client, secret, {"comment": {"text": text}, "requestedAttributes": {"PROFANITY": {}},
                                    "spanAnnotations": True}).get_json()
    [span] = body["attributeScores"]["PROFANITY"]["spanScores"]
    utf16 = text.encode("utf-16-le")
    assert utf16[span["begin"] * 2:span["end"] * 2].decode("utf-16-le") == "f*ck"
    assert span["score"] == body["attributeScores"]["PROFANITY"]["summaryScore"]


def test_a_clean_text_gets_one_span_over_the_whole_text(client, secret):
    body = analyze(client, secret, {"comment": {"text": "Fine 🙂"}, "requestedAttributes": {"INSULT": {}},
                                    "spanAnnotations": True}).get_json()
    assert body["attributeScores"]["INSULT"]["spanScores"] == [{"begin": 0, "end": 7, "score": {"value": 0.0, "type": "PROBABILITY"}}]


def test_languages_client_token_and_score_thresholds(client, secret):
    body = analyze(client, secret, {
        "comment": {"text": PROFANE_TEXT}, "languages": ["en-US"], "clientToken": "comment-42",
        "requestedAttributes": {"PROFANITY": {"scoreThreshold": 0.5}, "INSULT": {"scoreThreshold": 0.5}},
    }).get_json()
    assert list(body["attributeScores"]) == ["PROFANITY"]
    assert (body["languages"], body["detectedLanguages"], body["clientToken"]) == (["en-US"], ["en"], "comment-42")


def test_a_spanish_comment_is_detected_and_judged_by_the_spanish_rules(client, secret):
    body = analyze(client, secret, {
        "comment": {"text": "Oye, tú eres un pendejo y todos en este foro lo saben."},
        "requestedAttributes": {"INSULT": {}}, "spanAnnotations": True}).get_json()
    assert (body["languages"], body["detectedLanguages"]) == (["es"], ["es"])
    assert body["attributeScores"]["INSULT"]["summaryScore"]["value"] >= 0.5


def test_the_requests_languages_are_honoured(client, secret):
    text = "Tu comentario no tiene ni pies ni cabeza, pendejo."
    asked = {"comment": {"text": text}, "requestedAttributes": {"INSULT": {}}}
    in_spanish = analyze(client, secret, {**asked, "languages": ["es-US"]}).get_json()
    in_english = analyze(client, secret, {**asked, "languages": ["en"]}).get_json()
    assert in_spanish["languages"] == ["es-US"] and in_spanish["detectedLanguages"] == ["es"]
    assert in_spanish["attributeScores"]["INSULT"]["summaryScore"]["value"] > \
        in_english["attributeScores"]["INSULT"]["summaryScore"]["value"]


def test_a_language_the_policy_does_not_cover_is_refused_with_the_detected_language(client, secret):
    response = analyze(client, secret, {"comment": {"text": "Le gouvernement a annoncé de nouvelles mesures hier soir."},
                                         "requestedAttributes": {"TOXICITY": {}}})
    assert response.status_code == 400
    detail = response.get_json()["error"]["details"][0]
    assert detail["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    assert detail["languageNotSupportedByAttributeError"] == {"detectedLanguages": ["fr"], "attribute": "TOXICITY"}


def test_the_article_and_parent_comment_are_used_as_context(client, secret):
    body = {"comment": {"text": "I agree with you about the talks."},
            "context": {"articleAndParentComment": {"article": {"text": "Havana talks."}, "parentComment": {"text": "Talks matter."}}},
            "requestedAttributes": {"OFF_TOPIC": {}}}
    expected = moderate(body["comment"]["text"], ModerationContext(article_text="Havana talks.", parent_text="Talks matter."),
                        current_policy()).to_dict()["categories"]["off_topic"]["score"]
    assert analyze(client, secret, body).get_json()["attributeScores"]["OFF_TOPIC"]["summaryScore"]["value"] == expected


@pytest.mark.parametrize(
    "body, error_type, message",
    [
        ({"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}}, "COMMENT_EMPTY", "Comment must be non-empty."),
        ({"requestedAttributes": {"TOXICITY": {}}}, "COMMENT_EMPTY", "Comment must be non-empty."),
        ({"comment": {"text": "Fine."}}, "NO_REQUESTED_ATTRIBUTES", "Missing requested_attributes"),
        ({"comment": {"text": "Fine."}, "requestedAttributes": {}}, "NO_REQUESTED_ATTRIBUTES", "Missing requested_attributes"),
        ({"comment": {"text": "Fine."}, "requestedAttributes": {"FLIRTATION": {}}}, "INVALID_REQUEST", "Unknown requested attribute: FLIRTATION"),
        ({"comment": {"text": "<b>Fine.</b>", "type": "HTML"}, "requestedAttributes": {"TOXICITY": {}}}, "INVALID_REQUEST",
         "Currently, only 'PLAIN_TEXT' comments are supported."),
        ({"comment": {"text": "Fine.", "type": "RTF"}, "requestedAttributes": {"TOXICITY": {}}}, "INVALID_REQUEST", "Unknown text type."),
        ({"comment": {"text": "Fine."}, "requestedAttributes": {"TOXICITY": {"scoreType": "RAW"}}}, "INVALID_REQUEST",
         "Requested score type RAW is not supported by attribute TOXICITY"),
        ({"comment": {"text": "Fine."}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["fr"]},
         "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE", "Attribute TOXICITY does not support request languages: fr"),
        ({"comment": {"text": "Fine."}, "requestedAttributes": {"TOXICITY": {}},
          "context": {"entries": [{"text": "a"}], "articleAndParentComment": {"article": {"text": "b"}}}},
         "INVALID_REQUEST", "Only one of context.entries and context.article_and_parent_comment may be set."),
        ({"comment": "Fine.", "requestedAttributes": {"TOXICITY": {}}}, "INVALID_REQUEST", "Invalid value at 'comment'."),
        ({"comment": {"text": "Fine."}, "requestedAttributes": {"TOXICITY": {}}, "spanAnnotations": "yes"},
         "INVALID_REQUEST", "Invalid value at 'spanAnnotations'."),
    ],
)
def test_refusals_use_googles_error_shape_and_error_types(client, secret, body, error_type, message):
    response = analyze(client, secret, body)
    assert response.status_code == 400
    assert response.get_json()["error"] == {
        "code": 400, "message": message, "status": "INVALID_ARGUMENT",
        "details": [{"@type": "type.googleapis.com/google.commentanalyzer.v1alpha1.Error", "errorType": error_type,
                     # "Fine." is too short to tell: it is read in every language the policy covers.
                     **({"languageNotSupportedByAttributeError": {"detectedLanguages": ["en", "es"], "attribute": "TOXICITY"}}
                        if error_type == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE" else {})}],
    }


def test_the_text_limit_is_the_policys_as_on_the_native_routes(client, secret, key_headers):
    limit = current_policy().max_length
    text = ("The talks matter. " * limit)[:limit]
    assert analyze(client, secret, {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}}).status_code == 200

    too_long = {"comment": {"text": text + "!"}, "requestedAttributes": {"TOXICITY": {}}}
    response = analyze(client, secret, too_long)
    native = client.post("/api/v1/moderate", json={"text": text + "!"}, headers=key_headers)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["details"][0]["errorType"] == "COMMENT_TOO_LONG" and f"more than {limit} characters" in error["message"]
    assert native.get_json()["error"]["code"] == "too_long"
    assert analyze(client, secret, {"comment": {"text": text + "!"}}).get_json()["error"]["details"][0]["errorType"] == \
        "COMMENT_TOO_LONG"  # the text is checked first, as Perspective does


def lines_run(files: set[str], call) -> int:
    """Python lines executed in `files` while call() runs: the work done, counted rather than timed."""
    count = 0

    def count_lines(frame, event, arg):
        nonlocal count
        count += event == "line"
        return count_lines

    def trace_only_files(frame, event, arg):
        return count_lines if frame.f_code.co_filename in files else None

    sys.settrace(trace_only_files)
    try:
        call()
    finally:
        sys.settrace(None)
    return count


def test_span_annotations_on_a_long_abusive_text_take_linear_work(client, secret):
    """Every attribute, a span on every word: four times the text is about four times the work, not sixteen."""
    files = {str(Path(module.__file__)) for module in (perspective, perspective_scores)}
    limit = current_policy().max_length
    answers, work = {}, {}
    for size in (limit // 4, limit):
        text = ("🙂 " + "idiot, " * limit)[:size]
        body = {"comment": {"text": text}, "requestedAttributes": {name: {} for name in ATTRIBUTES}, "spanAnnotations": True}
        work[size] = lines_run(files, lambda: answers.setdefault(size, analyze(client, secret, body)))
        utf16 = text.encode("utf-16-le")
        spans = answers[size].get_json()["attributeScores"]["INSULT"]["spanScores"]
        assert len(spans) > size // 10
        assert {utf16[s["begin"] * 2:s["end"] * 2].decode("utf-16-le") for s in spans} == {"idiot"}
    assert work[limit] < 6 * work[limit // 4]


def test_a_body_over_the_size_limit_is_413_in_googles_shape(client, secret):
    response = analyze(client, secret, {"comment": {"text": "a" * (64 * 1024)}, "requestedAttributes": {"TOXICITY": {}}})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == 413


@pytest.mark.parametrize("query, status, google_status", [("", 401, "UNAUTHENTICATED"), ("?key=wrong", 401, "UNAUTHENTICATED")])
def test_missing_or_wrong_keys_are_refused_in_googles_shape(client, query, status, google_status):
    response = client.post(f"{ANALYZE}{query}", json={"comment": {"text": "Fine."}, "requestedAttributes": {"TOXICITY": {}}})
    assert response.status_code == status
    assert response.get_json()["error"]["status"] == google_status


def test_the_key_may_also_come_as_a_bearer_token(client, secret):
    response = client.post(ANALYZE, json={"comment": {"text": "Fine."}, "requestedAttributes": {"TOXICITY": {}}},
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200


def coral_sees_toxic(response_body: bytes, model: str, threshold: float) -> bool:
    """Coral's toxic.ts: read attributeScores[model].summaryScore.value and compare strictly greater."""
    value = json.loads(response_body)["attributeScores"][model]["summaryScore"]["value"]
    return value > threshold


@pytest.mark.parametrize("text, toxic", [("You people are idiots.", True), (CLEAN_TEXT, False)])
def test_coral_exact_request_is_answered_and_its_threshold_sees_our_score(client, secret, text, toxic):
    raw = json.dumps({"comment": {"text": text}, "doNotStore": True, "requestedAttributes": {"TOXICITY": {}},
                      "languages": ["en"]}, separators=(",", ":")).encode()
    if text == "You people are idiots.":
        assert raw == b'{"comment":{"text":"You people are idiots."},"doNotStore":true,"requestedAttributes":{"TOXICITY":{}},"languages":["en"]}'
    before = db.session.scalar(select(ScoreFeedback.id))
    response = client.post(
        f"/v1alpha1/comments:analyze?key={secret}", data=raw,
        headers={"Content-Type": "application/json", "User-Agent": "Coral Perspective/9.11.8",
                 "Accept": "application/json, text/plain, */*"},
    )
    assert response.status_code == 200
    assert coral_sees_toxic(response.get_data(), "TOXICITY", 0.80) is toxic
    assert db.session.scalar(select(ScoreFeedback.id)) == before  # doNotStore: nothing kept


def test_coral_feedback_is_stored_as_a_judgement_beside_our_verdict(client, secret):
    entry = json.dumps({"url": "https://example.org/story?commentID=c1", "Coral_comment_id": "c1"})
    body = {"comment": {"text": PROFANE_TEXT}, "context": {"entries": [{"text": entry}]},
            "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0}}}, "languages": ["en"],
            "communityId": "Coral:https://comments.example.org", "clientToken": "comment:c1"}
    response = client.post(f"{SUGGEST}?key={secret}", json=body)
    assert response.status_code == 200
    assert response.get_json() == {"clientToken": "comment:c1", "requestedLanguages": ["en"], "detectedLanguages": ["en"]}
    [feedback] = db.session.scalars(select(ScoreFeedback)).all()
    assert (feedback.text, feedback.rejected, feedback.verdict) == (PROFANE_TEXT, False, verdict_of(PROFANE_TEXT))
    assert feedback.suggested_scores == body["attributeScores"]
    assert feedback.policy_version == current_policy().version


@pytest.mark.parametrize("value, rejected", [(1, True), (0.5, True), (0.2, False)])
def test_feedback_of_half_or_more_means_rejected(client, secret, value, rejected):
    client.post(f"{SUGGEST}?key={secret}", json={"comment": {"text": "Fine."},
                                                   "attributeScores": {"INSULT": {"summaryScore": {"value": value}}}})
    assert db.session.scalar(select(ScoreFeedback.rejected)) is rejected


@pytest.mark.parametrize("scores", [None, {}, {"NOPE": {"summaryScore": {"value": 1}}}, {"TOXICITY": {"summaryScore": {"value": 2}}},
                                    {"TOXICITY": {}}])
def test_feedback_without_valid_scores_is_refused_and_not_stored(client, secret, scores):
    response = client.post(f"{SUGGEST}?key={secret}", json={"comment": {"text": "Fine."}, "attributeScores": scores})
    assert response.status_code == 400
    assert db.session.scalar(select(ScoreFeedback.id)) is None


def test_the_discovery_document_points_at_this_server(client):
    response = client.get("/$discovery/rest?version=v1alpha1", base_url="http://moderation.example:8080")
    document = response.get_json()
    assert (document["rootUrl"], document["servicePath"], document["name"], document["version"]) == (
        "http://moderation.example:8080/", "", "commentanalyzer", "v1alpha1")
    methods = document["resources"]["comments"]["methods"]
    assert methods["analyze"]["path"] == "v1alpha1/comments:analyze"
    assert methods["suggestscore"]["request"] == {"$ref": "SuggestCommentScoreRequest"}
    assert client.get("/$discovery/rest?version=v2").status_code == 404


@pytest.fixture
def live_server(app):
    """The app on a real socket, for clients that bring their own HTTP stack (httplib2)."""
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_googles_python_client_gets_scores_from_this_server(live_server, secret):
    from googleapiclient import discovery
    from googleapiclient.errors import HttpError

    client = discovery.build(
        "commentanalyzer", "v1alpha1", developerKey=secret,
        discoveryServiceUrl=f"{live_server}/$discovery/rest?version=v1alpha1", static_discovery=False,
        cache_discovery=False,
    )
    request = {"comment": {"text": "You people are idiots and should go back where you came from."},
               "languages": ["en"], "requestedAttributes": {"TOXICITY": {}, "INSULT": {}}, "doNotStore": True,
               "clientToken": "comment-42", "spanAnnotations": True}
    answer = client.comments().analyze(body=request).execute()
    assert answer["attributeScores"]["INSULT"]["summaryScore"]["value"] >= 0.5
    assert answer["clientToken"] == "comment-42"
    with pytest.raises(HttpError) as refused:
        client.comments().analyze(body={**request, "requestedAttributes": {"FLIRTATION": {}}}).execute()
    assert refused.value.status_code == 400
    assert "Unknown requested attribute: FLIRTATION" in str(refused.value)
