"""The decision log: every automatic or human decision, append-only."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moderation.db import db
from moderation.models._types import UTCDateTime, str_enum, utcnow


class ActorType(enum.Enum):
    USER = "user"  # a moderator, or a reader acting on their own comment
    RULE = "rule"  # the policy's filters
    API_KEY = "api_key"
    SYSTEM = "system"  # e.g. the report threshold


class Decision(db.Model):
    __tablename__ = "decisions"
    __table_args__ = (
        Index("ix_decisions_created", "created_at", "id"),
        Index("ix_decisions_actor", "actor_type", "actor_id", "created_at"),
        Index("ix_decisions_action", "action", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_type: Mapped[ActorType] = mapped_column(str_enum(ActorType))
    actor_id: Mapped[int | None]
    actor_name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    rule: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    policy_version: Mapped[str | None] = mapped_column(String(64))

    comment = relationship("Comment")
    subject_user = relationship("User")
