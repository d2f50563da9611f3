"""The comment section embedded on a newsroom's own pages, and sign-in with the accounts readers already have
(docs/embed.md)."""
from __future__ import annotations

from flask import Flask

from moderation.embed import frame


def init_app(app: Flask) -> None:
    from moderation.auth import oidc
    from moderation.embed.views import bp

    frame.init_app(app)
    oidc.init_app(app)
    app.register_blueprint(bp)
