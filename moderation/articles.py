"""Article files: a header of `Key: value` lines, a blank line, then paragraphs separated by blank lines."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from moderation.db import db
from moderation.inputs import text_fault, unusable_at
from moderation.models import Article, ModerationMode

SEED_DIR = Path(__file__).resolve().parent / "data" / "articles"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEADER_RE = re.compile(r"^(?P<key>[A-Za-z-]+):[ \t]*(?P<value>.*)$")
KNOWN_KEYS = {"title", "slug", "source", "byline", "published", "moderation"}


class ArticleFileError(ValueError):
    """An article file that cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class ArticleData:
    slug: str
    title: str
    source: str
    byline: str
    published_on: date | None
    body: str
    moderation_mode: ModerationMode


def parse_article_file(path: Path) -> ArticleData:
    """An article file's fields and paragraphs; ArticleFileError names the file and line of what is wrong."""
    header, _, body = _read_text(path).replace("\r\n", "\n").partition("\n\n")
    fields: dict[str, str] = {}
    for number, line in enumerate(header.split("\n"), start=1):
        match = HEADER_RE.match(line)
        if not match or match["key"].lower() not in KNOWN_KEYS:
            raise ArticleFileError(f"{path}:{number}: expected one of {sorted(KNOWN_KEYS)} as 'Key: value'")
        fields[match["key"].lower()] = match["value"].strip()
    return _validated(path, fields, body.strip())


def _read_text(path: Path) -> str:
    """The file as text the database can store: UTF-8 without NUL characters."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as error:
        raise ArticleFileError(f"{path}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ArticleFileError(f"{path}:{line}: not UTF-8 text (byte 0x{raw[error.start]:02x})") from None
    at = unusable_at(text)
    if at is not None:
        line_start = text.rfind("\n", 0, at) + 1
        raise ArticleFileError(f"{path}:{text.count(chr(10), 0, at) + 1}: the line {text_fault(text[line_start:])}")
    return text


def _validated(path: Path, fields: dict[str, str], body: str) -> ArticleData:
    title = fields.get("title", "")
    slug = fields.get("slug") or slugify(title)
    if not title:
        raise ArticleFileError(f"{path}: 'Title' is required")
    if not SLUG_RE.match(slug):
        raise ArticleFileError(f"{path}: 'Slug' must be lowercase letters, digits and hyphens, got {slug!r}")
    if not body:
        raise ArticleFileError(f"{path}: the article has no paragraphs after the header")
    for name, value in (("title", title), ("slug", slug), ("source", fields.get("source", "")),
                        ("byline", fields.get("byline", ""))):
        limit = Article.__table__.c[name].type.length  # PostgreSQL refuses a longer value
        if len(value) > limit:
            raise ArticleFileError(f"{path}: '{name.capitalize()}' is longer than {limit} characters")
    try:
        published = date.fromisoformat(fields["published"]) if fields.get("published") else None
        mode = ModerationMode(fields.get("moderation") or "post")
    except ValueError as error:
        raise ArticleFileError(f"{path}: {error}") from None
    return ArticleData(slug, title, fields.get("source", ""), fields.get("byline", ""), published, body, mode)


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:200]


def add_article(data: ArticleData) -> Article:
    """Store an article; a slug that exists already is an error, not an overwrite."""
    if db.session.scalar(select(Article.id).where(Article.slug == data.slug)) is not None:
        raise ArticleFileError(f"an article with slug {data.slug!r} exists already")
    article = Article(
        slug=data.slug,
        title=data.title,
        source=data.source,
        byline=data.byline,
        published_on=data.published_on,
        body=data.body,
        moderation_mode=data.moderation_mode,
    )
    db.session.add(article)
    return article
