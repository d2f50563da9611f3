"""The moderators' side: the review queue, decisions, the log, settings."""
from __future__ import annotations

from flask import Flask

from moderation.admin.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
