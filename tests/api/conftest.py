"""Fixtures for the API tests: keys with chosen scopes, and articles and comments to read and decide."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from moderation.api_keys import create_key
from moderation.db import db
from moderation.models import Article, Comment, Decision, ModerationMode, User
from moderation.policy import load_policy
from moderation.services.commenting import post_comment

SEED_SLUG = "us-cuba-migration-talks"
CLEAN_TEXT = "The talks in Havana are overdue and both governments should keep them going."
INSULT_TEXT = "You people are idiots."
TOO_LONG_TEXT = "x" * (load_policy().max_length + 1)  # one past the policy's limit, whatever it is


def make_key(name: str = "partner", scopes: str = "moderate,comment,admin") -> tuple[object, str]:
    key, secret = create_key(name, scopes)
    db.session.commit()
    return key, secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def key_headers(app) -> dict:
    """Authorization headers of a key with every scope."""
    return bearer(make_key()[1])


def seed_article() -> Article:
    return db.session.scalar(select(Article).where(Article.slug == SEED_SLUG))


def add_article(slug: str, **fields) -> Article:
    article = Article(slug=slug, title=fields.pop("title", slug.replace("-", " ").title()), body=fields.pop("body", "A story."),
                      moderation_mode=fields.pop("moderation_mode", ModerationMode.POST), **fields)
    db.session.add(article)
    db.session.commit()
    return article


def add_comment(body: str = CLEAN_TEXT, article: Article | None = None, author=None, parent=None) -> Comment:
    """A comment posted through the real service, as readers post them."""
    if author is None:  # an API-style author: no password to hash, which keeps the tests fast
        author = User(display_name="Writer", external_id=f"writer-{count(User)}")
        db.session.add(author)
    comment = post_comment(author, article or seed_article(), body, parent)
    db.session.commit()
    return comment


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def decisions_for(comment_id: int) -> list[Decision]:
    return list(db.session.scalars(select(Decision).where(Decision.comment_id == comment_id).order_by(Decision.id)))
