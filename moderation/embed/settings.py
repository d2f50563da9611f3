"""What an admin decides about embedding and sign-in: the sites that may embed the comments, which sign-in methods
are on, and whether a newsroom's SSO token may name a reader's role. Stored as `Setting` rows."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from moderation.db import db
from moderation.models import Setting

ORIGINS_KEY = "embed_allowed_origins"
METHODS_KEY = "sign_in_methods"
ROLE_CLAIMS_KEY = "sso_role_claims"


class OriginError(ValueError):
    """Text that is not a web origin such as https://news.example; the message says why."""


def normalise_origin(text: str) -> str:
    """'HTTPS://News.Example:443/' -> 'https://news.example'; raises OriginError for anything but http(s) origins."""
    raw = text.strip()
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise OriginError(f"{raw!r} is not a web address.") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise OriginError(f"{raw!r} is not an origin: write it as https://news.example (scheme and host).")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise OriginError(f"{raw!r} has more than an origin: keep only the scheme, host and port.")
    scheme = parts.scheme.lower()
    default = {"http": 80, "https": 443}[scheme]
    netloc = parts.hostname.lower() if port in (None, default) else f"{parts.hostname.lower()}:{port}"
    if ":" in parts.hostname:  # an IPv6 address keeps its brackets
        netloc = f"[{parts.hostname.lower()}]" + (f":{port}" if port not in (None, default) else "")
    return f"{scheme}://{netloc}"


def origin_of(url: str) -> str | None:
    """The origin of an http(s) URL, or None when the URL has none."""
    try:
        parts = urlsplit(url)
        return normalise_origin(f"{parts.scheme}://{parts.netloc}")
    except (OriginError, ValueError):
        return None


def allowed_origins() -> list[str]:
    """The origins whose pages may embed the comments, in the order the admin gave them."""
    stored = db.session.get(Setting, ORIGINS_KEY)
    return list(stored.value) if stored is not None else []


def is_allowed_origin(origin: str | None) -> bool:
    return origin is not None and origin in allowed_origins()


def set_allowed_origins(origins: list[str]) -> list[str]:
    """Replace the list (each normalised, duplicates dropped); raises OriginError naming the first bad entry.
    The caller commits."""
    cleaned: list[str] = []
    for origin in origins:
        if origin.strip():
            value = normalise_origin(origin)
            if value not in cleaned:
                cleaned.append(value)
    _store(ORIGINS_KEY, cleaned)
    return cleaned


def oidc_providers() -> dict[str, dict]:
    """Configured OpenID providers by name: {"name": {"issuer", "client_id", "client_secret", "label"?}}."""
    return dict(current_app.config.get("OIDC_PROVIDERS") or {})


def sso_configured() -> bool:
    config = current_app.config
    return bool((config.get("SSO_SECRET") or config.get("SSO_PUBLIC_KEY")) and config.get("SSO_ISSUER"))


def available_methods() -> list[tuple[str, str]]:
    """(key, label) of every sign-in method this installation has: local accounts, SSO when configured, and
    each configured OpenID provider as "oidc:NAME"."""
    methods = [("local", "E-mail and password (accounts on this site)")]
    if sso_configured():
        methods.append(("sso", "Single sign-on from the newsroom's site"))
    for name, provider in oidc_providers().items():
        methods.append((f"oidc:{name}", f"Sign in with {provider.get('label') or name}"))
    return methods


def sign_in_methods() -> dict[str, bool]:
    """Each available method and whether it is on; a method an admin never switched is on."""
    stored = db.session.get(Setting, METHODS_KEY)
    switched = dict(stored.value) if stored is not None else {}
    return {key: bool(switched.get(key, True)) for key, _label in available_methods()}


def method_enabled(key: str) -> bool:
    return sign_in_methods().get(key, False)


def set_sign_in_methods(enabled: dict[str, bool]) -> None:
    """Switch methods on or off (keys as in available_methods); the caller commits."""
    known = dict(available_methods())
    _store(METHODS_KEY, {key: bool(value) for key, value in enabled.items() if key in known})


def role_claims_allowed() -> bool:
    """Whether a `role` claim in the newsroom's SSO token may make a reader a moderator (off unless an admin allows it)."""
    stored = db.session.get(Setting, ROLE_CLAIMS_KEY)
    return bool(stored.value) if stored is not None else False


def set_role_claims_allowed(allowed: bool) -> None:
    _store(ROLE_CLAIMS_KEY, bool(allowed))


def _store(key: str, value) -> None:
    setting = db.session.scalar(select(Setting).where(Setting.key == key)) or Setting(key=key)
    setting.value = value
    db.session.add(setting)
