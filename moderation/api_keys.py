"""Keys for other services: shown once at creation, kept only as a sha256 hash, scoped, revocable."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from moderation.audit import Actor
from moderation.db import db
from moderation.models import ActorType, ApiKey
from moderation.models._types import utcnow
from moderation.shared_cache import cache, detached_row

SCOPES = ("moderate", "comment", "admin")
KEY_PREFIX = "mk_"
SHOWN_PREFIX_LENGTH = 10
NAME_MAX_LENGTH = 100
# Recording every use would add a write to every scoring call; once a minute says enough about activity.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyError(ValueError):
    """A key that cannot be created or found as asked."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_scopes(raw: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Scopes from a comma-separated string or a list; unknown or no scopes are an error."""
    names = raw.split(",") if isinstance(raw, str) else list(raw)
    scopes = tuple(dict.fromkeys(name.strip() for name in names if name.strip()))
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        raise ApiKeyError(f"scopes must be some of {', '.join(SCOPES)}" + (f" (not {', '.join(unknown)})" if unknown else ""))
    return scopes


def create_key(name: str, scopes: str | list[str] | tuple[str, ...]) -> tuple[ApiKey, str]:
    """A new key and its secret, which is returned here and nowhere else. The caller commits."""
    name = name.strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise ApiKeyError(f"a key needs a name of 1 to {NAME_MAX_LENGTH} characters")
    if db.session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise ApiKeyError(f"a key named {name!r} already exists")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        name=name,
        key_hash=hash_key(secret),
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        scopes=",".join(parse_scopes(scopes)),
    )
    db.session.add(key)
    db.session.flush()
    return key, secret


def find_active_key(secret: str) -> ApiKey | None:
    """The unrevoked key with this secret, or None. Kept per process (moderation/shared_cache.py), so the key is a
    detached row: read its fields, do not change it; a revocation reaches every worker on its next request."""
    key_hash = hash_key(secret)
    return cache("api_keys").get(key_hash, lambda: _load_active_key(key_hash))


def _load_active_key(key_hash: str) -> ApiKey | None:
    columns = ApiKey.__table__.c
    return detached_row(ApiKey, columns.key_hash == key_hash, columns.revoked_at.is_(None))


def revoke_key(name: str) -> ApiKey:
    """Stop a key from working; its row stays so the log can still name it. The caller commits."""
    key = db.session.scalar(select(ApiKey).where(ApiKey.name == name))
    if key is None:
        raise ApiKeyError(f"no key named {name!r}")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    return key


def all_keys() -> list[ApiKey]:
    return list(db.session.scalars(select(ApiKey).order_by(ApiKey.name)))


def note_use(key: ApiKey) -> None:
    """Remember when the key was last used, at most once a minute per worker (commits on its own). An UPDATE rather
    than a change of the row object: the key is a cached, detached row, and a use is not a change that every worker's
    cache must hear of."""
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        table = ApiKey.__table__
        db.session.execute(update(table).where(table.c.id == key.id).values(last_used_at=now))
        db.session.commit()
        key.last_used_at = now


def actor_for(key: ApiKey) -> Actor:
    """How the decision log names what a key did."""
    return Actor(ActorType.API_KEY, key.id, key.name)
