"""The JSON API for other services: native /api/v1, Perspective-compatible /v1alpha1, Coral's moderation phase."""
from __future__ import annotations

from flask import Flask, current_app
from flask_limiter.util import get_remote_address

from moderation.api import coral, docs, native, perspective
from moderation.api.auth import current_key
from moderation.extensions import csrf, limit_message, limiter
from moderation.i18n import ENGLISH_ONLY_BLUEPRINTS

KEYED_BLUEPRINTS = (native.bp, perspective.bp)


def _key_or_address() -> str:
    key = current_key()
    return f"key:{key.id}" if key is not None else get_remote_address()


# Keyed requests count against their key, across all keyed routes; everything else against the client address.
# The limits are attached once, when this module is imported, because the limiter is one object for all apps.
_per_key = limiter.shared_limit(
    lambda: current_app.config["API_RATE_LIMIT_PER_KEY"], scope="api-key",
    key_func=_key_or_address, exempt_when=lambda: current_key() is None,
    error_message=limit_message("requests with this API key"),
)
_per_address = limiter.shared_limit(
    lambda: current_app.config["API_RATE_LIMIT_PER_ADDRESS"], scope="api-address",
    exempt_when=lambda: current_key() is not None,
    error_message=limit_message("requests from this address"),
)
for _blueprint in KEYED_BLUEPRINTS:
    _per_key(_blueprint)
    _per_address(_blueprint)
limiter.limit(lambda: current_app.config["CORAL_RATE_LIMIT"], error_message=limit_message("requests from Coral"))(coral.bp)


def init_app(app: Flask) -> None:
    """Register the API's blueprints; they authenticate by key or signature, so CSRF tokens do not apply, and they
    answer in English (moderation/i18n.py)."""
    for blueprint in (native.bp, perspective.bp, coral.bp):
        csrf.exempt(blueprint)
        ENGLISH_ONLY_BLUEPRINTS.add(blueprint.name)
        app.register_blueprint(blueprint)
    app.register_blueprint(docs.bp)
