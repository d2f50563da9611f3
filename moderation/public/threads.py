"""The comments a viewer sees on an article, as threads: top-level comments with their replies beneath."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from moderation.db import db
from moderation.models import Article, Comment, CommentStatus, User
from moderation.services.commenting import newest_first, published_or_own


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def comment_threads(article: Article, viewer: User | None) -> tuple[list[Thread], int]:
    """Featured first, then newest first; replies oldest first under their top-level comment."""
    visible = db.session.scalars(
        select(Comment)
        .options(joinedload(Comment.author))
        .where(Comment.article_id == article.id, published_or_own(viewer))
        .order_by(*newest_first())
    ).all()
    threads = {c.id: Thread(c) for c in visible if c.parent_id is None}
    by_id = {c.id: c for c in visible}
    for reply in reversed(visible):
        root = _root_id(reply, by_id)
        if reply.parent_id is not None and root in threads:
            threads[root].replies.append(reply)
    published = db.session.scalar(
        select(func.count()).where(Comment.article_id == article.id, Comment.status == CommentStatus.PUBLISHED)
    )
    return list(threads.values()), published or 0


def _root_id(comment: Comment, by_id: dict[int, Comment]) -> int | None:
    """Replies to replies sit under the thread's top comment, as on most news sites."""
    seen = set()
    while comment.parent_id is not None and comment.parent_id in by_id and comment.id not in seen:
        seen.add(comment.id)
        comment = by_id[comment.parent_id]
    return comment.id if comment.parent_id is None else None
