"""Who signed in through the newsroom's single sign-on or an OpenID provider, and which SSO tokens were used."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moderation.db import db
from moderation.models._types import UTCDateTime, utcnow
from moderation.models.user import User


class SignInIdentity(db.Model):
    """One outside identity (`provider` "sso" or "oidc:NAME", and that provider's subject) of an account."""

    __tablename__ = "sign_in_identities"
    __table_args__ = (UniqueConstraint("provider", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class UsedSsoToken(db.Model):
    """An SSO token's `jti`, kept until the token expires, so the same token cannot sign anyone in twice."""

    __tablename__ = "used_sso_tokens"

    jti: Mapped[str] = mapped_column(String(255), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
