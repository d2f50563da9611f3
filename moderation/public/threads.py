"""The comments a viewer sees on an article, a page of threads at a time: featured first, then newest first,
each top-level comment with its replies beneath (oldest first)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import defer, joinedload

from moderation.db import db
from moderation.models import Article, Comment, CommentStatus, User
from moderation.services.commenting import published_or_own

THREADS_PER_PAGE = 50
MAX_REPLY_DEPTH = 5  # replies to replies are shown flat under the thread, as on most news sites


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


@dataclass
class ThreadPage:
    threads: list[Thread]
    published_count: int
    older_cursor: int | None  # the id to continue after, when older threads exist


def _visible(article: Article, viewer: User | None):
    """Comments of this article the viewer may see, without the verdict JSON the page never shows."""
    return (
        select(Comment)
        .options(joinedload(Comment.author), defer(Comment.verdict))
        .where(Comment.article_id == article.id, published_or_own(viewer))
    )


def comment_threads(article: Article, viewer: User | None, after: int | None = None) -> ThreadPage:
    """One page of threads; `after` is the id of the last top-level comment of the previous page."""
    top_level = _visible(article, viewer).where(Comment.parent_id.is_(None))
    featured = db.session.scalars(top_level.where(Comment.featured).order_by(Comment.created_at.desc())).all()
    newest = top_level.where(Comment.featured.is_(False))
    if after is not None:
        anchor = db.session.execute(select(Comment.created_at, Comment.id).where(Comment.id == after)).first()
        if anchor is not None:
            newest = newest.where(tuple_(Comment.created_at, Comment.id) < tuple_(*anchor))
    page = db.session.scalars(
        newest.order_by(Comment.created_at.desc(), Comment.id.desc()).limit(THREADS_PER_PAGE + 1)
    ).all()
    has_older = len(page) > THREADS_PER_PAGE
    page = page[:THREADS_PER_PAGE]
    roots = [*featured, *page] if after is None else page
    threads = {comment.id: Thread(comment) for comment in roots}
    _attach_replies(article, viewer, threads)
    return ThreadPage(list(threads.values()), _published_count(article), page[-1].id if has_older else None)


def _attach_replies(article: Article, viewer: User | None, threads: dict[int, Thread]) -> None:
    """Fetch replies level by level (one query per level) and hang each under its thread's top comment."""
    root_of = {comment_id: comment_id for comment_id in threads}
    parents = list(threads)
    for _ in range(MAX_REPLY_DEPTH):
        if not parents:
            break
        replies = db.session.scalars(
            _visible(article, viewer).where(Comment.parent_id.in_(parents)).order_by(Comment.created_at, Comment.id)
        ).all()
        for reply in replies:
            root_of[reply.id] = root_of[reply.parent_id]
            threads[root_of[reply.id]].replies.append(reply)
        parents = [reply.id for reply in replies]
    for thread in threads.values():
        thread.replies.sort(key=lambda reply: (reply.created_at, reply.id))


def _published_count(article: Article) -> int:
    count = select(func.count()).where(Comment.article_id == article.id, Comment.status == CommentStatus.PUBLISHED)
    return db.session.scalar(count) or 0
