"""Accounts for readers who sign in with an account they already have (the newsroom's SSO, an OpenID provider).

An outside identity is remembered as (provider, subject). The first time one is seen it is linked to the account
with the same e-mail address when the provider vouches for that address, else a new account is made."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext
from sqlalchemy import func, select

from moderation.db import db
from moderation.models import Role, SignInIdentity, User
from moderation.services.names import NameRefused, check_display_name, tidy

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
            raise SignInRefused(lazy_gettext(
                "This e-mail belongs to a staff account here; sign in with its password instead."))
        if user is None:
            user = User(display_name="", email=email)
            db.session.add(user)
        db.session.add(SignInIdentity(user=user, provider=identity.provider, subject=identity.subject))
    user.display_name = _display_name(identity, user)
    if identity.role is not None and user.role is not Role.ADMIN:
        user.role = identity.role
    return user


def _display_name(identity: OutsideIdentity, user: User) -> str:
    """The provider's name when the display-name policy accepts it for this account (moderation/services/names.py);
    else the name the account has; else the e-mail's local part, or "Reader <id>", under the same policy. A sign-in
    is not refused for its name: the reader can choose another on the account page."""
    candidates = (identity.display_name, user.display_name, (identity.email or "").partition("@")[0])
    for candidate in candidates:
        name = tidy(candidate or "")[:MAX_NAME]
        if len(name) < 2:
            continue
        if name == user.display_name:
            return name  # kept as it is, even when chosen before the policy judged names (`users check-names`)
        try:
            return check_display_name(name, user=user)
        except NameRefused:
            continue
    db.session.flush()  # the new account's id, for a name no one else has
    return f"Reader {user.id}"
