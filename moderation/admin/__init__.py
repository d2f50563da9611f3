"""The moderators' side: the review queue, decisions, authors, the log, the dashboard and settings."""
from __future__ import annotations

from flask import Flask

from moderation.admin import decisions, log, names, queues, settings, stats  # noqa: F401  (routes attach to bp)
from moderation.admin.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
