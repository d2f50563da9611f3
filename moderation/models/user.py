"""Readers, moderators and admins: one account table, told apart by role."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import LazyString, format_datetime, lazy_gettext
from flask_login import UserMixin
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, validates
from werkzeug.security import check_password_hash, generate_password_hash

from moderation.db import db
from moderation.lookalike import name_key
from moderation.models._types import UTCDateTime, str_enum, utcnow


class Role(enum.Enum):
    READER = "reader"
    MODERATOR = "moderator"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(80))
    # The name as it looks (moderation.lookalike.name_key), kept in step by `_keep_name_key`: names are unique by it.
    name_key: Mapped[str | None] = mapped_column(String(320), index=True)
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
    # The reader deleted the account: name, e-mail and password are gone; the row stays for the log's sake.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Tell the author by e-mail when a moderator approves or rejects a held comment (off unless the reader asks).
    notify_decisions: Mapped[bool] = mapped_column(default=False)

    @validates("display_name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_key(name)
        return name

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
            return lazy_gettext("Your account is banned from commenting.")
        if self.is_suspended():
            # The date in the words of the language the message is drawn in (Babel's UTC, the service's zone).
            until = LazyString(format_datetime, self.suspended_until, "dd MMMM yyyy, HH:mm 'UTC'")
            return lazy_gettext("Your account is suspended from commenting until %(until)s.", until=until)
        return None
