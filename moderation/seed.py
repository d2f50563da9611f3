"""The seed: the article this service starts from, present on first start."""
from __future__ import annotations

from sqlalchemy import select

from moderation.articles import SEED_DIR, add_article, parse_article_file
from moderation.db import db
from moderation.models import Article


def seed_if_empty() -> bool:
    """Load the bundled articles into a database that has none; return whether anything was added."""
    if db.session.scalar(select(Article.id).limit(1)) is not None:
        return False
    for path in sorted(SEED_DIR.glob("*.txt")):
        add_article(parse_article_file(path))
    db.session.commit()
    return True
