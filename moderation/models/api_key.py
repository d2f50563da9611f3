"""Keys for other services, and the feedback they send on our scores."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from moderation.db import db
from moderation.models._types import UTCDateTime, utcnow


class ApiKey(db.Model):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    key_hash: Mapped[str] = mapped_column(String(128), unique=True)  # sha256 hex; the key itself is never stored
    prefix: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[str] = mapped_column(String(200))  # comma-separated
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(s for s in self.scopes.split(",") if s)


class ScoreFeedback(db.Model):
    """A client's judgement of a text we scored (Perspective's suggestscore): approved (0) or rejected (1)."""

    __tablename__ = "score_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    suggested_scores: Mapped[dict] = mapped_column(JSON)
    verdict: Mapped[dict] = mapped_column(JSON)  # what our policy said about the text at the time
    rejected: Mapped[bool]
    policy_version: Mapped[str] = mapped_column(String(64))
