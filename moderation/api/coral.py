"""Coral Talk's external moderation phase: a signed POST per new or edited comment, answered with REJECTED,
SYSTEM_WITHHELD or no opinion. Nothing is stored and nothing is written, so the answer fits Coral's 200 ms."""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging
from html.parser import HTMLParser

from flask import Blueprint, Response, abort, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from moderation.api.errors import native_error
from moderation.inputs import UnusableText, field_name, json_fault
from moderation.pipeline import moderate
from moderation.pipeline.types import ModerationContext
from moderation.policy import Policy, current_policy

log = logging.getLogger(__name__)
bp = Blueprint("coral", __name__, url_prefix="/integrations/coral")
bp.register_error_handler(HTTPException, native_error)
SIGNATURE_HEADER = "X-Coral-Signature"
# Coral allows only these two flag reasons from an external phase.
FLAG_REASONS = {
    "profanity": "COMMENT_DETECTED_TOXIC",
    "hate_speech": "COMMENT_DETECTED_TOXIC",
    "personal_attack": "COMMENT_DETECTED_TOXIC",
    "off_topic": "COMMENT_DETECTED_SPAM",
}
REJECTION_CODES = {
    "profanity": "OFFENSIVE",
    "hate_speech": "HATE_SPEECH",
    "personal_attack": "HARASSMENT_BULLYING",
    "off_topic": "IRRELEVANT_CONTENT",
}
# Coral enforces its own comment length before calling; what it accepts is judged whole, up to this.
CORAL_MAX_CHARACTERS = 20 * 1024
NO_OPINION = "{}"  # Coral skips a body of exactly these two characters without recording anything
BLOCK_TAGS = frozenset({"br", "p", "div", "li", "blockquote", "ul", "ol"})


def signing_secrets() -> list[str]:
    """CORAL_SIGNING_SECRETS as a list (config list, or a comma-separated string from the environment)."""
    configured = current_app.config.get("CORAL_SIGNING_SECRETS") or []
    if isinstance(configured, str):
        configured = configured.split(",")
    return [secret.strip() for secret in configured if secret.strip()]


def signature_matches(body: bytes, header: str, secrets: list[str]) -> bool:
    """True when any sha256=<hex> entry of the header is the HMAC of the body under any secret (constant time)."""
    offered = [value.strip() for scheme, _, value in (part.strip().partition("=") for part in header.split(","))
               if scheme == "sha256"]
    expected = [hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest() for secret in secrets]
    return any(hmac.compare_digest(mine.encode(), theirs.encode()) for mine in expected for theirs in offered)


class _TextExtractor(HTMLParser):
    """Coral's HTML body as plain text: tags dropped, entities decoded, a line break at block boundaries."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(body: str) -> str:
    """The comment's words, whether Coral sent the HTML or the PLAIN_TEXT format."""
    extractor = _TextExtractor()
    extractor.feed(body)
    extractor.close()
    lines = "".join(extractor.parts).split("\n")
    return "\n".join(line.strip() for line in lines if line.strip())


def coral_answer(verdict: dict) -> dict:
    """Our verdict in Coral's terms: REJECTED with the policy sentence, SYSTEM_WITHHELD, each with flags, or no opinion."""
    findings = verdict["categories"]
    flagged = [category for category, finding in findings.items() if finding["action"] != "none"]
    if verdict["verdict"] == "publish" or not flagged:
        return {}
    flags = [{"actionType": "FLAG", "reason": reason} for reason in dict.fromkeys(FLAG_REASONS[c] for c in flagged)]
    if verdict["verdict"] == "review":
        return {"status": "SYSTEM_WITHHELD", "actions": flags}
    worst = max((c for c in flagged if findings[c]["action"] == "reject"), key=lambda c: findings[c]["score"])
    reason = next(r for r in verdict["reasons"] if r["category"] == worst)
    rejection = {
        "code": REJECTION_CODES[worst],
        "detailedExplanation": reason["policy"],
        "customReason": reason["explanation"],
    }
    return {"status": "REJECTED", "actions": flags, "moderationAction": {"status": "REJECTED", "rejectionReason": rejection}}


def judging_policy() -> Policy:
    """The policy with its posting length limit lifted: Coral has already accepted the comment's length."""
    policy = current_policy()
    return dataclasses.replace(policy, max_length=max(policy.max_length, CORAL_MAX_CHARACTERS))


def comment_body(payload) -> str:
    comment = payload.get("comment") if isinstance(payload, dict) else None
    body = comment.get("body") if isinstance(comment, dict) else None
    if not isinstance(body, str):
        abort(400, "The request has no comment.body string.")
    return body


@bp.post("/moderate")
def moderate_comment():
    """Judge the comment Coral is about to store; unsigned or wrongly signed requests are refused."""
    raw = request.get_data()
    secrets = signing_secrets()
    if not secrets:
        log.warning("a Coral request arrived but CORAL_SIGNING_SECRETS is not set")
    if not signature_matches(raw, request.headers.get(SIGNATURE_HEADER, ""), secrets):
        abort(401, f"The {SIGNATURE_HEADER} header is missing or matches none of the configured signing secrets.")
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):
        abort(400, "The body is not valid JSON.")
    found = json_fault(payload)
    if found is not None:
        raise UnusableText(field_name(found[0]), found[1])
    text = plain_text(comment_body(payload))
    if not text:
        return Response(NO_OPINION, mimetype="application/json")
    answer = coral_answer(moderate(text, ModerationContext(), judging_policy()).to_dict())
    log.info("coral %s: %s", payload.get("action"), answer.get("status", "no opinion"))
    return jsonify(answer) if answer else Response(NO_OPINION, mimetype="application/json")
