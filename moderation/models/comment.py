"""Comments, the per-rule flags their verdict raised, and readers' reports."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moderation.db import db
from moderation.models._types import UTCDateTime, str_enum, utcnow


class CommentStatus(enum.Enum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_queue", "status", "created_at", "id"),
        Index("ix_comments_article_status", "article_id", "status", "created_at"),
        Index("ix_comments_queue_score", "status", "max_score", "id"),
        Index("ix_comments_author_created", "author_id", "created_at"),
        Index("ix_comments_language_queue", "language", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    body: Mapped[str] = mapped_column(Text)  # exactly as written; escaped wherever shown
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[CommentStatus] = mapped_column(str_enum(CommentStatus))
    # Why it is pending: "rule", "premoderation", "reports" (None when not pending).
    hold_reason: Mapped[str | None] = mapped_column(String(20))
    verdict: Mapped[dict] = mapped_column(JSON)
    verdict_outcome: Mapped[str] = mapped_column(String(10))
    max_score: Mapped[float] = mapped_column(Float, default=0.0)
    policy_name: Mapped[str] = mapped_column(String(100))
    policy_version: Mapped[str] = mapped_column(String(64))
    # The main language the verdict was judged in (ISO 639-1; the verdict lists them all); None before it was kept.
    language: Mapped[str | None] = mapped_column(String(35))
    featured: Mapped[bool] = mapped_column(default=False)
    report_count: Mapped[int] = mapped_column(default=0)
    resubmitted: Mapped[bool] = mapped_column(default=False)  # the one nudge-edit has been used
    rejection_reason: Mapped[str | None] = mapped_column(String(40))
    rejection_note: Mapped[str | None] = mapped_column(Text)
    # Optimistic lock: a decision names the version it saw; a stale one is refused.
    version: Mapped[int] = mapped_column(default=1)
    idempotency_key: Mapped[str | None] = mapped_column(String(300), unique=True)

    article = relationship("Article")
    author = relationship("User")
    parent = relationship("Comment", remote_side=[id])
    flags = relationship("CommentFlag", cascade="all, delete-orphan", back_populates="comment")


class CommentFlag(db.Model):
    """One row per rule that asked for review or rejection: what the queue filters and the dashboard counts."""

    __tablename__ = "comment_flags"
    __table_args__ = (Index("ix_comment_flags_category", "category", "comment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    action: Mapped[str] = mapped_column(String(10))  # review | reject

    comment = relationship("Comment", back_populates="flags")


class Report(db.Model):
    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("comment_id", "reporter_id", name="uq_reports_comment_reporter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved: Mapped[bool] = mapped_column(default=False)

    comment = relationship("Comment")
    reporter = relationship("User")
