"""Accounts: register, sign in, sign out."""
from __future__ import annotations

from flask import Flask

from moderation.auth.views import bp


def init_app(app: Flask) -> None:
    from moderation.auth import account, loader  # noqa: F401 - the account routes and the user loader

    app.register_blueprint(bp)
