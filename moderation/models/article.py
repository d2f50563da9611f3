"""A story that readers comment on."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from moderation.db import db
from moderation.models._types import UTCDateTime, str_enum, utcnow


class ModerationMode(enum.Enum):
    POST = "post"  # publish what the filters pass; people review afterwards
    PRE = "pre"  # hold every comment until a moderator approves it


class Article(db.Model):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(200), default="")
    byline: Mapped[str] = mapped_column(String(200), default="")
    published_on: Mapped[date | None]
    body: Mapped[str] = mapped_column(Text)
    comments_open: Mapped[bool] = mapped_column(default=True)
    moderation_mode: Mapped[ModerationMode] = mapped_column(
        str_enum(ModerationMode), default=ModerationMode.POST
    )
    premoderate_first_comments: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A story embedded on a newsroom's own page (docs/embed.md) is known by that page's canonical URL, without
    # query string or fragment; the CMS's own id for it is kept for the newsroom's reference.
    canonical_url: Mapped[str | None] = mapped_column(String(2000), unique=True)
    cms_story_id: Mapped[str | None] = mapped_column(String(200))

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]
