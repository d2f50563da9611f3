"""Single sign-on from the newsroom's site, as Coral's SSO works: the newsroom signs a short-lived JWT for the reader
and hands it to the embed; this service checks it and signs the reader in.

Accepted: HS256 with SSO_SECRET (shared with the newsroom) and RS256 with SSO_PUBLIC_KEY (the newsroom's PEM public
key). Required claims: `iss` (SSO_ISSUER), `aud` (SSO_AUDIENCE), `exp` at most SSO_MAX_LIFETIME seconds ahead,
`jti` (used once), `sub` (the newsroom's user id), `email`, `name`; `role` ("reader" or "moderator") counts only
when an admin allows role claims. See docs/embed.md for worked examples."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from flask import current_app
from joserfc import jwt
from joserfc.errors import (BadSignatureError, ExpiredTokenError, InvalidClaimError, JoseError, MissingClaimError,
                            UnsupportedAlgorithmError)
from joserfc.jwk import OctKey, RSAKey
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from moderation.auth.identities import OutsideIdentity, SignInRefused, account_for
from moderation.db import db
from moderation.embed.settings import role_claims_allowed
from moderation.models import Role, UsedSsoToken, User
from moderation.models._types import utcnow

MAX_TOKEN_LENGTH = 8192
MAX_JTI = UsedSsoToken.__table__.c.jti.type.length
ROLES = {"reader": Role.READER, "moderator": Role.MODERATOR}  # never admin: that stays a decision made here
CLAIM_MESSAGES = {
    "iss": "The sign-in token was issued by a site this service does not trust (iss).",
    "aud": "The sign-in token is meant for another service (aud).",
    "nbf": "The sign-in token is not valid yet (nbf); check the newsroom server's clock.",
    "iat": "The sign-in token's issue time (iat) is not a time.",
    "jti": "The sign-in token's id (jti) must be text.",
    "sub": "The sign-in token's user id (sub) must be text.",
    "exp": "The sign-in token's expiry (exp) is not a time.",
}


def _keys() -> dict[str, OctKey | RSAKey]:
    config = current_app.config
    keys: dict[str, OctKey | RSAKey] = {}
    if config.get("SSO_SECRET"):
        keys["HS256"] = OctKey.import_key(config["SSO_SECRET"])
    if config.get("SSO_PUBLIC_KEY"):
        keys["RS256"] = RSAKey.import_key(config["SSO_PUBLIC_KEY"])
    return keys


def verify_sso_token(raw: str) -> dict:
    """The claims of a valid SSO token, else SignInRefused with a message for the reader.

    Refused: malformed, signed with another key or algorithm, changed after signing, expired, living longer than
    SSO_MAX_LIFETIME (default 600 s), from another issuer, for another audience, missing a required claim, or used
    before (its `jti` is remembered until it expires, in the database, so every worker sees it)."""
    keys = _keys()
    if not keys or not current_app.config.get("SSO_ISSUER"):
        raise SignInRefused("Single sign-on is not set up on this service.")
    raw = (raw or "").strip()
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        raise SignInRefused("The sign-in token is missing or too long.")
    try:
        token = jwt.decode(raw, lambda guest: keys.get(guest.headers().get("alg")) or next(iter(keys.values())),
                           algorithms=list(keys))
        registry = jwt.JWTClaimsRegistry(
            leeway=30,  # seconds of clock difference between the newsroom's servers and ours
            iss={"essential": True, "value": current_app.config["SSO_ISSUER"]},
            aud={"essential": True, "value": current_app.config["SSO_AUDIENCE"]},
            exp={"essential": True}, jti={"essential": True}, sub={"essential": True},
        )
        registry.validate(token.claims)
    except ExpiredTokenError:
        raise SignInRefused("The sign-in token has expired; reload the page to sign in again.") from None
    except MissingClaimError as error:
        raise SignInRefused(f"The sign-in token lacks required claims: {error.claim}.") from None
    except InvalidClaimError as error:
        raise SignInRefused(CLAIM_MESSAGES.get(error.claim, f"The sign-in token's {error.claim} is not valid.")) from None
    except (BadSignatureError, UnsupportedAlgorithmError):
        raise SignInRefused("The sign-in token's signature does not match this service's key: it was signed with "
                            "another key or changed after signing.") from None
    except (JoseError, ValueError, TypeError):
        raise SignInRefused("The sign-in token is not a valid token (a signed JWT is expected).") from None
    claims = token.claims
    if claims["exp"] > time.time() + int(current_app.config["SSO_MAX_LIFETIME"]):
        raise SignInRefused(f"The sign-in token lives too long: it must expire within "
                            f"{int(current_app.config['SSO_MAX_LIFETIME']) // 60} minutes of being issued.")
    if not str(claims["jti"]) or len(str(claims["jti"])) > MAX_JTI:
        raise SignInRefused(f"The sign-in token's id (jti) must be 1 to {MAX_JTI} characters.")
    _use_once(str(claims["jti"]), datetime.fromtimestamp(claims["exp"], timezone.utc))
    return claims


def _use_once(jti: str, expires_at: datetime) -> None:
    """Remember the token id until it expires; a second use is refused. Commits, so a replay in parallel fails."""
    db.session.execute(delete(UsedSsoToken).where(UsedSsoToken.expires_at < utcnow()))
    db.session.add(UsedSsoToken(jti=jti, expires_at=expires_at))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise SignInRefused("This sign-in token has been used already; reload the page to sign in again.") from None


def sso_account(raw: str) -> User:
    """The account a valid SSO token names, created or updated (and committed); SignInRefused otherwise."""
    claims = verify_sso_token(raw)
    email, name = claims.get("email"), claims.get("name")
    if not isinstance(email, str) or "@" not in email or len(email) > User.__table__.c.email.type.length:
        raise SignInRefused("The sign-in token's e-mail (email) is missing or not an e-mail address.")
    if not isinstance(name, str) or not name.strip():
        raise SignInRefused("The sign-in token's display name (name) is missing.")
    role = None
    if "role" in claims and role_claims_allowed():
        role = ROLES.get(claims["role"])
        if role is None:
            raise SignInRefused(f"The sign-in token's role must be one of {', '.join(ROLES)}.")
    user = account_for(OutsideIdentity(provider="sso", subject=str(claims["sub"]), email=email,
                                       email_verified=True,  # the newsroom vouches for its readers' addresses
                                       display_name=name, role=role))
    db.session.commit()
    return user
