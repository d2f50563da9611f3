"""Which key a request presents (Authorization: Bearer, or ?key= on the Perspective routes) and what it may do."""
from __future__ import annotations

import logging
from functools import wraps

from flask import abort, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from moderation.api_keys import find_active_key, note_use
from moderation.models import ApiKey

log = logging.getLogger(__name__)
# Google's clients send the key as a query parameter; elsewhere it would end up in access logs.
QUERY_KEY_BLUEPRINTS = frozenset({"perspective"})
ENVIRON_KEY = "moderation.api_key"


def presented_key() -> str | None:
    """The secret the client sent, if any."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if request.blueprint in QUERY_KEY_BLUEPRINTS:
        return request.args.get("key", "").strip() or None
    return None


def current_key() -> ApiKey | None:
    """The active key behind this request, looked up once per request (kept in the WSGI environ, which is per request)."""
    if ENVIRON_KEY not in request.environ:
        secret = presented_key()
        request.environ[ENVIRON_KEY] = find_active_key(secret) if secret else None
    return request.environ[ENVIRON_KEY]


def require_scope(scope: str):
    """Let the view run only for an active key with `scope`: 401 without one, 403 without the scope."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            key = current_key()
            if key is None:
                message = "An unknown or revoked API key." if presented_key() else "An API key is required."
                raise Unauthorized(message, www_authenticate=WWWAuthenticate("bearer", {"realm": "moderation"}))
            if scope not in key.scope_set:
                abort(403, f"The key {key.name!r} does not have the {scope!r} scope.")
            log.info("%s %s by API key %r", request.method, request.path, key.name)
            note_use(key)
            return view(*args, **kwargs)

        return wrapped

    return decorator
