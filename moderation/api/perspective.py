"""A drop-in for Google's Perspective API (v1alpha1): comments:analyze, comments:suggestscore and the discovery
document, in Google's request, answer and error shapes, so Coral and Google's own clients work by changing a URL."""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, abort, jsonify, request
from werkzeug.exceptions import HTTPException

from moderation.api.auth import current_key, require_scope
from moderation.api.perspective_scores import ATTRIBUTES, attribute_scores, utf16_offsets
from moderation.db import db
from moderation.errors import explaining_headers
from moderation.inputs import field_name, json_fault
from moderation.models import ScoreFeedback
from moderation.pipeline import moderate
from moderation.pipeline.types import ModerationContext, Refused
from moderation.policy import Policy, current_policy

bp = Blueprint("perspective", __name__)
DISCOVERY_PATH = Path(__file__).with_name("perspective_discovery.json")
ERROR_DETAIL_TYPE = "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"
SCORE_TYPES = (None, "SCORE_TYPE_UNSPECIFIED", "PROBABILITY")
TEXT_TYPES = (None, "TEXT_TYPE_UNSPECIFIED", "PLAIN_TEXT")
# Google's canonical status names for the HTTP statuses we answer with.
CANONICAL_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                    405: "UNIMPLEMENTED", 413: "INVALID_ARGUMENT", 429: "RESOURCE_EXHAUSTED", 503: "UNAVAILABLE"}


class PerspectiveError(HTTPException):
    """A refused request, answered like Perspective: 400 INVALID_ARGUMENT with an errorType detail."""

    code = 400

    def __init__(self, message: str, error_type: str = "INVALID_REQUEST", **detail):
        super().__init__(message)
        self.error_type = error_type
        self.detail = detail


def google_error(error: HTTPException) -> Response:
    """Any HTTP error of these routes in Google's error shape; Retry-After kept for a 429."""
    status = error.code or 500
    body = {"code": status, "message": error.description or error.name, "status": CANONICAL_STATUS.get(status, "UNKNOWN")}
    if isinstance(error, PerspectiveError):
        body["details"] = [{"@type": ERROR_DETAIL_TYPE, "errorType": error.error_type, **error.detail}]
    response = jsonify({"error": body})
    response.status_code = status
    response.headers.update(explaining_headers(error))
    return response


bp.register_error_handler(HTTPException, google_error)


@dataclass(frozen=True)
class Requested:
    """One requested attribute and the threshold below which it is left out."""

    name: str
    threshold: float | None


@dataclass(frozen=True)
class AnalyzeRequest:
    text: str
    attributes: tuple[Requested, ...]
    languages: tuple[str, ...]
    context: ModerationContext
    spans: bool
    client_token: str | None


def request_object() -> dict:
    """The body as a JSON object of storable text, whatever the Content-Type says (Google's clients all send JSON)."""
    try:
        data = json.loads(request.get_data())
    except (ValueError, RecursionError):
        raise PerspectiveError("Invalid JSON payload received.") from None
    if not isinstance(data, dict):
        raise PerspectiveError("Invalid JSON payload received: expected an object.")
    found = json_fault(data)
    if found is not None:
        raise PerspectiveError(f"Invalid value at '{field_name(found[0])}': it {found[1]}.")
    return data


def member(data: dict, name: str, kind: type | tuple[type, ...], where: str = ""):
    """An optional member of the right JSON type, or an INVALID_REQUEST naming it."""
    value = data.get(name)
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool) and kind is not bool):
        raise PerspectiveError(f"Invalid value at '{where}{name}'.")
    return value


def comment_text(data: dict, policy: Policy) -> str:
    """comment.text, checked as Perspective checks it: present, plain text, not empty, within the policy's length."""
    comment = member(data, "comment", dict) or {}
    text = member(comment, "text", str, "comment.") or ""
    text_type = member(comment, "type", str, "comment.")
    if text_type == "HTML":
        raise PerspectiveError("Currently, only 'PLAIN_TEXT' comments are supported.")
    if text_type not in TEXT_TYPES:
        raise PerspectiveError("Unknown text type.")
    if not text.strip():
        raise PerspectiveError("Comment must be non-empty.", "COMMENT_EMPTY")
    if len(text) > policy.max_length:
        raise PerspectiveError(f"Comment text too long: more than {policy.max_length} characters.", "COMMENT_TOO_LONG")
    return text


def requested_languages(data: dict, attributes: list[str]) -> tuple[str, ...]:
    """The request's languages as written (ISO 639-1 or BCP-47 tags such as "es-US")."""
    languages = member(data, "languages", list) or []
    if not all(isinstance(language, str) for language in languages):
        raise PerspectiveError("Invalid value at 'languages'.")
    return tuple(languages)


def judged_languages(text: str, requested: tuple[str, ...], attributes: list[str],
                     policy: Policy) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the languages the comment is judged in, those detected in it): the request's languages when it names them,
    else the detected ones. A language the policy has no rules for is refused as Perspective refuses one an
    attribute does not support: 400 LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE with the detected languages."""
    detected = policy.detector.detect(text)
    codes = tuple(dict.fromkeys(tag.replace("_", "-").split("-")[0].lower() for tag in requested)) or detected
    if any(code not in policy.detector.covered for code in codes):
        raise PerspectiveError(
            f"Attribute {attributes[0]} does not support request languages: {', '.join(requested or detected)}",
            "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
            languageNotSupportedByAttributeError={"detectedLanguages": list(detected), "attribute": attributes[0]},
        )
    return codes, detected


def requested_attributes(data: dict) -> tuple[Requested, ...]:
    attributes = member(data, "requestedAttributes", dict)
    if not attributes:
        raise PerspectiveError("Missing requested_attributes", "NO_REQUESTED_ATTRIBUTES")
    requested = []
    for name, parameters in attributes.items():
        if name not in ATTRIBUTES:
            raise PerspectiveError(f"Unknown requested attribute: {name}")
        if parameters is not None and not isinstance(parameters, dict):
            raise PerspectiveError(f"Invalid value at 'requested_attributes[{name}]'.")
        parameters = parameters or {}
        score_type = member(parameters, "scoreType", str, f"requestedAttributes.{name}.")
        if score_type not in SCORE_TYPES:
            raise PerspectiveError(f"Requested score type {score_type} is not supported by attribute {name}")
        threshold = member(parameters, "scoreThreshold", (int, float), f"requestedAttributes.{name}.")
        requested.append(Requested(name, threshold))
    return tuple(requested)


def entry_text(entry, where: str) -> str:
    if entry is None:
        return ""
    if not isinstance(entry, dict):
        raise PerspectiveError(f"Invalid value at '{where}'.")
    return member(entry, "text", str, f"{where}.") or ""


def moderation_context(data: dict) -> ModerationContext:
    """Perspective's context as ours: the article and parent comment, or the entries as the text replied to."""
    context = member(data, "context", dict) or {}
    entries = member(context, "entries", list, "context.")
    pair = member(context, "articleAndParentComment", dict, "context.")
    if entries is not None and pair is not None:
        raise PerspectiveError("Only one of context.entries and context.article_and_parent_comment may be set.")
    if pair is not None:
        return ModerationContext(
            article_text=entry_text(pair.get("article"), "context.articleAndParentComment.article"),
            parent_text=entry_text(pair.get("parentComment"), "context.articleAndParentComment.parentComment") or None,
        )
    texts = [entry_text(entry, f"context.entries[{index}]") for index, entry in enumerate(entries or [])]
    return ModerationContext(parent_text="\n\n".join(t for t in texts if t) or None)


def parse_analyze(data: dict, policy: Policy) -> AnalyzeRequest:
    """Check the request in Perspective's order of complaints and gather what scoring needs."""
    text = comment_text(data, policy)
    attributes = requested_attributes(data)
    for name in ("doNotStore", "spanAnnotations"):
        member(data, name, bool)
    for name in ("clientToken", "sessionId", "communityId"):
        member(data, name, str)
    return AnalyzeRequest(
        text=text,
        attributes=attributes,
        languages=requested_languages(data, [a.name for a in attributes]),
        context=moderation_context(data),
        spans=bool(data.get("spanAnnotations")),
        client_token=data.get("clientToken"),
    )


def verdict_for(text: str, context: ModerationContext, policy: Policy, languages: tuple[str, ...]) -> dict:
    try:
        return moderate(text, context, policy, languages).to_dict()
    except Refused as refusal:  # only empty or too long text, both checked before; kept in Google's shape
        raise PerspectiveError(refusal.message, "COMMENT_EMPTY" if refusal.code == "empty" else "COMMENT_TOO_LONG") from None


@bp.post("/v1alpha1/comments:analyze")
@require_scope("moderate")
def analyze():
    """Score a comment on the requested attributes; nothing is stored, whatever doNotStore says."""
    policy = current_policy()
    parsed = parse_analyze(request_object(), policy)
    attribute_names = [attribute.name for attribute in parsed.attributes]
    languages, detected = judged_languages(parsed.text, parsed.languages, attribute_names, policy)
    verdict = verdict_for(parsed.text, parsed.context, policy, languages)
    utf16 = utf16_offsets(parsed.text) if parsed.spans else None  # counted once, shared by every attribute
    scores = {}
    for attribute in parsed.attributes:
        scored = attribute_scores(attribute.name, verdict, policy, utf16)
        if attribute.threshold is None or scored["summaryScore"]["value"] >= attribute.threshold:
            scores[attribute.name] = scored
    answer = {"attributeScores": scores} if scores else {}
    answer["languages"] = list(parsed.languages) or list(detected[:1])
    answer["detectedLanguages"] = list(detected)
    if parsed.client_token is not None:
        answer["clientToken"] = parsed.client_token
    return jsonify(answer)


def suggested_scores(data: dict) -> dict:
    """attributeScores of a suggestscore request: known attributes, each with a summaryScore value from 0 to 1."""
    scores = member(data, "attributeScores", dict)
    if not scores:
        raise PerspectiveError("Missing attribute_scores")
    for name, scored in scores.items():
        if name not in ATTRIBUTES:
            raise PerspectiveError(f"Unknown attribute: {name}")
        summary = scored.get("summaryScore") if isinstance(scored, dict) else None
        value = summary.get("value") if isinstance(summary, dict) else None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise PerspectiveError(f"attribute_scores[{name}].summary_score.value must be a number from 0 to 1.")
    return scores


@bp.post("/v1alpha1/comments:suggestscore")
@require_scope("moderate")
def suggestscore():
    """Record a moderator's judgement of a text (summaryScore 1 rejected, 0 approved) beside our verdict on it now."""
    policy = current_policy()
    data = request_object()
    text = comment_text(data, policy)
    scores = suggested_scores(data)
    languages = requested_languages(data, list(scores))
    member(data, "clientToken", str)
    judged, detected = judged_languages(text, languages, list(scores), policy)
    verdict = verdict_for(text, ModerationContext(), policy, judged)
    rejected = max(scored["summaryScore"]["value"] for scored in scores.values()) >= 0.5
    db.session.add(ScoreFeedback(
        api_key_id=current_key().id, text=text, suggested_scores=scores, verdict=verdict,
        rejected=rejected, policy_version=policy.version,
    ))
    db.session.commit()
    answer = {"requestedLanguages": list(languages)} if languages else {}
    answer["detectedLanguages"] = list(detected)
    if data.get("clientToken") is not None:
        answer["clientToken"] = data["clientToken"]
    return jsonify(answer)


@cache
def _discovery_template() -> dict:
    return json.loads(DISCOVERY_PATH.read_text(encoding="utf-8"))


@bp.get("/$discovery/rest")
def discovery():
    """The REST discovery document, pointing Google's client libraries at this server."""
    if request.args.get("version", "v1alpha1") != "v1alpha1":
        abort(404, "Only version v1alpha1 of this API exists.")
    document = copy.deepcopy(_discovery_template())
    document["rootUrl"] = document["baseUrl"] = request.host_url
    return jsonify(document)
