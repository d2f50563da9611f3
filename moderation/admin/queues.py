"""The queue tabs, one item with its whole story, and an author's record."""
from __future__ import annotations

from flask import abort, current_app, jsonify, render_template, request
from flask_login import current_user
from sqlalchemy import select

from moderation.admin.blueprint import bp
from moderation.admin.items import author_record, load_items
from moderation.admin.settings import article_settings_form
from moderation.audit import Actor
from moderation.db import db
from moderation.models import Article, Comment, Decision, User
from moderation.policy import current_policy
from moderation.queue import (
    BULK_ACTIONS,
    DEFAULT_SORT,
    HOLD_REASONS,
    QUEUE_LABELS,
    QUEUES,
    SORTS,
    allowed_author_actions,
    count_label,
    latest_comment_id,
    newer_than,
    queue_page,
    rejection_reasons,
)

PAGE_SIZE = 20
AUTHOR_HISTORY = 50


@bp.route("/")
def index():
    """/admin opens Pending."""
    return queue("pending")


def _filters(args) -> dict:
    """A queue's filters as read from the query string (the page and its poll read them alike)."""
    return {
        "article_id": args.get("article", type=int),
        "rule": args.get("rule") or None,
        "author_id": args.get("author", type=int),
        "search": (args.get("q") or "").strip() or None,
    }


@bp.route("/queue/<name>")
def queue(name: str):
    """A queue tab: filters, the items with their evidence and actions, and the next page by keyset."""
    if name not in QUEUES:
        abort(404)
    args = request.args
    filters = _filters(args)
    filters["sort"] = args.get("sort") if args.get("sort") in SORTS else DEFAULT_SORT[name]
    try:
        comments, next_cursor = queue_page(name, cursor=args.get("cursor") or None, limit=PAGE_SIZE, **filters)
    except ValueError:
        abort(400, "This page link is no longer valid; start again from the first page.")
    article = db.session.get(Article, filters["article_id"]) if filters["article_id"] else None
    author = db.session.get(User, filters["author_id"]) if filters["author_id"] else None
    return render_template(
        "admin/queue.html",
        queue_name=name,
        queue_labels=QUEUE_LABELS,
        items=load_items(comments, Actor.for_user(current_user)),
        filters=filters,
        filter_args={k: v for k, v in args.items() if k != "cursor" and v},
        without_author={k: v for k, v in args.items() if k not in ("cursor", "author") and v},
        next_cursor=next_cursor,
        first_page=not args.get("cursor"),
        latest_id=latest_comment_id(),
        poll_seconds=current_app.config["ADMIN_POLL_SECONDS"],
        articles=db.session.scalars(select(Article).order_by(Article.title)).all(),
        filter_article=article,
        filter_author=author,
        article_form=article_settings_form(article) if article else None,
        rules=[(rule.id, rule.title) for rule in current_policy().rules],
        hold_reasons=HOLD_REASONS,
        sorts=SORTS,
        reasons=rejection_reasons(),
        bulk_actions=BULK_ACTIONS[name],
    )


@bp.route("/queue/<name>/new.json")
def queue_news(name: str):
    """How many comments reached this queue (with the page's filters) after the comment `after`, for the page's
    "3 new comments" notice: {"new": 3, "label": "3 new comments"}; 400 without a whole-number `after`."""
    if name not in QUEUES:
        abort(404)
    after = request.args.get("after", type=int)
    if after is None or after < 0:
        return jsonify(error={"code": "invalid_field", "message": "after must be a comment id.", "field": "after"}), 400
    count = newer_than(name, after, **_filters(request.args))
    label = f"{count_label(count)} new comment{'s' if count != 1 else ''}"
    return jsonify(new=count, label=label)


@bp.route("/comments/<int:comment_id>")
def comment(comment_id: int):
    """One item in full: evidence, the thread it sits in, the author's record, every decision and report."""
    found = db.session.get(Comment, comment_id) or abort(404)
    item = load_items([found], Actor.for_user(current_user))[0]
    replies = db.session.scalars(
        select(Comment).where(Comment.parent_id == found.id).order_by(Comment.created_at, Comment.id).limit(20)
    ).all()
    return render_template(
        "admin/comment.html", item=item, replies=replies, reasons=rejection_reasons()
    )


@bp.route("/authors/<int:user_id>")
def author(user_id: int):
    """An author's record: their comments, what moderators did about them, and the actions on the account."""
    person = db.session.get(User, user_id) or abort(404)
    comments = db.session.scalars(
        select(Comment).where(Comment.author_id == person.id)
        .order_by(Comment.created_at.desc(), Comment.id.desc()).limit(AUTHOR_HISTORY)
    ).all()
    decisions = db.session.scalars(
        select(Decision).where(Decision.subject_user_id == person.id)
        .order_by(Decision.id.desc()).limit(AUTHOR_HISTORY)
    ).all()
    return render_template(
        "admin/author.html",
        author=person,
        record=author_record(person),
        comments=comments,
        decisions=decisions,
        allowed=allowed_author_actions(person),
    )
