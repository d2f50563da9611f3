"""Readers, moderators and admins: one account table, told apart by role."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from moderation.db import db
from moderation.models._types import UTCDateTime, str_enum, utcnow


class Role(enum.Enum):
    READER = "reader"
    MODERATOR = "moderator"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    # Authors who come through the API are known by the calling service's id, not an email.
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.READER)
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    banned: Mapped[bool] = mapped_column(default=False)
    always_premoderate: Mapped[bool] = mapped_column(default=False)
    warning: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def is_suspended(self, now: datetime | None = None) -> bool:
        return self.suspended_until is not None and self.suspended_until > (now or utcnow())

    def posting_refusal(self) -> str | None:
        """Why this account may not post now, or None."""
        if self.banned:
            return "Your account is banned from commenting."
        if self.is_suspended():
            until = self.suspended_until.strftime("%d %B %Y, %H:%M UTC")
            return f"Your account is suspended from commenting until {until}."
        return None
