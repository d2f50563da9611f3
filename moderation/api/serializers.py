"""What the native API says about articles, comments and decisions (the shapes of the OpenAPI document)."""
from __future__ import annotations

from datetime import datetime

from flask import url_for

from moderation.models import Article, Comment, Decision


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def article_json(article: Article, comment_count: int) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "source": article.source,
        "byline": article.byline,
        "published_on": article.published_on.isoformat() if article.published_on else None,
        "comments_open": article.comments_open,
        "moderation_mode": article.moderation_mode.value,
        "comment_count": comment_count,
        "url": url_for("public.article", slug=article.slug, _external=True),
    }


def published_comment_json(comment: Comment) -> dict:
    """A published comment as anyone may see it: no verdict, no external ids."""
    return {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "author": {"display_name": comment.author.display_name},
        "text": comment.body,
        "created_at": _time(comment.created_at),
        "edited_at": _time(comment.edited_at),
        "featured": comment.featured,
    }


def posted_comment_json(comment: Comment) -> dict:
    return {"id": comment.id, "status": comment.status.value, "verdict": comment.verdict}


def queue_item_json(comment: Comment) -> dict:
    """A comment as a moderator sees it in the queue, with what they need to decide."""
    return {
        "id": comment.id,
        "article": comment.article.slug,
        "author": {
            "id": comment.author.id,
            "display_name": comment.author.display_name,
            "external_id": comment.author.external_id,
        },
        "text": comment.body,
        "status": comment.status.value,
        "hold_reason": comment.hold_reason,
        "report_count": comment.report_count,
        "version": comment.version,
        "created_at": _time(comment.created_at),
        "verdict": comment.verdict,
    }


def decision_json(decision: Decision) -> dict:
    return {
        "id": decision.id,
        "comment_id": decision.comment_id,
        "action": decision.action,
        "from_status": decision.from_status,
        "to_status": decision.to_status,
        "reason": decision.reason,
        "note": decision.note,
        "actor": {"type": decision.actor_type.value, "name": decision.actor_name},
        "created_at": _time(decision.created_at),
    }
