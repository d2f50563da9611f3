"""Stories of the newsroom's own pages, created the first time their comment section is viewed.

A story is known by its canonical URL with the query string and fragment dropped, so the same page reached by a
tracking link or an anchor is one story. Its title is the one the snippet gives or, failing that, the page's own
`og:title` or `<title>`, fetched by the server from an allowed origin only."""
from __future__ import annotations

import hashlib
import logging
from html.parser import HTMLParser
from urllib.parse import urlsplit, urlunsplit

import requests
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from moderation.articles import slugify
from moderation.db import db
from moderation.embed.settings import is_allowed_origin, origin_of
from moderation.models import Article

log = logging.getLogger(__name__)
MAX_URL_LENGTH = Article.__table__.c.canonical_url.type.length
MAX_TITLE_LENGTH = Article.__table__.c.title.type.length
MAX_CMS_ID_LENGTH = Article.__table__.c.cms_story_id.type.length


class StoryRefused(ValueError):
    """A story that may not be embedded here; the message is shown to the reader in the frame."""


def canonical_url(url: str) -> str:
    """'https://News.example/a/b?utm=1#c' -> 'https://news.example/a/b'; raises StoryRefused for what is not an
    http(s) URL or is longer than the column (2,000 characters)."""
    origin = origin_of(url.strip())
    if origin is None:
        raise StoryRefused("The story's address is not a web address (http or https).")
    path = urlsplit(url.strip()).path or "/"
    canonical = urlunsplit((*urlsplit(origin)[:2], path, "", ""))
    if len(canonical) > MAX_URL_LENGTH:
        raise StoryRefused(f"The story's address is longer than {MAX_URL_LENGTH} characters.")
    return canonical


def story_for(url: str, cms_story_id: str | None = None, title: str | None = None) -> Article:
    """The story of this canonical URL, created (and committed) on first view when its origin is allowed.

    Raises StoryRefused when the URL's origin is not on the site's allowed list. A title given is used as is (cut to
    500 characters); without one the page's own title is fetched (see fetch_title), else the address stands in."""
    canonical = canonical_url(url)
    if not is_allowed_origin(origin_of(canonical)):
        raise StoryRefused(f"{origin_of(canonical)} is not allowed to embed comments from this site.")
    story = db.session.scalar(select(Article).where(Article.canonical_url == canonical))
    if story is not None:
        return story
    title = " ".join((title or "").split())[:MAX_TITLE_LENGTH] or fetch_title(canonical) or canonical[:MAX_TITLE_LENGTH]
    story = Article(
        slug=_slug(title, canonical),
        title=title,
        source=urlsplit(canonical).hostname or "",
        body="",
        canonical_url=canonical,
        cms_story_id=(cms_story_id or "").strip()[:MAX_CMS_ID_LENGTH] or None,
    )
    db.session.add(story)
    try:
        db.session.commit()
    except IntegrityError:  # another reader's first view created it at the same moment
        db.session.rollback()
        story = db.session.scalar(select(Article).where(Article.canonical_url == canonical))
        if story is None:
            raise
    return story


def _slug(title: str, canonical: str) -> str:
    """The title's slug and a digest of the URL, so two stories with one title get two slugs."""
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:10]
    return f"{slugify(title)[:180].strip('-') or 'story'}-{digest}"


def fetch_title(url: str) -> str | None:
    """The page's og:title, else its <title>, or None when the page cannot be read.

    Only URLs on an allowed origin are fetched, redirects are not followed (they could lead elsewhere), the wait is
    EMBED_TITLE_TIMEOUT seconds (default 3) and at most EMBED_TITLE_MAX_BYTES (default 256 KiB) are read."""
    if not is_allowed_origin(origin_of(url)):
        return None
    config = current_app.config
    limit = int(config["EMBED_TITLE_MAX_BYTES"])
    try:
        with requests.get(url, timeout=float(config["EMBED_TITLE_TIMEOUT"]), allow_redirects=False, stream=True,
                          headers={"Accept": "text/html"}) as response:
            if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
                return None
            chunks, size = [], 0
            for chunk in response.iter_content(16384):
                chunks.append(chunk)
                size += len(chunk)
                if size >= limit:
                    break
            html = b"".join(chunks)[:limit].decode(response.encoding or "utf-8", errors="replace")
    except requests.RequestException as error:
        log.info("could not read the title of %s: %s", url, error)
        return None
    parser = _TitleParser()
    parser.feed(html)
    title = " ".join((parser.og_title or parser.title or "").split())
    return title[:MAX_TITLE_LENGTH] or None


class _TitleParser(HTMLParser):
    """Collects <meta property="og:title" content=...> and the text of the first <title>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.og_title: str | None = None
        self.title: str | None = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and values.get("property") == "og:title" and self.og_title is None:
            self.og_title = values.get("content") or None
        elif tag == "title" and self.title is None:
            self._in_title = True
            self.title = ""

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
