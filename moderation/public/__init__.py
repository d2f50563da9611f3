"""The public site: articles, their comments, and what readers do with them."""
from __future__ import annotations

from flask import Flask

from moderation.public import language  # noqa: F401 - registers the language choice on the blueprint
from moderation.public.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
