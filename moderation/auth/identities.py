"""Accounts for readers who sign in with an account they already have (the newsroom's SSO, an OpenID provider).

An outside identity is remembered as (provider, subject). The first time one is seen it is linked to the account
with the same e-mail address when the provider vouches for that address, else a new account is made."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from moderation.db import db
from moderation.models import Role, SignInIdentity, User

MAX_NAME = User.__table__.c.display_name.type.length
MAX_SUBJECT = SignInIdentity.__table__.c.subject.type.length


class SignInRefused(ValueError):
    """A sign-in that cannot go ahead; the message is shown to the reader as it is."""


@dataclass(frozen=True)
class OutsideIdentity:
    provider: str  # "sso" or "oidc:NAME"
    subject: str  # the provider's id for the person, stable across e-mail changes
    email: str | None
    email_verified: bool
    display_name: str
    role: Role | None = None  # only ever set by a caller that may grant it (the SSO with role claims allowed)


def account_for(identity: OutsideIdentity) -> User:
    """The account of this identity: found, linked by verified e-mail, or created; the display name (and role, when
    given) follow the provider's. The caller commits. Raises SignInRefused when the subject is empty or too long,
    or when the e-mail belongs to staff and the identity does not carry the staff role itself."""
    if not identity.subject or len(identity.subject) > MAX_SUBJECT:
        raise SignInRefused(f"The sign-in names no user id (or one longer than {MAX_SUBJECT} characters).")
    known = db.session.scalar(select(SignInIdentity).where(SignInIdentity.provider == identity.provider,
                                                           SignInIdentity.subject == identity.subject))
    email = identity.email.strip().lower() if identity.email and identity.email_verified else None
    if known is not None:
        user = known.user
    else:
        user = db.session.scalar(select(User).where(func.lower(User.email) == email)) if email else None
        if user is not None and user.is_moderator and identity.role is not user.role:
            # A newsroom or provider that merely vouches for an e-mail must not take over a staff account.
            raise SignInRefused("This e-mail belongs to a staff account here; sign in with its password instead.")
        if user is None:
            user = User(display_name="", email=email)
            db.session.add(user)
        db.session.add(SignInIdentity(user=user, provider=identity.provider, subject=identity.subject))
    user.display_name = _display_name(identity, user)
    if identity.role is not None and user.role is not Role.ADMIN:
        user.role = identity.role
    return user


def _display_name(identity: OutsideIdentity, user: User) -> str:
    name = " ".join(identity.display_name.split())[:MAX_NAME]
    if len(name) >= 2:
        return name
    if user.display_name:
        return user.display_name
    return (identity.email or "").partition("@")[0][:MAX_NAME] or "Reader"
