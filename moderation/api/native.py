"""The native API under /api/v1: judge text, read articles and comments, post comments, work the queue."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from moderation.api.auth import current_key, require_scope
from moderation.api.commenting import IDEMPOTENCY_HEADER, post_once
from moderation.api.errors import ApiError, field_error, native_error
from moderation.api.pagination import MAX_ID, bad_cursor, cursor_argument, page_arguments, page_limit, split_page
from moderation.api.schema import check_query_parameters, json_body
from moderation.api.serializers import (
    article_json,
    decision_json,
    published_comment_json,
    queue_item_json,
)
from moderation.api_keys import actor_for
from moderation.db import db
from moderation.inputs import UnusableText
from moderation.models import Article, Comment, CommentStatus
from moderation.pipeline import moderate
from moderation.pipeline.types import ModerationContext, Refused
from moderation.policy import current_policy
from moderation.queue import ActionNotAllowed, StaleDecision, perform, queue_page, rejection_reasons
from moderation.shared_cache import cache, detached_row

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.register_error_handler(HTTPException, native_error)
# Unstorable text in a path segment, query parameter or header is an invalid field here, like one in the body.
bp.register_error_handler(UnusableText, lambda error: native_error(field_error(error.field, error.description)))
bp.before_request(check_query_parameters)
API_QUEUES = ("pending", "reported", "rejected")
IDEMPOTENCY_KEY_MAX_LENGTH = 200
# Refusals that are about a field of the request rather than the state of the article or author.
REFUSAL_FIELDS = {"empty": "text", "too_long": "text", "bad_parent": "parent_id"}


def kept_article(slug: str) -> Article | None:
    """The article with this slug as a detached row kept per process (moderation/shared_cache.py): read its
    columns only. Saves a query on every call; closing its comments reaches every worker on the next request."""
    return cache("articles").get(slug, lambda: detached_row(Article, Article.__table__.c.slug == slug))


def get_article_or_404(slug: str) -> Article:
    """The article, in this request's session (a copy of the kept row, made without a query), or 404."""
    article = kept_article(slug) or abort(404, "No article with this slug.")
    return db.session.merge(article, load=False)


def refusal_error(refusal: Refused) -> ApiError:
    """422 naming the field for a bad input, 409 for a state that forbids posting (closed, author blocked)."""
    field = REFUSAL_FIELDS.get(refusal.code)
    if field:
        return ApiError(422, refusal.code, refusal.message, field)
    return ApiError(409, refusal.code, refusal.message)


def judge(item: dict, field_prefix: str = "") -> dict:
    """The verdict on one {text, article?, context?} item; 422 names the item's field when it cannot be judged."""
    title, body = "", ""
    if item.get("article"):
        found = kept_article(item["article"])
        if found is None:
            raise field_error(f"{field_prefix}article", f"{field_prefix}article: no article with this slug.")
        title, body = found.title, found.body
    context = ModerationContext(article_title=title, article_text=body, parent_text=item.get("context") or None)
    try:
        return moderate(item["text"], context, current_policy()).to_dict()
    except Refused as refusal:
        raise ApiError(422, refusal.code, refusal.message, f"{field_prefix}text") from None


@bp.post("/moderate")
@require_scope("moderate")
def moderate_text():
    """The policy's verdict on a text; nothing is stored."""
    return jsonify(judge(json_body("ModerateRequest")))


@bp.post("/moderate/batch")
@require_scope("moderate")
def moderate_batch():
    """Verdicts on up to 100 texts, in order; one bad item refuses the whole batch, naming it."""
    items = json_body("BatchRequest")["items"]
    return jsonify({"results": [judge(item, f"items[{index}].") for index, item in enumerate(items)]})


@bp.get("/articles")
def list_articles():
    """Articles newest first, with their published comment counts."""
    after, limit = page_arguments()
    statement = select(Article).order_by(Article.id.desc()).limit(limit + 1)
    if after is not None:
        statement = statement.where(Article.id < after)
    articles, cursor = split_page(list(db.session.scalars(statement)), limit)
    counts = dict(
        db.session.execute(
            select(Comment.article_id, func.count())
            .where(Comment.status == CommentStatus.PUBLISHED, Comment.article_id.in_([a.id for a in articles]))
            .group_by(Comment.article_id)
        ).all()
    )
    return jsonify({"articles": [article_json(a, counts.get(a.id, 0)) for a in articles], "next_cursor": cursor})


@bp.get("/articles/<slug>/comments")
def list_comments(slug: str):
    """An article's published comments, oldest first; replies carry parent_id."""
    article = get_article_or_404(slug)
    after, limit = page_arguments()
    statement = (
        select(Comment)
        .where(Comment.article_id == article.id, Comment.status == CommentStatus.PUBLISHED)
        .order_by(Comment.id)
        .limit(limit + 1)
    )
    if after is not None:
        statement = statement.where(Comment.id > after)
    comments, cursor = split_page(list(db.session.scalars(statement)), limit)
    return jsonify({"comments": [published_comment_json(c) for c in comments], "next_cursor": cursor})


@bp.post("/articles/<slug>/comments")
@require_scope("comment")
def post_article_comment(slug: str):
    """Post a comment for one of the caller's users; the same Idempotency-Key again returns the first one."""
    article = get_article_or_404(slug)
    idempotency_key = idempotency_key_header()
    data = json_body("NewComment")
    parent = reply_parent(article, data.get("parent_id"))
    try:
        answer, created = post_once(current_key(), article, data["text"], data["author"], parent, idempotency_key)
    except Refused as refusal:
        raise refusal_error(refusal) from None
    return jsonify(answer), 201 if created else 200


def idempotency_key_header() -> str | None:
    value = request.headers.get(IDEMPOTENCY_HEADER)
    if value is None:
        return None
    if not 1 <= len(value) <= IDEMPOTENCY_KEY_MAX_LENGTH or not all("!" <= ch <= "~" for ch in value):
        raise field_error(
            IDEMPOTENCY_HEADER,
            f"{IDEMPOTENCY_HEADER} must be 1 to {IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters.",
        )
    return value


def reply_parent(article: Article, parent_id: int | None) -> Comment | None:
    """The published comment on this article being replied to; 422 otherwise."""
    if parent_id is None:
        return None
    parent = db.session.get(Comment, parent_id) if 0 < parent_id <= MAX_ID else None
    if parent is None or parent.article_id != article.id or parent.status is not CommentStatus.PUBLISHED:
        raise field_error("parent_id", "parent_id is not a published comment on this article.")
    return parent


@bp.get("/queue")
@require_scope("admin")
def list_queue():
    """A page of the review queue: pending, reported or rejected."""
    name = request.args.get("status", "pending")
    if name not in API_QUEUES:
        raise field_error("status", f"status must be one of {', '.join(API_QUEUES)}.")
    try:
        items, cursor = queue_page(name, cursor=cursor_argument(), limit=page_limit())
    except ValueError:
        raise bad_cursor() from None
    return jsonify({"items": [queue_item_json(c) for c in items], "next_cursor": cursor})


@bp.post("/comments/<int:comment_id>/decision")
@require_scope("admin")
def decide(comment_id: int):
    """Approve or reject a comment under the key's name; 409 with the winning decision if someone was first."""
    comment = (comment_id <= MAX_ID and db.session.get(Comment, comment_id)) or abort(404, "No comment with this id.")
    data = json_body("DecisionRequest")
    if data["action"] == "reject" and data.get("reason") not in dict(rejection_reasons()):
        known = ", ".join(dict(rejection_reasons()))
        raise field_error("reason", f"A rejection needs a reason: one of {known}.")
    try:
        decision = perform(
            comment,
            data["action"],
            actor_for(current_key()),
            expected_version=data.get("expected_version"),
            reason=data.get("reason"),
            note=data.get("note"),
        )
        db.session.commit()
    except StaleDecision as stale:
        db.session.rollback()
        details = {"decision": decision_json(stale.decision)} if stale.decision is not None else {}
        raise ApiError(409, "already_decided", str(stale), **details) from None
    except ActionNotAllowed as refusal:
        db.session.rollback()
        raise ApiError(409, "not_allowed", f"{str(refusal).capitalize()}.") from None
    return jsonify({"decision": decision_json(decision), "comment": queue_item_json(comment)})
