"""Shared helpers for the public-site tests."""
from __future__ import annotations

from sqlalchemy import select

from moderation.db import db
from moderation.models import Article, Comment, User
from moderation.services.commenting import post_comment

ARTICLE_URL = "/articles/us-cuba-migration-talks"


def seed_article() -> Article:
    return db.session.scalar(select(Article).where(Article.slug == "us-cuba-migration-talks"))


def add_comment(author: User, body: str, parent: Comment | None = None) -> Comment:
    """Post through the real service, as the form does, and commit."""
    comment = post_comment(author, seed_article(), body, parent)
    db.session.commit()
    return comment
