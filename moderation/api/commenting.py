"""Posting through the API: authors known by the caller's id, and Idempotency-Key so a retry never posts twice."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from moderation.api.errors import field_error
from moderation.api.serializers import posted_comment_json
from moderation.db import db
from moderation.models import ApiKey, Article, Comment, User
from moderation.pipeline.types import Refused
from moderation.services.commenting import post_comment
from moderation.services.names import NameRefused, check_display_name, tidy

IDEMPOTENCY_HEADER = "Idempotency-Key"


def external_author(external_id: str, display_name: str) -> User:
    """The author the caller calls `external_id`, created on first sight; the display name follows the caller's,
    under the same rules as a reader's own (ApiError 422 on `author.display_name` saying why it is refused)."""
    author = _by_external_id(external_id)
    if author is not None and author.display_name == tidy(display_name):
        return author
    try:
        display_name = check_display_name(display_name, user=author)
    except NameRefused as refusal:
        # The name's holder may be this very author, created meanwhile by a concurrent first request.
        created = _by_external_id(external_id) if author is None else None
        if created is not None and created.display_name == tidy(display_name):
            return created
        raise field_error("author.display_name", str(refusal)) from None
    if author is None:
        author = User(external_id=external_id, display_name=display_name, email=None, password_hash=None)
        db.session.add(author)
    else:
        author.display_name = display_name
    return author


def _by_external_id(external_id: str) -> User | None:
    return db.session.scalar(select(User).where(User.external_id == external_id))


def _previous(stored_key: str | None) -> Comment | None:
    if stored_key is None:
        return None
    return db.session.scalar(select(Comment).where(Comment.idempotency_key == stored_key))


def _same_request(comment: Comment, article: Article, text: str, external_id: str) -> Comment:
    """A replay must repeat the first request; a key reused for another comment is the caller's bug."""
    if comment.article_id != article.id or comment.body != text or comment.author.external_id != external_id:
        raise field_error(IDEMPOTENCY_HEADER, "This Idempotency-Key was already used for a different comment.")
    return comment


def post_once(
    key: ApiKey,
    article: Article,
    text: str,
    author_fields: dict,
    parent: Comment | None,
    idempotency_key: str | None,
    *,
    retry: bool = True,
) -> tuple[dict, bool]:
    """Post and commit the comment, or find the one this Idempotency-Key already posted: (its JSON, True when new).
    Raises Refused (rolled back) for what may not be posted.

    A new post is one transaction: the author's lookup, the recent comments for context, three inserts and the
    commit. The Idempotency-Key is not looked up first: its unique index answers, since a replay's insert fails and
    the replay then reads the first comment. Two first comments of a new author (unique external id) meet the same
    way: the loser rolls back and retries once, finding the author. The answer is made before the commit, so reading
    it costs no second query.
    """
    stored_key = f"{key.id}:{idempotency_key}" if idempotency_key else None
    external_id = author_fields["external_id"]
    try:
        author = external_author(external_id, author_fields["display_name"])
        comment = post_comment(author, article, text, parent, via=f"api key {key.name}", idempotency_key=stored_key)
        answer = posted_comment_json(comment)
        db.session.commit()
    except (IntegrityError, Refused) as failure:
        db.session.rollback()
        previous = _previous(stored_key)
        if previous is not None:  # a replay: the first answer, even if the author could no longer post now
            return posted_comment_json(_same_request(previous, article, text, external_id)), False
        if isinstance(failure, Refused) or not retry:
            raise
        return post_once(key, article, text, author_fields, parent, idempotency_key, retry=False)
    return answer, True
